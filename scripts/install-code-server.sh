#!/usr/bin/env bash
# Installs code-server (VS Code's own server + web workbench) into .vscode-test/code-server.
# Used where desktop VS Code cannot be downloaded; see ../shared/VSCODE-HARNESS.md.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"   # newest that runs on Node 20
RG_CACHE_VERSION="1.15.11"                  # @vscode/ripgrep version that code-server pins
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/.vscode-test/code-server"
bin="$dest/node_modules/.bin/code-server"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "^$VERSION"; then
  echo "code-server $VERSION already installed"; exit 0
fi
rg_path="$(command -v rg || true)"
if [ -z "$rg_path" ]; then echo "ripgrep (rg) is required: apt-get install ripgrep" >&2; exit 1; fi
# @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with the system rg.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_CACHE_VERSION"
mkdir -p "$cache" "${TMPDIR:-/tmp}/qcoder-rg"
cp "$rg_path" "${TMPDIR:-/tmp}/qcoder-rg/rg"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "${TMPDIR:-/tmp}/qcoder-rg" rg
mkdir -p "$dest"
[ -f "$dest/package.json" ] || echo '{"name":"qcoder-code-server","private":true}' > "$dest/package.json"
echo "installing code-server $VERSION (1-2 minutes)…"
( cd "$dest" && npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund "code-server@$VERSION" )
"$bin" --version
