/**
 * Commands left running for the model (dev servers, watchers): each under a handle, its unread
 * output kept, readable with `read_command_output`, ended with `stop_command`, and every one killed
 * with its process tree when the session ends (dispose).
 */
import type { TokenCounter } from '../../context/tokens/tokenCounter';
import type { ToolSchema } from '../../model/types';
import type { InteractiveOutcome, InteractiveTool } from '../toolRunner';
import { headAndTail, OutputBuffer } from './output';
import type { LiveCard } from './runLive';
import type { CommandExit, CommandHost, RunningCommand } from './runTypes';

/** After the first output, a moment for the rest of a banner to arrive. */
const SETTLE_MS = 400;
const MAX_WAIT_S = 30;

interface Job {
  readonly handle: string;
  readonly command: string;
  readonly running: RunningCommand;
  readonly started: number;
  readonly live: LiveCard;
  unread: OutputBuffer;
  exit?: CommandExit;
  /** Wakes whoever waits for output or the end. */
  wake: (() => void)[];
}

export interface BackgroundJob {
  readonly handle: string;
  readonly running: RunningCommand;
  /** Waits for the first output (and a short settle) or `waitMs`; true when the command ended meanwhile. */
  firstOutput(waitMs: number, signal: AbortSignal): Promise<boolean>;
  /** The output not read yet, as plain text; marks it read. */
  unread(): string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Handle numbers that go on across windows: a reload kills every background command, and a handle the
 * model read before it must not name a new command after it. The host keeps the next number.
 */
export interface HandleNumbering {
  /** The first number this window issues; lower numbers were issued by earlier windows. */
  readonly first: number;
  /** Called with the next number each time one is issued, for the host to keep. */
  issued(next: number): void;
}

export class BackgroundCommands {
  private readonly jobs = new Map<string, Job>();
  private readonly first: number;
  private next: number;

  constructor(private readonly numbering?: HandleNumbering) {
    this.first = Math.max(1, Math.floor(numbering?.first ?? 1));
    this.next = this.first;
  }

  /** Why `handle` names no running command: it ended here, it belonged to an earlier window, or it never existed. */
  whyUnknown(handle: string): 'ended' | 'earlier window' | 'unknown' {
    const number = /^cmd-(\d+)$/.exec(handle.trim())?.[1];
    if (number === undefined) return 'unknown';
    if (Number(number) < this.first) return 'earlier window';
    return Number(number) < this.next ? 'ended' : 'unknown';
  }

  get handles(): string[] {
    return [...this.jobs.keys()];
  }

  async start(host: CommandHost, spec: { command: string; cwd: string }, live: LiveCard): Promise<BackgroundJob> {
    const handle = `cmd-${this.next++}`;
    this.numbering?.issued(this.next);
    // Output can arrive before `start` resolves: it waits in `early` until the job exists.
    const holder: { job?: Job } = {};
    const early: string[] = [];
    const running = await host.start({
      ...spec,
      onOutput: (text) => {
        live.append(text);
        const job = holder.job;
        if (!job) return void early.push(text);
        job.unread.append(text);
        for (const wake of job.wake.splice(0)) wake();
      },
    });
    const created: Job = {
      handle,
      command: spec.command,
      running,
      started: Date.now(),
      live,
      unread: new OutputBuffer(),
      wake: [],
    };
    holder.job = created;
    for (const text of early) created.unread.append(text);
    this.jobs.set(handle, created);
    void running.exited.then((exit) => {
      created.exit = exit;
      for (const wake of created.wake.splice(0)) wake();
      created.live.finish(exit.code === 0 ? 'done' : 'failed', exit.code, Date.now() - created.started);
    });
    return {
      handle,
      running,
      firstOutput: async (waitMs, signal) => {
        // Output that is only escape sequences or blanks (a terminal's marks) is not a first output.
        const printed = () => created.unread.text().trim().length > 0;
        const deadline = Date.now() + waitMs;
        while (!created.exit && !signal.aborted && !printed() && Date.now() < deadline)
          await this.waitFor(created, deadline - Date.now(), signal);
        if (printed() && !created.exit) await sleep(SETTLE_MS, signal);
        return created.exit !== undefined;
      },
      unread: () => this.takeUnread(created),
    };
  }

