/**
 * Bringing servers over from the tools users already have: Qwen Code's `~/.qwen/settings.json`
 * (`mcpServers`) and VS Code's own `mcp.json` (`servers`). Entries are copied as written (their
 * `${env:…}` stay variables); a name that exists is kept as it is.
 */
export interface ImportSource {
  /** Shown to the user, e.g. "~/.qwen/settings.json". */
  readonly label: string;
  readonly json: unknown;
}

export interface ImportResult {
  readonly merged: Record<string, unknown>;
  readonly added: string[];
  /** "name (from label): why". */
  readonly skipped: string[];
}

/** Fields other tools write that are theirs, not the server's: never copied (Qwen Code's `trust` skips its prompts). */
const FOREIGN = new Set(['trust', 'alwaysAllow', 'autoApprove', 'includeTools', 'excludeTools', 'timeout', 'gallery']);

export function importServers(current: unknown, sources: readonly ImportSource[]): ImportResult {
  const merged: Record<string, unknown> = isObject(current) ? { ...current } : {};
  const added: string[] = [];
  const skipped: string[] = [];
  for (const source of sources) {
    const map = isObject(source.json) ? (source.json.mcpServers ?? source.json.servers) : undefined;
    if (!isObject(map)) continue;
    for (const [name, entry] of Object.entries(map)) {
      if (!isObject(entry)) {
        skipped.push(`${name} (from ${source.label}): not a server definition`);
        continue;
      }
      if (name in merged) {
        skipped.push(`${name} (from ${source.label}): a server with this name exists`);
        continue;
      }
      if (JSON.stringify(entry).includes('${input:'))
        skipped.push(`${name} (from ${source.label}): uses VS Code \${input:…} prompts; copied, fill them in`);
      merged[name] = Object.fromEntries(Object.entries(entry).filter(([key]) => !FOREIGN.has(key)));
      added.push(name);
    }
  }
  return { merged, added, skipped };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
