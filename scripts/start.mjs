// `npm start`: try QCoder in a real VS Code on sample-workspace/.
//
// Installs dependencies if missing and builds; then, if a desktop `code` CLI is on
// PATH, opens an Extension Development Host window. Otherwise (or with
// QCODER_USE_CODE_SERVER=1) it serves VS Code in the browser through code-server on
// 127.0.0.1:$QCODER_PORT (default 8080), with QCoder loaded as a development
// extension, and prints the URL to open. OPENAI_API_KEY, OPENAI_BASE_URL and
// OPENAI_MODEL pass through to the extension. `npm start -- --watch` also rebuilds
// on change (reload the window to pick changes up). Settings, the stored API key and
// extensions of the code-server instance persist in .vscode-test/start/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(root, 'sample-workspace');
const watch = process.argv.includes('--watch');
const windows = process.platform === 'win32';

function runOrExit(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: windows, ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function onPath(name) {
  const names = windows ? [`${name}.cmd`, `${name}.exe`] : [name];
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && names.some((n) => existsSync(join(dir, n))));
}

if (!existsSync(join(root, 'node_modules'))) {
  console.log('installing dependencies (npm install)…');
  runOrExit('npm', ['install']);
}
runOrExit(process.execPath, ['esbuild.mjs']);
const watcher = watch
  ? spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: root, stdio: 'inherit' })
  : undefined;

if (process.env.QCODER_USE_CODE_SERVER !== '1' && onPath('code')) {
  console.log('opening an Extension Development Host window with sample-workspace/');
  const code = spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], {
    cwd: root,
    stdio: 'inherit',
    shell: windows,
  });
  code.on('exit', (status) => {
    if (!watcher) process.exit(status ?? 0);
  });
} else {
  startCodeServer();
}

function startCodeServer() {
  const bin = join(root, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
  if (!existsSync(bin)) {
    console.log('no `code` CLI found: installing code-server to serve VS Code in the browser…');
    runOrExit('bash', [join(root, 'scripts', 'install-code-server.sh')]);
  }
  const port = Number(process.env.QCODER_PORT ?? 8080);
  const dir = join(root, '.vscode-test', 'start');
  const userDir = join(dir, 'user', 'User');
  mkdirSync(join(dir, 'ext'), { recursive: true });
  mkdirSync(userDir, { recursive: true });
  if (!existsSync(join(dir, 'config.yaml'))) writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  if (!existsSync(join(userDir, 'settings.json'))) {
    writeFileSync(join(userDir, 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
  }
  const server = spawn(
    bin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--config',
      join(dir, 'config.yaml'),
      '--user-data-dir',
      join(dir, 'user'),
      '--extensions-dir',
      join(dir, 'ext'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
    },
  );

  const stop = () => {
    server.kill('SIGTERM');
    watcher?.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (status) => {
    watcher?.kill('SIGTERM');
    process.exit(status ?? 0);
  });

  // code-server rejects --extensionDevelopmentPath; the URL payload loads the extension
  // (the path must be a vscode-remote URI; `remote` is code-server's remote authority).
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://remote${root}`]]);
  const url = `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: workspace, payload })}`;
  const started = Date.now();
  const poll = () => {
    const req = get(`http://127.0.0.1:${port}/healthz`, (res) => {
      res.resume();
      if (res.statusCode === 200) announce();
      else setTimeout(poll, 200);
    });
    req.on('error', () => {
      if (Date.now() - started < 60_000) setTimeout(poll, 200);
    });
  };
  const announce = () => {
    const key = process.env.OPENAI_API_KEY
      ? 'OPENAI_API_KEY from the environment'
      : 'no OPENAI_API_KEY: run "QCoder: Set API Key" or use a loopback qcoder.baseUrl';
    console.log(`\nQCoder is running in VS Code at\n\n  ${url}\n\n(${key}; Ctrl+C to stop)\n`);
  };
  poll();
}
