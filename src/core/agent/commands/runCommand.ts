/**
 * The `run_command` tool: a shell line in a workspace folder, approved by the user's rules and
 * mode (or by the user on the card), killed with its whole process tree on Stop or timeout. The
 * model gets the head and tail of the output within a token budget, the exit code and the time.
 */
import type { TokenCounter } from '../../context/tokens/tokenCounter';
import type { ToolSchema } from '../../model/types';
import type { WorkspaceRoot } from '../../edits/paths';
import type { AgentMode } from '../modes';
import { type InteractiveContext, type InteractiveOutcome, type InteractiveTool, StoppedError } from '../toolRunner';
import { checkCommand, type CheckOptions, type CommandRules, type CommandVerdict } from './approval';
import { headAndTail, OutputBuffer } from './output';
import type { BackgroundCommands } from './runBackground';
import { liveCard } from './runLive';
import { resolveCwd } from './runCwd';
import { type CommandRulesSource, decideRun, type SessionApprovals } from './runApproval';
import type { CommandExit, CommandHost, RunningCommand } from './runTypes';
import type { CommandView, PromptView } from './runViews';

export interface RunLimits {
  readonly defaultTimeoutS: number;
  readonly maxTimeoutS: number;
  /** Tokens of output the model gets per result. */
  readonly outputTokens: number;
  /** A background command returns after its first output (and a short settle) or after this long. */
  readonly backgroundWaitMs: number;
  /** Characters of live output on the card. */
  readonly liveChars: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  defaultTimeoutS: 120,
  maxTimeoutS: 1800,
  outputTokens: 4000,
  backgroundWaitMs: 8000,
  liveChars: 8000,
};

export interface RunCommandDeps {
  readonly host: CommandHost;
  readonly roots: () => readonly WorkspaceRoot[];
  readonly rules: CommandRulesSource;
  readonly session: SessionApprovals;
  readonly mode: () => AgentMode;
  readonly isTrusted: () => boolean;
  /** The tokenizer of the model in use. */
  readonly counter: () => Promise<TokenCounter>;
  readonly check?: (line: string, rules: CommandRules, options?: CheckOptions) => Promise<CommandVerdict>;
  readonly isProtectedPath?: (path: string) => boolean;
  readonly limits?: Partial<RunLimits>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The first line of the tool result: how it ended. */
export function exitLine(exit: CommandExit, durationMs: number): string {
  if (exit.code !== undefined) return `Exit code ${exit.code} after ${seconds(durationMs)}.`;
  return `Ended by ${exit.signal ?? 'an unknown cause'} after ${seconds(durationMs)} (no exit code).`;
}

/** run_command's schema; the limits appear in its description. */
export function runCommandSchema(limits: RunLimits): ToolSchema {
  return {
    name: 'run_command',
    description:
      `Run a shell command in the workspace (tests, builds, linters, git). The user's rules decide whether it ` +
      `runs unasked, asks the user or is refused. Returns the exit code, the duration and the output (its start ` +
      `and end when long). Default timeout ${limits.defaultTimeoutS} s, at most ${limits.maxTimeoutS} s. For ` +
      `servers and watchers set is_background: the call returns after the first output with a handle for ` +
      `read_command_output and stop_command.`,
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The shell command line.' },
        cwd: { type: 'string', description: 'Workspace-relative folder to run in (default: the workspace root).' },
        timeout: {
          type: 'integer',
          description: `Seconds before the command is killed (default ${limits.defaultTimeoutS}).`,
        },
        is_background: { type: 'boolean', description: 'True for a server or watcher that keeps running.' },
      },
      required: ['command'],
    },
  };
}

export class RunCommandTool implements InteractiveTool {
  readonly interactive = true;
  readonly limits: RunLimits;
  readonly schema: ToolSchema;

  constructor(
    private readonly deps: RunCommandDeps,
    private readonly background: BackgroundCommands,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.schema = runCommandSchema(this.limits);
  }

  title(args: Record<string, unknown>): string {
    const command = typeof args.command === 'string' ? args.command : '?';
    return `Run ${command.length > 80 ? `${command.slice(0, 77)}…` : command}`;
  }

  async run(args: Record<string, unknown>, context: InteractiveContext): Promise<InteractiveOutcome> {
    const command = typeof args.command === 'string' ? args.command.trim() : '';
    if (!command) return failed('run_command needs a non-empty "command".');
    const cwd = await resolveCwd(typeof args.cwd === 'string' ? args.cwd : undefined, this.deps.roots());
    if (!cwd.ok) return failed(cwd.message);
    const card = (view: Partial<CommandView> & Pick<CommandView, 'state'>) =>
      context.show({ command, cwd: cwd.display, output: '', ...view });
    const verdict = await (this.deps.check ?? checkCommand)(command, this.deps.rules.current(), {
      isProtectedPath: this.deps.isProtectedPath,
    });
    const decision = decideRun({
      verdict,
      mode: this.deps.mode(),
      trusted: this.deps.isTrusted(),
      session: this.deps.session,
    });
    if (decision.kind === 'refuse') {
      card({ state: 'refused' });
      return failed(decision.message, 'refused');
    }
    if (decision.kind === 'ask') {
      card({ state: 'waiting' });
      const answer = await context.ask(
        approvalPrompt(command, cwd.display, decision.reasons, decision.offerSession ? verdict : undefined),
      );
      if (answer.choice === 'session') this.deps.session.approve(verdict);
      else if (answer.choice !== 'run') {
        card({ state: 'refused' });
        const note = answer.text?.trim();
        return {
          content: `The user rejected the command; it was not run.${note ? ` Their note: ${note}` : ''}`,
          summary: note ? `rejected: ${note}` : 'rejected by the user',
          rejected: true,
        };
      }
    }
    const timeoutS = clampTimeout(args.timeout, this.limits);
    return args.is_background === true
      ? this.runInBackground(command, cwd, context)
      : this.runToEnd(command, cwd, timeoutS, context);
  }

