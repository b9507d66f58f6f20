/**
 * Where a tool may write: inside a workspace folder, nowhere else, ever. Paths from the
 * model are resolved against the roots here, purely; the host then follows symbolic links
 * with its own `realpath` through `confirmRealPath`, so a link cannot lead out either.
 */
import * as nodePath from 'node:path';
import type { Refusal } from './types';

export interface WorkspaceRoot {
  /** The folder's name, as a multi-root workspace shows it (`name/…` selects it). */
  readonly name: string;
  /** Absolute file-system path. */
  readonly path: string;
}

export interface ResolvedPath {
  readonly ok: true;
  readonly root: WorkspaceRoot;
  readonly absolute: string;
  /** Relative to the root, with `/` separators. */
  readonly relative: string;
}

type PathApi = typeof nodePath.posix;

const isWindowsPath = (path: string): boolean => /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
const apiFor = (root: string): PathApi => (isWindowsPath(root) ? nodePath.win32 : nodePath.posix);

const refuse = (kind: 'outside_workspace' | 'invalid_path', input: string, why: string): Refusal => ({
  ok: false,
  kind,
  message: `${JSON.stringify(input)}: ${why}`,
});

/** Whether `child` is `root` or inside it (case-insensitively on Windows). */
export function isInside(root: string, child: string): boolean {
  const api = apiFor(root);
  // win32.relative compares case-insensitively already.
  const relative = api.relative(root, child);
  return relative !== '..' && !relative.startsWith(`..${api.sep}`) && !api.isAbsolute(relative);
}

function fromFileUri(input: string, windows: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return undefined;
  }
  // The URL parser already turns `file://localhost/` into an empty host.
  if (url.host !== '') return undefined;
  const path = decodeURIComponent(url.pathname);
  return windows && /^\/[A-Za-z]:/.test(path) ? path.slice(1) : path;
}

/** Resolves a model-given path (relative, absolute or `file:` URI) to a file inside one of `roots`. */
export function resolveWorkspacePath(input: string, roots: readonly WorkspaceRoot[]): ResolvedPath | Refusal {
  const given = input.trim();
  if (roots.length === 0)
    return refuse('outside_workspace', input, 'no workspace folder is open, so no file may be changed');
  if (given === '') return refuse('invalid_path', input, 'the path is empty');
  if (given.includes('\0')) return refuse('invalid_path', input, 'the path contains a NUL character');
  if (given.startsWith('~'))
    return refuse(
      'invalid_path',
      input,
      'home-relative paths are not workspace paths; give a path relative to the workspace folder',
    );
  const windows = isWindowsPath(roots[0].path);
  let candidate = given;
  if (/^file:/i.test(given)) {
    const path = fromFileUri(given, windows);
    if (path === undefined) return refuse('outside_workspace', input, 'only file: URIs of this machine are accepted');
    candidate = path;
  } else if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(given)) {
    return refuse('outside_workspace', input, 'only workspace files can be changed, not other URI schemes');
  }
  const absoluteInput = windows ? nodePath.win32.isAbsolute(candidate) : nodePath.posix.isAbsolute(candidate);
  if (absoluteInput) {
    const root = roots.find((r) => isInside(r.path, apiFor(r.path).normalize(candidate)));
    if (!root)
      return refuse(
        'outside_workspace',
        input,
        `is outside the workspace folder${roots.length > 1 ? 's' : ''} (${roots.map((r) => r.path).join(', ')})`,
      );
    return resolved(root, apiFor(root.path).normalize(candidate), input);
  }
  const segments = candidate.split(/[\\/]+/);
  const named = roots.length > 1 ? roots.filter((r) => r.name === segments[0]) : [];
  const root = named.length === 1 ? named[0] : roots[0];
  const rest = named.length === 1 ? segments.slice(1).join('/') : candidate;
  const absolute = apiFor(root.path).resolve(root.path, rest);
  if (!isInside(root.path, absolute))
    return refuse('outside_workspace', input, 'leads outside the workspace folder (".." past its root)');
  return resolved(root, absolute, input);
}

function resolved(root: WorkspaceRoot, absolute: string, input: string): ResolvedPath | Refusal {
  const api = apiFor(root.path);
  const relative = api.relative(root.path, absolute).split(api.sep).join('/');
  if (relative === '') return refuse('invalid_path', input, 'is the workspace folder itself, not a file');
  if (api === nodePath.win32 && /:/.test(relative))
    return refuse('invalid_path', input, 'names an alternate data stream');
  return { ok: true, root, absolute, relative };
}

/**
 * Follows symbolic links: the nearest existing ancestor of the target (the target itself
 * when it exists) is passed to `realpath`, and the real location must still be inside the
 * real root. `realpath` resolves to undefined for a path that does not exist; `entryExists`
 * (an `lstat`) tells a missing name from a link that leads nowhere, which is refused.
 */
export async function confirmRealPath(
  target: ResolvedPath,
  realpath: (path: string) => Promise<string | undefined>,
  entryExists: (path: string) => Promise<boolean> = async () => false,
): Promise<ResolvedPath | Refusal> {
  const api = apiFor(target.root.path);
  const realRoot = (await realpath(target.root.path)) ?? target.root.path;
  const missing: string[] = [];
  let probe = target.absolute;
  for (;;) {
    const real = await realpath(probe);
    if (real !== undefined) {
      const full = api.join(real, ...missing.reverse());
      if (!isInside(realRoot, full))
        return refuse(
          'outside_workspace',
          target.relative,
          `is a symbolic link (or inside one) that leads outside the workspace, to ${full}`,
        );
      return target;
    }
    if (await entryExists(probe).catch(() => true))
      return refuse('outside_workspace', target.relative, 'is (or lies inside) a symbolic link that leads nowhere');
    const parent = api.dirname(probe);
    if (parent === probe) return refuse('outside_workspace', target.relative, 'no part of it exists on disk');
    missing.push(api.basename(probe));
    probe = parent;
  }
}
