// Lint keeps the layers honest: src/core never imports `vscode`, the webview imports
// nothing of the extension but the protocol, and no promise is left floating.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'sample-workspace/**',
      '**/*.mjs',
      '**/*.js',
      'test/fixtures/gentests/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'src/core is editor-free: reach the editor through an interface implemented in src/vscode/.',
            },
          ],
          patterns: [
            { group: ['**/vscode/**', '**/webview/**'], message: 'src/core depends on nothing outside src/core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser: talk to the host through the protocol.' }],
          patterns: [
            {
              group: ['../core/*', '!../core/protocol', '../vscode/**', '../extension'],
              message: 'The webview imports only src/core/protocol.',
            },
          ],
        },
      ],
    },
  },
  // eslint-config-prettier turns max-len off, so it is set again after it.
  prettier,
  {
    // Prettier wraps code at 120 columns but leaves long strings, comments and regexes alone; this catches those.
    // A regex literal that reads as one pattern may keep its line with a disable comment that says so.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/fixtures/**'],
    rules: {
      'max-len': ['error', { code: 120, tabWidth: 2, ignoreUrls: true }],
    },
  },
);
