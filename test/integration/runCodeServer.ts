/**
 * Runs the integration suite inside a real VS Code extension host, served by
 * code-server and driven by headless Chromium (see VSCODE-HARNESS.md).
 *
 *   node esbuild.mjs --tests && npx tsx test/integration/runCodeServer.ts
 *
 * It builds nothing: it loads the repository as a development extension with
 * out/test/integration/index.js as the extension tests, prints the extension host's
 * output, and exits with the tests' code (1 on timeout). Options:
 *   --timeout <seconds>   (default 900, or QCODER_TEST_TIMEOUT_S)
 *   --extension <dir>     development extension root (default: this repository)
 *   --tests <file>        extension tests entry (default: <extension>/out/test/integration/index.js)
 *   --workspace <dir>     folder to open (default: a fresh copy of sample-workspace/)
 *   --multi-root          open a two-folder .code-workspace (a copy of sample-workspace/ as `app`
 *                         and a small `lib`) and run only the suites named "multi-root"
 *   --untrusted           Workspace Trust on and the folder not trusted (Restricted Mode); runs only the
 *                         suites named "untrusted". A test that logs GRANT_TRUST_LINE gets the folder trusted
 *                         by a click in VS Code's trust editor (there is no API to grant trust).
 * QCODER_TEST_VERBOSE=1 also prints code-server's output and the page's console;
 * QCODER_TEST_GREP narrows the mocha run. OPENAI_API_KEY/BASE_URL/MODEL are removed
 * from the extension host's environment (tests set what they need).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import {
  launchChromium,
  remoteUri,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type Browser,
  type CodeServer,
} from '../support/codeServer';

const { values } = parseArgs({
  options: {
    timeout: { type: 'string', default: process.env.QCODER_TEST_TIMEOUT_S ?? '900' },
    extension: { type: 'string', default: repoRoot },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    'multi-root': { type: 'boolean', default: false },
    untrusted: { type: 'boolean', default: false },
  },
});

/** Printed by an untrusted-run test that wants the workspace trusted (the trust editor must be open). */
const GRANT_TRUST_LINE = '[qcoder-runner] trust this workspace';

/** Clicks the trust editor's first button ("Trust"), as a person would. */
async function grantTrust(page: Browser['page']): Promise<void> {
  try {
    const button = page.locator('.workspace-trust-buttons-row .monaco-button').first();
    await button.click({ timeout: 15_000 });
    log('clicked Trust in the Workspace Trust editor');
  } catch (error) {
    log(`could not click Trust: ${String(error)}`);
  }
}
const verbose = process.env.QCODER_TEST_VERBOSE === '1';
const timeoutMs = Number(values.timeout) * 1000;
const extensionPath = path.resolve(values.extension);
const testsPath = path.resolve(values.tests ?? path.join(extensionPath, 'out', 'test', 'integration', 'index.js'));

const log = (...args: unknown[]) => console.log('[runner]', ...args);

/** Workbench chatter that says nothing about the tests; shown with QCODER_TEST_VERBOSE=1. */
const noise = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore: Migrating 0 chat sessions/,
];

function formatLog(args: unknown): string {
  return Array.isArray(args) ? format(...(args as unknown[])) : format(args);
}

/** A throwaway copy of the sample workspace, so tests may write to it. */
function makeWorkspace(): { folder: string; cleanup: () => void } {
  if (values.workspace) return { folder: path.resolve(values.workspace), cleanup: () => undefined };
  const parent = mkdtempSync(path.join(tmpdir(), 'qcoder-ws-'));
  if (values['multi-root']) {
    cpSync(path.join(repoRoot, 'sample-workspace'), path.join(parent, 'app'), { recursive: true });
    mkdirSync(path.join(parent, 'lib', 'src'), { recursive: true });
    writeFileSync(
      path.join(parent, 'lib', 'src', 'money.ts'),
      'export function roundCents(value: number): number {\n  return Math.round(value);\n}\n',
    );
    const file = path.join(parent, 'multi.code-workspace');
    writeFileSync(file, JSON.stringify({ folders: [{ path: 'app' }, { path: 'lib' }] }));
    return { folder: file, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
  }
  const folder = path.join(parent, 'workspace');
  const sample = path.join(repoRoot, 'sample-workspace');
  if (existsSync(sample)) cpSync(sample, folder, { recursive: true });
  else mkdirSync(folder);
  return { folder, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}

async function main(): Promise<number> {
  if (!existsSync(testsPath)) {
    console.error(`${testsPath} does not exist; build it first: node esbuild.mjs --tests`);
    return 1;
  }
  const started = Date.now();
  const workspace = makeWorkspace();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  let code = 1;
  let timedOut = false;
  const cleanup = async () => {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
    workspace.cleanup();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    server = await startCodeServer({
      workspace: workspace.folder,
      // The suites start their own model server; a developer's real key or endpoint must not leak in.
      env: {
        OPENAI_API_KEY: undefined,
        OPENAI_BASE_URL: undefined,
        OPENAI_MODEL: undefined,
        ...(values['multi-root'] ? { QCODER_TEST_GREP: 'multi-root' } : {}),
        ...(values.untrusted ? { QCODER_TEST_GREP: 'untrusted' } : {}),
      },
      workspaceTrust: values.untrusted,
      settings: values.untrusted
        ? {
            'security.workspace.trust.enabled': true,
            'security.workspace.trust.startupPrompt': 'never',
            'security.workspace.trust.emptyWindow': false,
          }
        : undefined,
      onLine: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
    });
    log(`code-server ready on ${server.url} in ${Date.now() - started} ms`);
    browser = await launchChromium();
    const { page } = browser;
    let finish: (exitCode: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => {
      finish = resolve;
    });
    timer = setTimeout(() => {
      timedOut = true;
      log(`timed out after ${timeoutMs / 1000} s`);
      finish(1);
    }, timeoutMs);
    // Called by the workbench with 0 when run() resolves, 1 when it rejects or cannot load.
    await page.exposeFunction('codeAutomationExit', (exitCode: number) => {
      finish(exitCode);
    });
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown) => {
      const text = formatLog(args);
      if (values.untrusted && text.includes(GRANT_TRUST_LINE)) void grantTrust(page);
      if (verbose || !noise.some((pattern) => pattern.test(text))) console.log(text);
    });
    if (verbose) {
      page.on('console', (message) => console.log(`[page ${message.type()}] ${message.text()}`));
      page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
    }
    const url = workbenchUrl(server, workspace.folder, [
      ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
      ['extensionTestsPath', remoteUri(server, testsPath)],
    ]);
    if (verbose) log(`opening ${url}`);
    await page.goto(url);
    code = await finished;
    if (timedOut) {
      await page
        .screenshot({ path: path.join(repoRoot, 'test-results', 'integration-timeout.png') })
        .catch(() => undefined);
      console.log(`[runner] code-server's last output:\n${server.recentOutput().slice(-40).join('\n')}`);
    }
  } catch (error) {
    console.error('[runner] failed:', error);
    code = 1;
  } finally {
    await cleanup();
  }
  log(`exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
