/** The folder a command runs in: a workspace folder or a folder inside one, links followed; nothing else. */
import { realpath, stat } from 'node:fs/promises';
import { confirmRealPath, resolveWorkspacePath, type WorkspaceRoot } from '../../edits/paths';

export type ResolvedCwd =
  | { readonly ok: true; readonly absolute: string; readonly display: string }
  | { readonly ok: false; readonly message: string };

const realOrUndefined = (path: string) => realpath(path).catch(() => undefined);

export async function resolveCwd(input: string | undefined, roots: readonly WorkspaceRoot[]): Promise<ResolvedCwd> {
  if (roots.length === 0) return { ok: false, message: 'No workspace folder is open, so no command can run.' };
  const given = (input ?? '').trim();
  const named = roots.length > 1 ? roots.find((root) => root.name === given.replace(/[\\/]+$/, '')) : undefined;
  if (given === '' || given === '.' || given === './') return { ok: true, absolute: roots[0].path, display: '.' };
  if (named) return { ok: true, absolute: named.path, display: named.name };
  // A workspace folder by its absolute path (Generate Tests runs in a project at the root).
  const rootIndex = roots.findIndex((root) => root.path === given.replace(/[\\/]+$/, ''));
  if (rootIndex >= 0)
    return { ok: true, absolute: roots[rootIndex].path, display: roots.length > 1 ? roots[rootIndex].name : '.' };
  const resolved = resolveWorkspacePath(given, roots);
  if (!resolved.ok) return { ok: false, message: `cwd ${resolved.message}. Commands run only inside the workspace.` };
  const real = await confirmRealPath(resolved, realOrUndefined);
  if (!real.ok) return { ok: false, message: `cwd ${real.message}. Commands run only inside the workspace.` };
  const isFolder = await stat(real.absolute).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) return { ok: false, message: `cwd "${given}" is not a folder of the workspace.` };
  const display = roots.length > 1 ? `${real.root.name}/${real.relative}` : real.relative;
  return { ok: true, absolute: real.absolute, display };
}
