/**
 * Runs a writer script (test/support/sessionWriter.ts, bundled) as a child process and kills it
 * with SIGKILL a while after it says `ready`; collects the `committed <session> <count>` lines it
 * printed before it died,
 * and the `checkpoint <id> <sha256>` lines. Used by the unit crash test and the crash-safety adversarial suite.
 */
import { spawn } from 'node:child_process';
import { build } from 'esbuild';

export interface KilledWriter {
  /** Per session, the number of messages whose save had resolved when the writer died. */
  readonly committed: Map<string, number>;
  /** Checkpoint ids whose write had resolved, with the SHA-256 (hex) of the text written. */
  readonly checkpoints: Map<string, string>;
}

/** Bundles the session writer into one CommonJS file, so each child starts without tsx. */
export async function bundleWriter(outfile: string): Promise<void> {
  await build({
    entryPoints: ['test/support/sessionWriter.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
}

/** Runs the writer on `folder`, kills it `delayMs` after it is ready; resolves with what it committed. */
export function runAndKill(script: string, folder: string, seed: number, delayMs: number): Promise<KilledWriter> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, folder, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed = new Map<string, number>();
    const checkpoints = new Map<string, string>();
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        const [word, id, count] = line.split(' ');
        if (word === 'ready') {
          if (count !== undefined || id !== '0') reject(new Error(`the writer found problems on load: ${line}`));
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        } else if (word === 'committed') committed.set(id, Number(count));
        else if (word === 'checkpoint') checkpoints.set(id, count);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => (errors += data));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ committed, checkpoints });
      else reject(new Error(`the writer exited by itself (${code}): ${errors}`));
    });
  });
}
