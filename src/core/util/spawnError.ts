/**
 * Why a program could not start, in words. Node reports a working folder that is a file as a
 * bare `spawn ENOTDIR` (thrown, not emitted) and a missing working folder as `spawn <command>
 * ENOENT`, the same words as a missing program: the user and the model need to know which.
 */
import { statSync } from 'node:fs';

export function spawnFailure(error: unknown, command: string, cwd: string | undefined): string {
  return `"${command}" could not start: ${spawnProblem(error, cwd)}`;
}

function spawnProblem(error: unknown, cwd: string | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = cwd === undefined ? undefined : workingFolderProblem(cwd);
  if (where && (code === 'ENOTDIR' || code === 'ENOENT')) return where;
  if (code === 'ENOENT') return 'the program was not found';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** What is wrong with `cwd` as a working folder, or undefined when it is one. */
export function workingFolderProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `its working folder ${cwd} is a file, not a folder`;
  } catch {
    return `its working folder ${cwd} does not exist`;
  }
}