  /** Resolves on new output, the end, `ms` or the signal, whichever comes first. */
  private waitFor(job: Job, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      job.wake.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private takeUnread(job: Job): string {
    const text = job.unread.text();
    job.unread = new OutputBuffer();
    return text;
  }

  /** Kills the command's tree; undefined when there is no such handle. */
  async stop(handle: string): Promise<{ command: string; output: string; exit: CommandExit } | undefined> {
    const job = this.jobs.get(handle);
    if (!job) return undefined;
    this.jobs.delete(handle);
    if (!job.exit) await job.running.kill();
    const exit = await job.running.exited;
    job.live.finish('stopped', exit.code, Date.now() - job.started);
    return { command: job.command, output: this.takeUnread(job), exit };
  }

  /** Lets go of a handle whose command already ended. */
  forget(handle: string): void {
    this.jobs.delete(handle);
  }

  async read(
    handle: string,
    waitS: number,
    signal: AbortSignal,
  ): Promise<{ command: string; output: string; exit?: CommandExit } | undefined> {
    const job = this.jobs.get(handle);
    if (!job) return undefined;
    if (waitS > 0 && job.unread.length === 0 && !job.exit) await this.waitFor(job, waitS * 1000, signal);
    const output = this.takeUnread(job);
    if (job.exit) this.jobs.delete(handle);
    return { command: job.command, output, ...(job.exit ? { exit: job.exit } : {}) };
  }

  /** Kills every background command (the session or the extension ends). */
  async dispose(): Promise<void> {
    // The extension host may exit before the tree walk below ends: every group gets its signal now.
    for (const job of this.jobs.values()) job.running.signalNow?.();
    await Promise.all(this.handles.map((handle) => this.stop(handle)));
  }
}

function unknownHandle(handle: string, jobs: BackgroundCommands): InteractiveOutcome {
  const known = jobs.handles;
  const running = known.length ? `Running: ${known.join(', ')}.` : 'None is running.';
  const why = jobs.whyUnknown(handle);
  if (why === 'earlier window')
    return {
      content:
        `Error: "${handle}" was started in an earlier VS Code window (before a reload or restart). Background ` +
        `commands end with the window that started them: it was stopped then, with every process it started, and ` +
        `its output is gone. Start it again with run_command if it is still needed. ${running}`,
      summary: 'ended with the old window',
      isError: true,
    };
  if (why === 'ended')
    return {
      content:
        `Error: "${handle}" is no longer running: it ended or was stopped, and its last output ` +
        `was already returned. ${running}`,
      summary: 'no longer running',
      isError: true,
    };
  return {
    content: `Error: there is no background command "${handle}". ${running}`,
    summary: 'unknown handle',
    isError: true,
  };
}

const handleSchema = { type: 'string', description: 'The handle run_command returned, e.g. "cmd-1".' };

export const READ_OUTPUT_SCHEMA: ToolSchema = {
  name: 'read_command_output',
  description:
    'Read the new output of a background command started with run_command (is_background), ' +
    'and whether it is still running.',
  parameters: {
    type: 'object',
    properties: {
      handle: handleSchema,
      wait_seconds: {
        type: 'integer',
        description: `Wait up to this long for new output (0-${MAX_WAIT_S}, default 0).`,
      },
    },
    required: ['handle'],
  },
};

export const STOP_SCHEMA: ToolSchema = {
  name: 'stop_command',
  description: 'Stop a background command started with run_command (it and every process it started).',
  parameters: { type: 'object', properties: { handle: handleSchema }, required: ['handle'] },
};

export function backgroundTools(
  jobs: BackgroundCommands,
  counter: () => Promise<TokenCounter>,
  outputTokens: number,
): InteractiveTool[] {
  const budget = async (text: string) => headAndTail(text, outputTokens, await counter()) || '(no new output)';
  const read: InteractiveTool = {
    interactive: true,
    schema: READ_OUTPUT_SCHEMA,
    title: (args) => `Read output of ${String(args.handle ?? '?')}`,
    async run(args, context) {
      const handle = String(args.handle ?? '');
      const wait = typeof args.wait_seconds === 'number' ? Math.min(MAX_WAIT_S, Math.max(0, args.wait_seconds)) : 0;
      const result = await jobs.read(handle, wait, context.signal);
      if (!result) return unknownHandle(handle, jobs);
      const state = result.exit
        ? `It has ended (exit code ${result.exit.code ?? result.exit.signal ?? 'unknown'}).`
        : 'It is still running.';
      return { content: `${handle}: ${result.command}\n${state}\n\n${await budget(result.output)}`, summary: state };
    },
  };
  const stop: InteractiveTool = {
    interactive: true,
    schema: STOP_SCHEMA,
    title: (args) => `Stop ${String(args.handle ?? '?')}`,
    async run(args) {
      const handle = String(args.handle ?? '');
      const result = await jobs.stop(handle);
      if (!result) return unknownHandle(handle, jobs);
      return {
        content:
          `Stopped ${handle} (${result.command}) and every process it started.\n\nLast output:\n` +
          `${await budget(result.output)}`,
        summary: 'stopped',
      };
    },
  };
  return [read, stop];
}
