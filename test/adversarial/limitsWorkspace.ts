/**
 * The limits suite's workspace and its measuring stick. The workspace is generated in a temp
 * folder (never committed): a 50 MB minified bundle, a PNG renamed `.ts`, a file that is not
 * UTF-8, a 5 MB file on one line, a folder of 100,000 files and a 1 GB log made sparse (it
 * costs no disk). Each case runs under the event-loop delay monitor of this process.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type Sandbox, makeSandbox } from './sandbox';

export const MB = 1024 * 1024;
export const MANY_FILES = 100_000;

/** The smallest valid PNG (1×1, transparent): what an image renamed `.ts` holds. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Paths of the hostile files, folder-relative. */
export const HOSTILE = {
  minified: 'lib/vendor.js',
  png: 'src/logo.ts',
  latin1: 'src/legacy.ts',
  oneLine: 'src/data.ts',
  log: 'logs/server.log',
  many: 'generated',
} as const;

/** Minified code: 32 KB lines of real-looking JavaScript, `bytes` in all. */
function minified(bytes: number): string {
  const statement = 'var a=function(b,c){return b&&c?b.map(function(d){return d*c}):[]};';
  const line = statement.repeat(Math.ceil((32 * 1024) / statement.length));
  return `${line}\n`.repeat(Math.ceil(bytes / (line.length + 1)));
}

/** In memory where the system has it (tmpfs): 100,000 files are made and removed in a second or two, not ten. */
function inMemory<T>(make: () => T): T {
  const saved = process.env.TMPDIR;
  if (existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** The hostile files beside two ordinary ones. */
export function makeLimitsWorkspace(): Sandbox {
  const sandbox = inMemory(() => makeSandbox());
  ordinary(sandbox);
  sandbox.write(HOSTILE.minified, minified(50 * MB));
  sandbox.write(HOSTILE.png, PNG);
  // "café" in Latin-1, then two bytes that are never UTF-8.
  sandbox.write(
    HOSTILE.latin1,
    Buffer.concat([Buffer.from('export const legacy = "caf'), Buffer.from([0xe9, 0x22, 0x3b, 0x0a, 0xff, 0xfe, 0x0a])]),
  );
  sandbox.write(HOSTILE.oneLine, `export const data = "${'x'.repeat(5 * MB)}";`);
  sparseLog(sandbox);
  return sandbox;
}

/**
 * 100,000 files in one folder and the 1 GB log, beside the ordinary files. A workspace of its own: the
 * lexical index reads every file on the first question, which is issue 18's to make cheap (see the report).
 */
export function makeManyFilesWorkspace(): Sandbox {
  const sandbox = inMemory(() => makeSandbox());
  ordinary(sandbox);
  sparseLog(sandbox);
  const many = join(sandbox.root, HOSTILE.many);
  mkdirSync(many);
  for (let i = 0; i < MANY_FILES; i++) writeFileSync(join(many, `part${i}.ts`), '');
  return sandbox;
}

function ordinary(sandbox: Sandbox): void {
  sandbox.write('src/app.ts', 'import { data } from "./data";\nexport function serve() {\n  return data.length;\n}\n');
  sandbox.write('src/util.ts', 'export function vendorSize(): number {\n  return 50;\n}\n');
}

/** 1 GB that costs no disk: a file grown with ftruncate holds no blocks. */
function sparseLog(sandbox: Sandbox): void {
  mkdirSync(join(sandbox.root, 'logs'));
  const fd = openSync(join(sandbox.root, HOSTILE.log), 'w');
  ftruncateSync(fd, 1024 * MB);
  closeSync(fd);
}

export interface Measured<T> {
  readonly value?: T;
  readonly error?: unknown;
  readonly ms: number;
  /** The longest the event loop waited during the case, in ms. */
  readonly maxDelayMs: number;
}

/** Runs `work` and measures its wall time and the worst event-loop delay while it ran. */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // The monitor records the gap between two of its own ticks: let it tick once before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 25));
  const started = performance.now();
  let value: T | undefined;
  let error: unknown;
  try {
    value = await work();
  } catch (caught) {
    error = caught;
  }
  const ms = performance.now() - started;
  // One more turn of the loop, so a block at the very end is seen.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return { value, error, ms, maxDelayMs: histogram.max / 1e6 };
}
