// The integration suite under desktop VS Code, through @vscode/test-electron, for
// machines that can download VS Code (a laptop, hosted CI). Machines without that
// (only npm and Debian reachable) use test/integration/runCodeServer.ts instead;
// both load the same out/test/integration/index.js.
//
//   npm run test:electron            (VSCODE_TEST_VERSION=insiders|1.90.0|stable)
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// Fresh user data (no Welcome page) and a throwaway copy of the sample workspace.
const dir = mkdtempSync(join(tmpdir(), 'qcoder-electron-'));
const userData = join(dir, 'user');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
const workspace = join(dir, 'workspace');
if (existsSync(join(root, 'sample-workspace'))) cpSync(join(root, 'sample-workspace'), workspace, { recursive: true });
else mkdirSync(workspace);

let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    // As in runCodeServer.ts: the suites start their own model server.
    extensionTestsEnv: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: undefined },
    launchArgs: [
      workspace,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      join(dir, 'ext'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--disable-gpu',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
} catch (error) {
  console.error('integration tests failed:', error instanceof Error ? error.message : error);
  code = 1;
} finally {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(code);
