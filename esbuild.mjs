// One build script, three targets: the extension host bundle (node, `vscode` external),
// the chat webview bundle (browser), and, with --tests, the integration suite that
// runs inside a real VS Code extension host.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/** `import('./sdk')` in src/core/mcp stays a run-time import of dist/mcpSdk.js instead of being inlined. */
const mcpSdkApart = {
  name: 'mcp-sdk-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk$/ }, (resolved) =>
      resolved.importer.replace(/\\/g, '/').endsWith('src/core/mcp/connection.ts')
        ? { path: './mcpSdk.js', external: true }
        : undefined,
    );
  },
};

const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // playwright-core (the page preview) is loaded at run time from dist/node_modules, copied there below.
    external: ['vscode', 'playwright-core'],
    // The MCP SDK is its own bundle, loaded when a server first starts (it builds its schemas when loaded).
    plugins: [mcpSdkApart],
    // jsonc-parser's "main" is a UMD build whose require('./impl/…') calls esbuild cannot follow: take its ES build.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  },
  {
    ...common,
    entryPoints: { mcpSdk: 'src/core/mcp/sdk.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    // The lexical index's worker thread, started by the extension host from dist/indexWorker.js.
    entryPoints: { indexWorker: 'src/core/context/indexWorker/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (withTests) {
  const suite = 'test/integration/suite';
  const entries = readdirSync(suite)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(suite, f));
  targets.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: ['test/integration/index.ts', ...entries],
    outdir: 'out/test/integration',
    outbase: 'test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

// The Qwen vocabulary ships gzipped beside the bundles; build it once (it changes only with the package).
if (!existsSync('dist/qwen3-tokenizer.json.gz')) {
  const result = spawnSync(process.execPath, ['scripts/build-tokenizer.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The command checker's shell grammar (web-tree-sitter's runtime and tree-sitter-bash, as wasm) loads
// from beside the bundle; the package's other grammars stay out of the VSIX.
mkdirSync('dist', { recursive: true });
for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) {
  copyFileSync(join('node_modules', '@vscode', 'tree-sitter-wasm', 'wasm', file), join('dist', file));
}

// Codicons for the chat webview's buttons, loaded from dist/ under the webview's CSP (font-src).
for (const file of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(join('node_modules', '@vscode', 'codicons', 'dist', file), join('dist', file));
}
// The page preview drives the user's own browser through playwright-core, which cannot be bundled (it reads its
// own files at run time): the package goes beside the bundle as it is, without its trace viewer (lib/vite).
const playwright = join('node_modules', 'playwright-core');
cpSync(playwright, join('dist', 'node_modules', 'playwright-core'), {
  recursive: true,
  filter: (source) => !source.startsWith(join(playwright, 'lib', 'vite')),
});

if (watch) {
  for (const options of targets) await (await esbuild.context(options)).watch();
  console.log('[qcoder] watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(targets.map((options) => esbuild.build(options)));
  console.log(
    `[qcoder] built ${targets.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`,
  );
}
