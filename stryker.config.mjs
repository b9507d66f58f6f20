// Mutation testing for the modules that guard security, edits and model output:
// `npm run test:mutation` (all of them, long) or
// `npx stryker run --mutate src/core/edits/locate.ts` (one file).
// The unit tests run under node:test with tsx; the tap runner reads their TAP output
// and measures coverage per test file, so each mutant runs only the files that reach it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: ['test/unit/**/*.test.ts'],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  // .vscode-test holds code-server (a symlink in worktrees); the build output is not under test.
  ignorePatterns: ['.vscode-test', 'dist', 'out', 'reports', 'test-results', '*.vsix'],
  concurrency: 2,
  timeoutMS: 20000,
  mutate: [
    'src/core/edits/locate.ts',
    'src/core/edits/apply.ts',
    'src/core/model/markupFilter.ts',
    'src/core/model/qwenToolCalls.ts',
    'src/core/model/toolArguments.ts',
    'src/core/context/files/accessPolicy.ts',
    'src/core/context/files/decision.ts',
    'src/core/context/files/realPath.ts',
    'src/core/context/files/builtinRules.ts',
    'src/core/context/files/secretRules.ts',
    'src/core/edits/paths.ts',
    'src/core/edits/protectedPaths.ts',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
