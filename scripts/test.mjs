// One command for every test tier:
//
//   node scripts/test.mjs                 build, then unit, adversarial, integration, e2e
//   node scripts/test.mjs unit|adversarial|integration|e2e [more tiers…]
//
// Builds once (`node esbuild.mjs --tests`), runs each tier as its own process with
// its output shown as it comes, reads each tier's pass/fail counts from that output,
// and ends with a per-tier summary and one line `N passed, N failed`. Exits non-zero
// if any tier fails (a tier that crashes before reporting counts as one failure).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const allTiers = ['unit', 'adversarial', 'integration', 'e2e'];

/** Files under `dir` (recursively) whose names end with `suffix`, as sorted repo-relative paths. */
function findFiles(dir, suffix) {
  const found = [];
  const walk = (current) => {
    if (!existsSync(current)) return;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith(suffix)) found.push(relative(root, full));
    }
  };
  walk(join(root, dir));
  return found.sort();
}

/** node:test ends with `# pass N` (TAP) or `ℹ pass N` (spec), `fail` and `cancelled` likewise. */
function nodeTestCounts(output) {
  const pick = (word) => {
    const matches = [...output.matchAll(new RegExp(`^(?:#|ℹ)\\s*${word}\\s+(\\d+)\\s*$`, 'gm'))];
    return matches.length ? Number(matches.at(-1)[1]) : undefined;
  };
  const passed = pick('pass');
  const failed = pick('fail');
  // A test cancelled because its hook or file failed did not pass either.
  return passed === undefined || failed === undefined
    ? undefined
    : { passed, failed: failed + (pick('cancelled') ?? 0) };
}

/** The integration tier is three runs (one folder, multi-root, untrusted): their counts add up. The crash
 * driver after them prints its own line and fails the tier through its exit code. */
function integrationCounts(output) {
  const matches = [...output.matchAll(/^integration: (\d+) passed, (\d+) failed\s*$/gm)];
  if (matches.length < 2)
    return matches.length ? { passed: Number(matches[0][1]), failed: Number(matches[0][2]) + 1 } : undefined;
  return matches.reduce(
    (sum, [, passed, failed]) => ({ passed: sum.passed + Number(passed), failed: sum.failed + Number(failed) }),
    { passed: 0, failed: 0 },
  );
}

const nodeTest = (files) => [process.execPath, '--import', 'tsx', '--test', '--test-reporter=spec', ...files];

const tiers = {
  unit: () => {
    const files = findFiles('test/unit', '.test.ts');
    return { files, command: nodeTest(files), counts: nodeTestCounts };
  },
  // Attack suites on real files and links; each prints `name: N cases, 0 violations`.
  adversarial: () => {
    const files = findFiles('test/adversarial', '.test.ts');
    return { files, command: nodeTest(files), counts: nodeTestCounts };
  },
  integration: () => ({
    files: ['out/test/integration/index.js'],
    command: [
      'sh',
      '-c',
      `"${process.execPath}" --import tsx test/integration/runCodeServer.ts; first=$?; "${process.execPath}" --import tsx test/integration/runCodeServer.ts --multi-root || exit 1; "${process.execPath}" --import tsx test/integration/runCodeServer.ts --untrusted || exit 1; "${process.execPath}" --import tsx test/integration/crashHost.ts || exit 1; exit $first`,
    ],
    counts: integrationCounts,
  }),
  e2e: () => {
    const files = findFiles('test/e2e', '.e2e.ts');
    // Package once; every e2e file installs the same .vsix (QCODER_VSIX).
    const vsix = process.env.QCODER_VSIX ?? 'qcoder.vsix';
    const test = nodeTest(files)
      .map((part) => `"${part}"`)
      .join(' ');
    const packageStep = process.env.QCODER_VSIX ? 'true' : 'npm run -s package';
    return { files, command: ['sh', '-c', `${packageStep} && QCODER_VSIX="${vsix}" ${test}`], counts: nodeTestCounts };
  },
};

/** Runs a command with its output passed through and kept; resolves with exit code and output. */
function run([command, ...args]) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (data) => {
      output += data;
      process.stdout.write(data);
    });
    child.stderr.on('data', (data) => {
      output += data;
      process.stderr.write(data);
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const requested = process.argv.slice(2);
const unknown = requested.filter((tier) => !allTiers.includes(tier));
if (unknown.length) {
  console.error(`unknown tier(s): ${unknown.join(', ')}; use ${allTiers.join(', ')}`);
  process.exit(2);
}
const selected = requested.length ? allTiers.filter((tier) => requested.includes(tier)) : allTiers;

const buildStarted = Date.now();
console.log('── build ──');
const build = await run([process.execPath, 'esbuild.mjs', '--tests']);
if (build.code !== 0) {
  console.error(`build failed (exit ${build.code}); no tests run`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const buildMs = Date.now() - buildStarted;

const results = [];
for (const name of selected) {
  const tier = tiers[name]();
  console.log(`\n── ${name} ──`);
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let note = '';
  if (!tier.files.length) {
    note = 'no test files';
  } else {
    const { code, output } = await run(tier.command);
    const counts = tier.counts(output);
    if (counts) ({ passed, failed } = counts);
    if (!counts) {
      failed = Math.max(failed, 1);
      note = `no result line (exit ${code})`;
    } else if (code !== 0 && failed === 0) {
      failed = 1;
      note = `exit ${code} with no failed test`;
    }
  }
  results.push({ name, passed, failed, ms: Date.now() - started, note });
}

const pad = Math.max(...results.map((r) => r.name.length), 'build'.length);
console.log('\n── summary ──');
console.log(`${'build'.padEnd(pad)}  ${seconds(buildMs)}`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(pad)}  ${String(r.passed).padStart(4)} passed  ${String(r.failed).padStart(3)} failed  ${seconds(r.ms).padStart(8)}${r.note ? `  (${r.note})` : ''}`,
  );
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
