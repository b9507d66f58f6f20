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
import { minimatch } from 'minimatch';

const PROTECTED: readonly { readonly patterns: readonly string[]; readonly reason: string }[] = [
  {
    patterns: ['**/.vscode/**', '**/*.code-workspace'],
    reason: 'editor settings, tasks, launch configurations and MCP servers can run programs',
  },
  { patterns: ['**/.git/**', '**/.git', '.gitmodules'], reason: 'git configuration and hooks run commands' },
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
  { patterns: ['.qcoderignore'], reason: 'it decides what QCoder may read' },
];

/** Why a change to this workspace-relative path needs explicit approval, or undefined. */
export function protectedReason(relativePath: string): string | undefined {
  const path = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  // Case-insensitive: on macOS and Windows `.VSCode/Settings.json` is the same file.
  const entry = PROTECTED.find(({ patterns }) =>
    patterns.some((pattern) => minimatch(path, pattern, { dot: true, nocase: true })),
  );
  return entry?.reason;
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
  if (/(^|\/)package\.json$/i.test(relativePath.replace(/\\/g, '/'))) {
    if (after === undefined) return 'it deletes a package.json';
    return packageJsonRisk(before, after);
  }
  return undefined;
}
