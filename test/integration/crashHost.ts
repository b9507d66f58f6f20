/**
 * Crash safety in the real VS Code (issue 23, suite 4): code-server on a temporary workspace, the
 * crash-writer suite (suite/crashWriter.test.ts) chatting in its extension host, and SIGKILL of that
 * extension host at a random moment while it writes sessions. After each kill the window is reloaded
 * (a new extension host) and the session folder is checked on disk: every turn the writer logged as
 * committed, in this trial or any before, is in its session file with the exact reply, and every file
 * in the folder parses (crashJudge.ts, shown to fail on planted faults by test/unit/crashJudge.test.ts).
 * Prints `crash-safety (VS Code): N cases, M violations`; exits 1 on a violation.
 *
 *   node esbuild.mjs --tests && npx tsx test/integration/crashHost.ts [--trials 10]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  launchChromium,
  remoteUri,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type Browser,
} from '../support/codeServer';
import { judgeCrash } from './crashJudge';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '10' } } });
const trials = Number(values.trials);
const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const log = (...args: unknown[]) => console.log('[crash]', ...args);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lines of the writer's log that start with `word`, split on spaces. */
function logLines(file: string, word: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts) => parts[0] === word);
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Live processes of this run (the environment carries this run's log path) whose command line is an extension host. */
function extensionHosts(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('extensionHost')) continue;
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${entry}/status`, 'utf8'))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

async function main(): Promise<number> {
  const parent = mkdtempSync(path.join(tmpdir(), 'qcoder-crash-'));
  const workspace = path.join(parent, 'workspace');
  const crashLog = path.join(parent, 'writer.log');
  mkdirSync(workspace);
  writeFileSync(crashLog, '');
  const server = await startCodeServer({
    workspace,
    env: { OPENAI_API_KEY: undefined, QCODER_CRASH_LOG: crashLog, QCODER_TEST_GREP: 'crash-writer' },
  });
  let browser: Browser | undefined;
  const found: string[] = [];
  let commits = 0;
  let midStream = 0;
  const seenStreaming = new Set<string>();
  try {
    browser = await launchChromium();
    await browser.page.exposeFunction('codeAutomationExit', () => undefined);
    await browser.page.exposeFunction('codeAutomationLog', () => undefined);
    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, testsPath)],
    ]);
    for (let trial = 1; trial <= trials; trial++) {
      const readyBefore = logLines(crashLog, 'ready').length;
      await browser.page.goto(url);
      const [, pid, folder] = await waitFor('the writer', 90_000, () => logLines(crashLog, 'ready')[readyBefore]);
      const before = logLines(crashLog, 'committed').length;
      await waitFor('a first commit', 30_000, () => (logLines(crashLog, 'committed').length > before ? 1 : undefined));
      // A random moment in the writes that follow: mid-stream saves, the final save, a new chat.
      await sleep(Math.floor(Math.random() * 2500));
      process.kill(Number(pid), 'SIGKILL');
      await browser.page.goto('about:blank');
      // Nothing of this run may write while the folder is read (a host the workbench restarted, say).
      for (const other of extensionHosts(`QCODER_CRASH_LOG=${crashLog}`)) process.kill(other, 'SIGKILL');
      await sleep(200);
      const committed = logLines(crashLog, 'committed');
      const result = judgeCrash(folder, committed);
      commits = committed.length;
      const cut = result.streaming.filter((id) => !seenStreaming.has(id));
      cut.forEach((id) => seenStreaming.add(id));
      if (cut.length) midStream++;
      const what = `${committed.length - before} commits${cut.length ? ', a reply cut mid-stream' : ''}`;
      log(`trial ${trial}: killed ${pid} after ${what}; ${result.found.length} violations`);
      found.push(...result.found.map((v) => `trial ${trial}: ${v}`));
    }
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  }
  for (const violation of found) console.log(`  violation: ${violation}`);
  log(`${commits} committed turns checked after every kill; ${midStream} kills cut a reply mid-stream`);
  console.log(`crash-safety (VS Code): ${trials} cases, ${found.length} violations`);
  return found.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('[crash] failed:', error);
    console.log(`crash-safety (VS Code): ${trials} cases, 1 violations`);
    process.exit(1);
  },
);
