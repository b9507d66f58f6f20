/**
 * `search_files` through ripgrep: a regular expression from the model runs in another process
 * with a linear-time engine, so a catastrophic pattern cannot freeze the editor; the run has a
 * timeout and an output cap, and an invalid pattern comes back as ripgrep's own message. Links
 * are not followed (ripgrep's default): a linked folder cannot lead the search outside.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BUILD_DIRS, DEPENDENCY_DIRS } from '../context/files/builtinRules';
import { spawnFailure } from '../util/spawnError';

export interface GrepLine {
  /** Relative to the folder searched, `/`-separated. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  /** A matching line, or one of the context lines around it. */
  readonly match: boolean;
}

export interface GrepOptions {
  readonly rgPath: string;
  /** The folder searched (ripgrep's working directory). */
  readonly cwd: string;
  readonly pattern: string;
  readonly glob?: string;
  /** Lines shown before and after each match. */
  readonly contextLines?: number;
  /** Stop after this many matching lines (all files together). */
  readonly maxMatches: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export type GrepResult =
  | { readonly ok: true; readonly lines: GrepLine[]; readonly truncated: boolean; readonly timedOut: boolean }
  | { readonly ok: false; readonly message: string };

/** Longest line kept; ripgrep replaces longer ones by a note (a minified file must not flood the result). */
const MAX_COLUMNS = 500;
const MAX_STDERR = 4096;

/** Dependencies and build output are denied to the agent anyway; pruning them keeps big trees fast. */
export const PRUNE_ARGS: readonly string[] = [...DEPENDENCY_DIRS, ...BUILD_DIRS].flatMap((name) => [
  '--glob',
  `!${name}/`,
]);

export function grepArgs(options: Omit<GrepOptions, 'rgPath' | 'cwd' | 'timeoutMs' | 'signal'>): string[] {
  return [
    '--json',
    '--hidden',
    '--no-require-git',
    '--no-ignore-parent',
    '--no-config',
    '--max-filesize',
    '1M',
    '--max-columns',
    String(MAX_COLUMNS),
    '--max-columns-preview',
    '--max-count',
    String(options.maxMatches),
    '--context',
    String(Math.max(0, Math.min(10, options.contextLines ?? 0))),
    ...(options.glob ? ['--glob', options.glob] : []),
    ...PRUNE_ARGS,
    '--regexp',
    options.pattern,
    '--',
    '.',
  ];
}

/** One line of `rg --json` output, or undefined for the events we do not use (begin, end, summary). */
export function parseJsonLine(json: string): GrepLine | undefined {
  let event: { type?: string; data?: Record<string, unknown> };
  try {
    event = JSON.parse(json) as typeof event;
  } catch {
    return undefined;
  }
  if ((event.type !== 'match' && event.type !== 'context') || !event.data) return undefined;
  const path = textOf(event.data.path);
  const line = event.data.line_number;
  if (path === undefined || typeof line !== 'number') return undefined;
  const text = (textOf(event.data.lines) ?? '').replace(/\r?\n$/, '');
  return { path: path.replace(/^\.\//, ''), line, text, match: event.type === 'match' };
}

/** ripgrep writes `{"text": …}`, or `{"bytes": base64}` when the data is not UTF-8. */
function textOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { text, bytes } = value as { text?: unknown; bytes?: unknown };
  if (typeof text === 'string') return text;
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64').toString('utf8');
  return undefined;
}

export function grep(options: GrepOptions): Promise<GrepResult> {
  return new Promise((resolve) => {
    const lines: GrepLine[] = [];
    let matches = 0;
    let pending = '';
    let stderr = '';
    let truncated = false;
    let timedOut = false;
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(options.rgPath, grepArgs(options), {
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      // A working folder that is a file throws here instead of emitting 'error'.
      resolve({ ok: false, message: spawnFailure(error, 'ripgrep', options.cwd) });
      return;
    }
    const stop = () => child.kill();
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (truncated) return;
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        const line = parseJsonLine(part);
        if (!line) continue;
        if (line.match && matches === options.maxMatches) {
          truncated = true;
          stop();
          return;
        }
        if (line.match) matches++;
        lines.push(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk;
    });
    const finish = (result: GrepResult) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve(result);
    };
    child.on('error', (error) => finish({ ok: false, message: spawnFailure(error, 'ripgrep', options.cwd) }));
    child.on('close', (code) => {
      // 0: matches, 1: none; 2 with no output is an error (a bad pattern, a bad glob).
      if (code === 2 && lines.length === 0 && stderr.trim())
        return finish({ ok: false, message: stderr.trim().slice(0, MAX_STDERR) });
      finish({ ok: true, lines, truncated, timedOut });
    });
  });
}
