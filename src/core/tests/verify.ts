/**
 * After the user accepts generated tests, QCoder runs them with `run_command` (the agent's own
 * tool: the same approvals, card and Stop) and, when they fail, gives the real output back to the
 * model once for a fix, which is a second reviewable edit, then runs them again. Pure parts: the
 * tool call, how a run ended as the tool's record says it, the fix request and the chat's lines.
 */
import type { ToolCall } from '../model/types';
import { FENCE_TAGS, type Language } from './frameworks';
import { longestRun } from './prompt';

/** What `verifyTests` reads of a finished run_command call. */
export interface RunRecord {
  readonly status: string;
  readonly result?: string;
  readonly command?: { readonly exitCode?: number };
}

export type TestRunOutcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failed'; readonly exitCode: number; readonly output: string }
  /** Rejected, refused, stopped, timed out, or ended with no exit code: nothing to fix from. */
  | { readonly kind: 'not run'; readonly reason: string };

export function testRunCall(id: string, command: string, cwd: string): ToolCall {
  const args = { command, cwd };
  return { id, name: 'run_command', arguments: args, rawArguments: JSON.stringify(args) };
}

export function runOutcome(record: RunRecord | undefined): TestRunOutcome {
  if (!record) return { kind: 'not run', reason: 'the chat was busy answering' };
  const result = record.result ?? '';
  const exit = /^Exit code (-?\d+) after /.exec(result);
  if (!exit) return { kind: 'not run', reason: firstLine(result) || record.status };
  const exitCode = Number(exit[1]);
  return exitCode === 0 ? { kind: 'passed' } : { kind: 'failed', exitCode, output: result };
}

export interface FixRequest {
  readonly command: string;
  readonly exitCode: number;
  /** The run_command result: the exit line, where it ran and the output (head and tail). */
  readonly output: string;
  /** The test file as the user reads its path. */
  readonly testFile: string;
  readonly language: Language;
  /** The tests that were added and failed. */
  readonly code: string;
}

/** The one request for a fix: the failing run as it happened and the tests that failed. */
export function fixPrompt(request: FixRequest): string {
  const tag = FENCE_TAGS[request.language];
  const fence = '`'.repeat(Math.max(3, longestRun(`${request.code}\n${request.output}`) + 1));
  return [
    `The tests you wrote in \`${request.testFile}\` failed: \`${request.command}\` exited with ${request.exitCode}.`,
    '',
    `${fence}text`,
    request.output.trim(),
    fence,
    '',
    'The tests that were added:',
    '',
    `${fence}${tag}`,
    request.code.trim(),
    fence,
    '',
    `Reply with the corrected tests in one \`${tag}\` code block; they replace the tests above (same ` +
      `imports rules, no other code). Do not call tools. If the code under test is wrong rather than the ` +
      `tests, say so and give no code block.`,
  ].join('\n');
}

export function passedLine(command: string, attempt: 1 | 2): string {
  return `✅ The generated tests passed${attempt === 2 ? ' after the fix' : ''}: \`${command}\` exited with 0.`;
}

export function failedLine(command: string, exitCode: number, final: boolean): string {
  const then = final
    ? 'QCoder asked for one fix only; the card above shows the output.'
    : 'The output goes back to the model once for a fix.';
  return `❌ The generated tests failed: \`${command}\` exited with ${exitCode}. ${then}`;
}

export function notRunLine(command: string, reason: string): string {
  return `The generated tests were not run (\`${command}\`): ${reason}.`;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/^Error:\s*/, '').replace(/\.$/, '');
}
