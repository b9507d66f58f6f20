/**
 * The extension-tests entry point: VS Code loads this (bundled to
 * out/test/integration/index.js) inside the extension host and awaits run().
 * It runs every suite/*.test.js with mocha (bdd) and ends with one summary line,
 * `integration: N passed, N failed`, that scripts/test.mjs reads.
 * QCODER_TEST_GREP (in the environment of code-server or VS Code) narrows the run.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(process.env.QCODER_TEST_TIMEOUT_MS ?? 20_000),
    color: process.env.QCODER_TEST_COLOR === '1',
  });
  if (process.env.QCODER_TEST_GREP) mocha.grep(process.env.QCODER_TEST_GREP);
  const suiteDir = path.resolve(__dirname, 'suite');
  for (const file of readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(suiteDir, file));
  }
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        console.log(`integration: ${passed} passed, ${failed} failed`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (error) {
      // A suite that throws while loading never reaches the callback.
      console.error(error);
      console.log('integration: 0 passed, 1 failed');
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
