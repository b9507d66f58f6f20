/** Runs a helper program (git, ripgrep) to completion and hands back its output. */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { spawnFailure } from '../../util/spawnError';

export interface ProcessResult {
  /** Exit code; -1 when it could not start or was killed. */
  readonly code: number;
  readonly stdout: Buffer;
  /** The program's own error output, or why it could not start. */
  readonly stderr: string;
  /** Output went past `maxBytes`; the process was stopped and `stdout` holds the start. */
  readonly truncated: boolean;
}

export interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Stop reading (and kill the process) past this many bytes of output. */
  readonly maxBytes?: number;
}

export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let settled = false;
    let truncated = false;
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        signal: options.signal,
      });
    } catch (error) {
      // A working folder that is a file throws here instead of emitting 'error'.
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: spawnFailure(error, command, options.cwd), truncated });
      return;
    }
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 30_000);
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(chunks), stderr, truncated });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (options.maxBytes !== undefined && bytes > options.maxBytes) {
        truncated = true;
        child.kill();
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.on('error', (error) => {
      if (!stderr) stderr = spawnFailure(error, command, options.cwd);
      finish(-1);
    });
    child.on('close', (code) => finish(code ?? -1));
  });
}

/** Splits NUL-separated output (`-z`, `--null`) into strings. */
export function splitNul(output: Buffer): string[] {
  const text = output.toString('utf8');
  return text ? text.split('\0').filter(Boolean) : [];
}
