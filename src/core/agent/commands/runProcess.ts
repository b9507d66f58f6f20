/**
 * Runs a shell line as a child process in a process group of its own, so that Stop, a
 * timeout or the end of the session can kill the whole tree: the group at once, and any
 * descendant that left the group (found through `ps` before the kill).
 */
import { execFile, spawn } from 'node:child_process';
import { killPlan, launchPlan } from './runPlatform';
import { spawnFailure } from '../../util/spawnError';
import type { CommandExit, CommandHost, CommandSpec, RunningCommand } from './runTypes';

const KILL_GRACE_MS = 1500;
/** After the process exits, how long its pipes may still deliver output (a background child may hold them open). */
const DRAIN_MS = 300;

export class ChildProcessHost implements CommandHost {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async start(spec: CommandSpec): Promise<RunningCommand> {
    return startChildProcess(spec, this.env);
  }
}

export function startChildProcess(spec: CommandSpec, env: NodeJS.ProcessEnv = process.env): RunningCommand {
  const windows = process.platform === 'win32';
  const plan = launchPlan(process.platform, spec.command, process.env.SHELL);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(plan.file, [...plan.args], {
      cwd: spec.cwd,
      env,
      shell: plan.shell,
      detached: plan.detached,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // The folder was checked, but it can be replaced by a file since; Node then throws `spawn ENOTDIR`.
    spec.onOutput(`${spawnFailure(error, plan.file, spec.cwd)}\n`);
    return { via: 'process', exited: Promise.resolve({ code: undefined }), kill: async () => undefined };
  }
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => spec.onOutput(text));
  child.stderr?.on('data', (text: string) => spec.onOutput(text));
  const exited = new Promise<CommandExit>((resolve) => {
    let exit: CommandExit | undefined;
    const finish = () => resolve(exit ?? { code: undefined });
    child.once('error', (error) => {
      spec.onOutput(`${spawnFailure(error, plan.file, spec.cwd)}\n`);
      exit = { code: undefined };
      finish();
    });
    child.once('exit', (code, signal) => {
      exit = { code: code ?? undefined, ...(signal ? { signal } : {}) };
      setTimeout(finish, DRAIN_MS).unref();
    });
    child.once('close', finish);
  });
  const pid = child.pid;
  return {
    via: 'process',
    pid,
    exited,
    kill: async () => {
      if (pid === undefined) return;
      await killTree(pid, { group: !windows });
    },
    signalNow: () => {
      if (pid !== undefined && !windows) signal(-pid, 'SIGTERM');
    },
  };
}

/** Every descendant of `pid` (children, grandchildren…), from one `ps` listing. */
export async function descendants(pid: number): Promise<number[]> {
  if (process.platform === 'win32') return [];
  const listing = await new Promise<string>((resolve) =>
    execFile('ps', ['-A', '-o', 'pid=,ppid='], (error, stdout) => resolve(error ? '' : stdout)),
  );
  const children = new Map<number, number[]>();
  for (const line of listing.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(child) || !Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const signal = (target: number, name: NodeJS.Signals): void => {
  try {
    process.kill(target, name);
  } catch {
    // Already gone.
  }
};

/**
 * SIGTERM to the group (when `pid` leads one) and to every descendant, then SIGKILL to what is
 * left after a grace period. On Windows, `taskkill /T /F` does the tree.
 */
export async function killTree(pid: number, options: { group: boolean; graceMs?: number }): Promise<void> {
  const plan = killPlan(process.platform, pid, options);
  if (plan.kind === 'taskkill') {
    await new Promise<void>((resolve) => execFile(plan.file, [...plan.args], () => resolve()));
    return;
  }
  const tree = [plan.root, ...(await descendants(plan.root))];
  if (plan.group !== undefined) signal(plan.group, plan.first);
  for (const member of tree) signal(member, plan.first);
  const deadline = Date.now() + (options.graceMs ?? KILL_GRACE_MS);
  while (tree.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (plan.group !== undefined) signal(plan.group, plan.last);
  for (const member of tree) if (isAlive(member)) signal(member, plan.last);
}
