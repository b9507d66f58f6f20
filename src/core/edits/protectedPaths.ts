/**
 * Files whose change can run code or leak secrets without the user running anything they
 * recognise as code: editor tasks and settings, git hooks, CI workflows, dev containers,
 * package-manager configuration. A change to any of them always needs explicit approval,
 * whatever the user's auto-approve settings say.
 *
 * package.json is not protected as a whole: adding a dependency is everyday work, and a
 * confirmation on every one would teach users to click through. What runs is `scripts`
 * (lifecycle scripts run on `npm install`) and git-hook configuration, so a change to those
 * needs approval (`packageJsonRisk`).
 */
import { Minimatch } from 'minimatch';

const PROTECTED: readonly { readonly patterns: readonly string[]; readonly reason: string }[] = [
  {
    patterns: ['**/.vscode/**', '**/.vscode', '**/*.code-workspace'],
    reason: 'editor settings, tasks, launch configurations and MCP servers can run programs',
  },
  { patterns: ['**/.git/**', '**/.git', '**/.gitmodules'], reason: 'git configuration and hooks run commands' },
  {
    patterns: ['**/.gitignore', '**/.qcoderignore'],
    reason: 'ignore files decide what QCoder and git may read',
  },
  {
    patterns: [
      '**/.husky/**',
      '.pre-commit-config.yaml',
      '{.,}lefthook.{yml,yaml,json,toml}',
      '.lintstagedrc*',
      'lint-staged.config.*',
      '.simple-git-hooks*',
    ],
    reason: 'git hooks run commands on commit',
  },
  {
    patterns: [
      '.github/workflows/**',
      '.github/actions/**',
      '**/action.{yml,yaml}',
      '.gitlab-ci.yml',
      '.gitlab/**',
      '.circleci/**',
      'azure-pipelines.yml',
      '.azure-pipelines/**',
      'Jenkinsfile',
      '.travis.yml',
      'bitbucket-pipelines.yml',
      '.buildkite/**',
      '.drone.yml',
    ],
    reason: "CI pipelines run with the repository's secrets",
  },
  {
    patterns: ['**/.devcontainer/**', '**/.devcontainer.json'],
    reason: 'dev container definitions run commands when the container is built',
  },
  {
    patterns: ['**/.npmrc', '**/.yarnrc', '**/.yarnrc.yml', '**/.pnpmfile.cjs', '**/.envrc'],
    reason: 'package-manager and shell configuration can redirect installs or run code',
  },
  { patterns: ['**/.env', '**/.env.*'], reason: 'environment files hold secrets' },
];

/** Patterns compiled once; matched against the folded spelling, so case-insensitive by construction. */
const MATCHERS = PROTECTED.map(({ patterns, reason }) => ({
  reason,
  matchers: patterns.map((pattern) => new Minimatch(fold(pattern), { dot: true })),
}));

/** Case folding that also catches `ſ` (long s) and `K` (Kelvin sign), as case-insensitive volumes may. */
function fold(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase();
}

/** Percent-decoding until nothing changes (`%252e` → `%2e` → `.`); a broken escape stays as it is. */
function decodeAll(text: string): string {
  // Each pass that changes anything makes the text shorter, so this ends.
  for (let current = text; ;) {
    const next = current.replace(/%[0-9a-f]{2}/gi, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
    if (next === current) return current;
    current = next;
  }
}

/**
 * Every way one file may be spelled, reduced to one folded, folder-relative POSIX path:
 * `file:` URIs, percent-encoding, backslashes, `./` and `//`, Windows' trailing dots and
 * spaces, alternate data streams (`::$DATA`, `:stream`), case and Unicode case folds.
 */
export function canonicalSpelling(path: string): string {
  let text = decodeAll(path.replace(/^file:\/\/[^/]*/i, ''));
  text = text.replace(/\\/g, '/').replace(/^\/?[A-Za-z]:\//, '/');
  const segments: string[] = [];
  for (const raw of text.split('/')) {
    if (raw === '..') {
      segments.pop();
      continue;
    }
    // Windows drops a stream suffix and trailing dots and spaces: `.vscode./x::$DATA` is `.vscode/x`.
    const segment = raw.replace(/:.*$/, '').replace(/[. ]+$/, '');
    if (segment !== '') segments.push(fold(segment));
  }
  return segments.join('/');
}

/** A Windows 8.3 short name (`VSCODE~1`, `GIT~1`, `GITHUB~1.YML`) may stand for any protected name. */
const SHORT_NAME = /^[^~/]{1,8}~\d+(\.[^./]{0,3})?$/;

/**
 * Why a change to this path needs explicit approval, or undefined. `relativePath` is the
 * folder-relative path in any spelling; `content`, when given, is what the file would hold:
 * a `package.json` whose scripts or git hooks would run needs approval too.
 */
export function protectedReason(relativePath: string, content?: string): string | undefined {
  const path = canonicalSpelling(relativePath);
  const entry = MATCHERS.find(({ matchers }) => matchers.some((matcher) => matcher.match(path)));
  if (entry) return entry.reason;
  if (path.split('/').some((segment) => SHORT_NAME.test(segment)))
    return 'a short (8.3) name may stand for a protected folder or file';
  if (content !== undefined && isPackageJson(path)) return packageJsonRisk(undefined, content);
  return undefined;
}

function isPackageJson(canonical: string): boolean {
  return canonical === 'package.json' || canonical.endsWith('/package.json');
}

const RUNS_CODE = ['scripts', 'husky', 'simple-git-hooks', 'lint-staged', 'pre-commit', 'gitHooks'] as const;

/** For a package.json: why this change needs approval (it changes what runs), or undefined. */
export function packageJsonRisk(before: string | undefined, after: string): string | undefined {
  const read = (text: string | undefined): Record<string, unknown> | undefined | 'invalid' => {
    if (text === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : 'invalid';
    } catch {
      return 'invalid';
    }
  };
  const old = read(before);
  const next = read(after);
  if (old === 'invalid' || next === 'invalid')
    return 'package.json would not parse as JSON, so its scripts cannot be checked';
  const changed = RUNS_CODE.filter((key) => JSON.stringify(old?.[key]) !== JSON.stringify(next?.[key]));
  return changed.length > 0
    ? `it changes ${changed.map((key) => `"${key}"`).join(', ')} in package.json, which npm or git run as commands`
    : undefined;
}

/** Why this change of `relativePath` from `before` to `after` (undefined: absent) needs explicit approval. */
export function approvalReason(
  relativePath: string,
  before: string | undefined,
  after: string | undefined,
): string | undefined {
  const reason = protectedReason(relativePath);
  if (reason) return reason;
  if (isPackageJson(canonicalSpelling(relativePath))) {
    if (after === undefined) return 'it deletes a package.json';
    return packageJsonRisk(before, after);
  }
  return undefined;
}