  private async runToEnd(
    command: string,
    cwd: { absolute: string; display: string },
    timeout: { seconds: number; note?: string },
    context: InteractiveContext,
  ): Promise<InteractiveOutcome> {
    const output = new OutputBuffer();
    const live = liveCard(context, command, cwd.display, output, this.limits.liveChars);
    const started = Date.now();
    const running = await this.deps.host.start({ command, cwd: cwd.absolute, onOutput: live.append });
    live.setVia(running.via);
    const ending = await endOf(running, timeout.seconds * 1000, context.signal);
    const durationMs = Date.now() - started;
    const exit = await running.exited;
    live.finish(ending === 'exited' ? (exit.code === 0 ? 'done' : 'failed') : 'stopped', exit.code, durationMs);
    const counter = await this.deps.counter();
    const body = headAndTail(output.text(), this.limits.outputTokens, counter) || '(no output)';
    const how =
      `$ ${command}\n(in ${cwd.display}, run ` +
      `${running.via === 'terminal' ? 'in a VS Code terminal with shell integration' : 'as a child process'})`;
    if (ending === 'stopped')
      return {
        content:
          `Stopped by the user after ${seconds(durationMs)}: the command and every process it started ` +
          `were killed.\n${how}\n\n${body}`,
        summary: 'stopped',
        isError: true,
      };
    if (ending === 'timeout') {
      const line =
        `Timed out after ${timeout.seconds} s: the command and every process it started were ` +
        `killed.${timeout.note ?? ''}`;
      return { content: `${line}\n${how}\n\n${body}`, summary: `timed out after ${timeout.seconds} s`, isError: true };
    }
    const first = exitLine(exit, durationMs);
    return {
      content: `${first}${timeout.note ?? ''}\n${how}\n\n${body}`,
      summary: `exit ${exit.code ?? exit.signal ?? '?'} · ${seconds(durationMs)}`,
      isError: exit.code !== 0,
    };
  }

  private async runInBackground(
    command: string,
    cwd: { absolute: string; display: string },
    context: InteractiveContext,
  ): Promise<InteractiveOutcome> {
    const output = new OutputBuffer();
    const live = liveCard(context, command, cwd.display, output, this.limits.liveChars);
    const started = Date.now();
    const job = await this.background.start(this.deps.host, { command, cwd: cwd.absolute }, live);
    live.setVia(job.running.via);
    const ended = await job.firstOutput(this.limits.backgroundWaitMs, context.signal);
    if (context.signal.aborted) {
      await this.background.stop(job.handle);
      throw new StoppedError();
    }
    const counter = await this.deps.counter();
    const body = headAndTail(job.unread(), this.limits.outputTokens, counter) || '(no output yet)';
    if (ended) {
      const exit = await job.running.exited;
      this.background.forget(job.handle);
      live.finish(exit.code === 0 ? 'done' : 'failed', exit.code, Date.now() - started);
      return {
        content:
          `The command ended before it could run in the background. ` +
          `${exitLine(exit, Date.now() - started)}\n\n${body}`,
        summary: `ended: exit ${exit.code ?? '?'}`,
        isError: exit.code !== 0,
      };
    }
    live.background(job.handle);
    return {
      content:
        `Running in the background as handle "${job.handle}" (in ${cwd.display}, ` +
        `${job.running.via === 'terminal' ? 'VS Code terminal' : 'child process'}). Output so far:\n\n${body}\n\n` +
        `Read more with read_command_output {"handle": "${job.handle}"}; stop it with stop_command.`,
      summary: `background: ${job.handle}`,
    };
  }
}

function failed(message: string, summary = message): InteractiveOutcome {
  return { content: `Error: ${message}`, summary, isError: true };
}

function clampTimeout(value: unknown, limits: RunLimits): { seconds: number; note?: string } {
  const asked = typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
  if (asked === undefined) return { seconds: limits.defaultTimeoutS };
  if (asked > limits.maxTimeoutS)
    return { seconds: limits.maxTimeoutS, note: ` (timeout ${asked} s asked; the limit is ${limits.maxTimeoutS} s)` };
  return { seconds: asked };
}

/** How a foreground command ended: by itself, by its timeout, or by Stop (both kill the tree first). */
async function endOf(
  running: RunningCommand,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<'exited' | 'timeout' | 'stopped'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const stopped = new Promise<'stopped'>((resolve) => {
    onAbort = () => resolve('stopped');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const ending = await Promise.race([running.exited.then(() => 'exited' as const), timedOut, stopped]);
  clearTimeout(timer);
  if (onAbort) signal.removeEventListener('abort', onAbort);
  if (ending !== 'exited') await running.kill();
  return ending;
}

export function approvalPrompt(
  command: string,
  cwd: string,
  reasons: readonly string[],
  session?: CommandVerdict,
): PromptView {
  const choices = [{ id: 'run', label: 'Run', primary: true }];
  if (session)
    choices.push({
      id: 'session',
      label: `Allow ${session.commands.map((c) => `"${c}"`).join(', ')} for this session`,
      primary: false,
    });
  choices.push({ id: 'reject', label: 'Reject', primary: false });
  return {
    kind: 'approval',
    title: 'Run this command?',
    text: command,
    details: [`in ${cwd}`, ...reasons],
    choices,
    placeholder: 'Note for the model (sent with Reject)',
    textChoice: 'reject',
  };
}
