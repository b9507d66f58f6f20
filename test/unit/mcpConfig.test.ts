import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { definitionHash, describeServer, parseServers, type Variables } from '../../src/core/mcp/config';
import { parseJsonc } from '../../src/core/mcp/jsonc';
import { nameTools, sanitize } from '../../src/core/mcp/names';

const env = (values: Record<string, string>) => ({ env: (name: string) => values[name] });

describe('MCP server definitions as users write them', () => {
  test('a Claude / Qwen Code block with mcpServers works unchanged', () => {
    const { servers, problems } = parseServers(
      {
        mcpServers: {
          github: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github'],
            env: { GITHUB_TOKEN: '${env:GH}' },
          },
          docs: { url: 'https://docs.example.test/mcp', headers: { Authorization: 'Bearer ${secret:docsToken}' } },
          legacy: { url: 'http://127.0.0.1:9000/sse' },
        },
      },
      'user',
      {
        env: (name) => (name === 'GH' ? 'gh-123' : undefined),
        secret: (name) => (name === 'docsToken' ? 't0k' : undefined),
      },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      servers.map((server) => [server.name, server.kind]),
      [
        ['github', 'stdio'],
        ['docs', 'http'],
        ['legacy', 'sse'],
      ],
    );
    const [github, docs] = servers;
    assert.ok(github.kind === 'stdio' && docs.kind === 'http');
    assert.deepEqual(github.args, ['-y', '@modelcontextprotocol/server-github']);
    assert.equal(github.env.GITHUB_TOKEN, 'gh-123');
    assert.equal(docs.headers.Authorization, 'Bearer t0k');
  });

  test("VS Code's mcp.json shape (servers, type) and a bare map both parse", () => {
    const vscodeShape = parseServers(
      { servers: { fs: { type: 'stdio', command: 'node', args: ['x.js'] } } },
      'workspace',
      env({}),
    );
    assert.equal(vscodeShape.servers[0].kind, 'stdio');
    assert.equal(vscodeShape.servers[0].origin, 'workspace');
    const bare = parseServers({ web: { type: 'sse', url: 'http://127.0.0.1:1/events' } }, 'user', env({}));
    assert.equal(bare.servers[0].kind, 'sse');
  });

  test('bad entries are named and left out; the good ones stay', () => {
    const { servers, problems } = parseServers(
      {
        ok: { command: 'node' },
        noWay: {},
        badArgs: { command: 'node', args: 'x.js' },
        badUrl: { url: 'file:///etc/passwd' },
        missingVar: { command: 'node', env: { KEY: '${env:NOT_SET_ANYWHERE}' } },
        'bad name!': { command: 'node' },
        wrongType: { type: 'websocket', url: 'http://127.0.0.1:1' },
      },
      'user',
      env({}),
    );
    assert.deepEqual(
      servers.map((server) => server.name),
      ['ok'],
    );
    assert.equal(problems.length, 6);
    assert.match(problems.join('\n'), /"noWay": it needs a "command" \(stdio\) or a "url"/);
    assert.match(problems.join('\n'), /"badArgs": "args" must be a list of strings/);
    assert.match(problems.join('\n'), /"badUrl": "url" must start with http/);
    assert.match(problems.join('\n'), /"missingVar": the environment variable NOT_SET_ANYWHERE is not set/);
    assert.match(problems.join('\n'), /"wrongType": unknown "type" "websocket"/);
    assert.deepEqual(parseServers('nope', 'user', env({})).problems, [
      'MCP servers must be an object of named server definitions.',
    ]);
    assert.deepEqual(parseServers(undefined, 'user', env({})), { servers: [], problems: [] });
  });

  test('the approval hash: any change to what runs changes it; formatting and disabling do not', () => {
    const hash = (entry: Record<string, unknown>) =>
      definitionHash(parseServers({ s: entry }, 'workspace', env({ V: 'one' })).servers[0]);
    const base = { command: 'node', args: ['server.js', '--port', '1'], env: { A: '1', B: '2' } };
    assert.equal(hash(base), hash({ env: { B: '2', A: '1' }, args: ['server.js', '--port', '1'], command: 'node' }));
    assert.equal(hash(base), hash({ ...base, disabled: true, trust: true, description: 'x' }));
    assert.notEqual(hash(base), hash({ ...base, args: ['server.js', '--port', '2'] }));
    assert.notEqual(hash(base), hash({ ...base, command: 'sh' }));
    assert.notEqual(hash(base), hash({ ...base, env: { A: '1', B: '3' } }));
    assert.notEqual(hash(base), hash({ ...base, cwd: '/tmp' }));
    assert.notEqual(hash({ url: 'http://127.0.0.1:1/mcp' }), hash({ url: 'http://127.0.0.1:2/mcp' }));
    // The hash binds the definition as written: a secret's value is never part of it.
    assert.equal(hash({ ...base, env: { A: '${env:V}' } }), hash({ ...base, env: { A: '${env:V}' } }));
  });

  test('the hash also binds headers, the transport type and httpUrl', () => {
    const hash = (entry: Record<string, unknown>) =>
      definitionHash(parseServers({ s: entry }, 'workspace', env({})).servers[0]);
    const base = { url: 'http://127.0.0.1:1/mcp', headers: { A: '1' } };
    assert.notEqual(hash(base), hash({ ...base, headers: { A: '2' } }));
    assert.notEqual(hash(base), hash({ ...base, type: 'sse' }));
    assert.notEqual(hash({ httpUrl: 'http://127.0.0.1:1/mcp' }), hash({ httpUrl: 'http://127.0.0.1:2/mcp' }));
    assert.notEqual(hash({ command: 'node', args: ['a', 'b'] }), hash({ command: 'node', args: ['ab'] }));
  });

  test('details: enabled:false disables, ${workspaceFolder}, httpUrl, cwd, anchored name and URL checks', () => {
    const { servers, problems } = parseServers(
      {
        off: { command: 'node', enabled: false },
        on: { command: ' node ', enabled: true, cwd: '${workspaceFolder}/tools' },
        gemini: { httpUrl: 'http://127.0.0.1:3/mcp' },
        sneaky: { url: 'file:///etc/x?http://' },
        'x y': { command: 'node' },
        'ok-name': { command: 'node', type: 'sse' },
        typed: { type: 'STDIO', command: 'node', env: { A: 1 } },
        secretless: { command: 'node', args: ['${secret:missing}'] },
        list: ['not', 'an', 'object'],
      },
      'workspace',
      { env: () => undefined, workspaceFolder: '/repo' },
    );
    const byName = new Map(servers.map((server) => [server.name, server]));
    assert.equal(byName.get('off')?.disabled, true);
    assert.equal(byName.get('on')?.disabled, false);
    const on = byName.get('on');
    assert.ok(on?.kind === 'stdio');
    assert.equal(on.command, 'node');
    assert.equal(on.cwd, '/repo/tools');
    assert.equal(byName.get('gemini')?.kind, 'http');
    assert.deepEqual([...byName.keys()].sort(), ['gemini', 'off', 'on']);
    assert.deepEqual(problems, [
      'MCP server "sneaky": "url" must start with http:// or https:// (got "file:///etc/x?http://").',
      'MCP server "x y": the name must be letters, digits, "-", "_" or "." (at most 64).',
      'MCP server "ok-name": "command" is for stdio servers, but "type" is "sse".',
      'MCP server "typed": "env" must be an object of strings.',
      'MCP server "secretless": the secret missing is not set.',
      'MCP server "list": the definition must be an object.',
    ]);
  });

  test('describeServer shows what will run as written, quoting what needs it, never a resolved secret', () => {
    const [stdio, http, sse] = parseServers(
      {
        a: { command: 'npx', args: ['-y', 'pkg', 'a b', '--token=${secret:tok}'], env: { TOKEN: 'x' }, cwd: '/srv' },
        b: { url: 'http://127.0.0.1:5/mcp?key=${env:K}' },
        c: { url: 'http://127.0.0.1:5/events', type: 'sse' },
      },
      'user',
      { env: () => 'RESOLVED-ENV-9a1', secret: () => 'RESOLVED-SECRET-9a1' },
    ).servers;
    assert.equal(describeServer(stdio), "npx -y pkg 'a b' --token=${secret:tok} (env: TOKEN) in /srv");
    assert.equal(describeServer(http), 'HTTP http://127.0.0.1:5/mcp?key=${env:K}');
    assert.equal(describeServer(sse), 'SSE http://127.0.0.1:5/events');
    assert.ok(
      stdio.kind === 'stdio' && stdio.args[3] === '--token=RESOLVED-SECRET-9a1',
      'the server itself gets the value',
    );
  });
});

describe('MCP tool names', () => {
  test('server__tool, cut to what OpenAI-compatible servers accept', () => {
    const { byName } = nameTools(
      [
        { server: 'github', tool: 'create_issue' },
        { server: 'my server', tool: 'get.weather/now' },
        { server: 'x', tool: 'a'.repeat(100) },
      ],
      new Set(),
    );
    const names = [...byName.keys()];
    assert.deepEqual(names.slice(0, 2), ['github__create_issue', 'my_server__get_weather_now']);
    assert.equal(names[2].length, 64);
    for (const name of names) assert.match(name, /^[A-Za-z0-9_-]{1,64}$/);
    assert.equal(sanitize(''), '_');
  });

  test('collisions get a suffix; a built-in name is refused', () => {
    const { byName, refused } = nameTools(
      [
        { server: 'a b', tool: 't' },
        { server: 'a_b', tool: 't' },
        { server: 'read', tool: 'file' },
      ],
      new Set(['read__file']),
    );
    assert.deepEqual([...byName.keys()], ['a_b__t', 'a_b__t_2']);
    assert.deepEqual(byName.get('a_b__t_2'), { server: 'a_b', tool: 't' });
    assert.equal(refused.length, 1);
    assert.match(refused[0].reason, /collides with QCoder's own tool "read__file"/);
  });

  test('a run of odd characters is one underscore; a run of underscores at most two', () => {
    assert.equal(sanitize('a  b'), 'a_b');
    assert.equal(sanitize('a.-/b'), 'a_-_b');
    assert.equal(sanitize('a___b'), 'a__b');
    assert.equal(sanitize('a______b'), 'a__b');
  });

  test('a long server name keeps its first 24 characters; a third collision is _3; suffixes stay within 64', () => {
    const long = 's'.repeat(40);
    const tool = 't'.repeat(70);
    const { byName } = nameTools(
      [
        { server: long, tool: 'x' },
        { server: 'a', tool },
        { server: 'a', tool },
        { server: 'a', tool },
      ],
      new Set(),
    );
    const base = `a__${'t'.repeat(61)}`;
    assert.deepEqual(
      [...byName.keys()],
      [`${'s'.repeat(24)}__x`, base, `${base.slice(0, 62)}_2`, `${base.slice(0, 62)}_3`],
    );
  });
});

describe('MCP definition files are read as JSONC', () => {
  test("comments and trailing commas, as VS Code's mcp.json allows; a broken file says where", () => {
    assert.deepEqual(
      parseJsonc('{\n  // the docs server\n  "servers": { "docs": { "url": "http://127.0.0.1:1/mcp", }, },\n}'),
      {
        servers: { docs: { url: 'http://127.0.0.1:1/mcp' } },
      },
    );
    const broken = parseJsonc('{ "servers": { "docs": }');
    assert.ok(broken instanceof Error);
    assert.equal(broken.message, 'not valid JSON (ValueExpected at offset 23)');
  });
});

describe('MCP definitions: what starts, what is refused, what asks again', () => {
  const one = (entry: unknown, variables: Variables = env({})) => parseServers({ s: entry }, 'workspace', variables);

  test('no setting at all (null) is not a problem; a null definition is named', () => {
    assert.deepEqual(parseServers(null, 'user', env({})), { servers: [], problems: [] });
    assert.deepEqual(one(null).problems, ['MCP server "s": the definition must be an object.']);
  });

  test('disabled: true disables; disabled: false and no flag leave the server on', () => {
    assert.equal(one({ command: 'node', disabled: true }).servers[0].disabled, true);
    assert.equal(one({ command: 'node', disabled: false }).servers[0].disabled, false);
    assert.equal(one({ command: 'node' }).servers[0].disabled, false);
  });

  test('a blank command is no command: the URL is used, or the entry is refused', () => {
    const remote = one({ command: '   ', url: 'http://127.0.0.1:4/mcp' }).servers[0];
    assert.equal(remote.kind, 'http');
    assert.equal(describeServer(remote), 'HTTP http://127.0.0.1:4/mcp');
    assert.deepEqual(one({ command: '  ' }).problems, [
      'MCP server "s": it needs a "command" (stdio) or a "url" (HTTP).',
    ]);
    assert.deepEqual(one({ httpUrl: 5 }).problems, ['MCP server "s": it needs a "command" (stdio) or a "url" (HTTP).']);
  });

  test('the approval shows the URL that is used, not a non-string "url" beside it', () => {
    const server = one({ url: 5, httpUrl: 'http://127.0.0.1:6/mcp' }).servers[0];
    assert.ok(server.kind === 'http');
    assert.equal(server.url, 'http://127.0.0.1:6/mcp');
    assert.equal(describeServer(server), 'HTTP http://127.0.0.1:6/mcp');
  });

  test('the transport: an explicit http type wins over an /sse path; every http spelling is accepted', () => {
    assert.equal(one({ type: 'http', url: 'http://127.0.0.1:7/sse' }).servers[0].kind, 'http');
    for (const type of ['http', 'streamable-http', 'streamableHttp']) {
      const { servers, problems } = one({ type, url: 'http://127.0.0.1:7/mcp' });
      assert.deepEqual(problems, [], type);
      assert.equal(servers[0].kind, 'http', type);
    }
    const sse = one({ url: 'http://127.0.0.1:7/sse/' }).servers[0];
    assert.equal(sse.kind, 'sse');
    assert.equal(describeServer(sse), 'SSE http://127.0.0.1:7/sse/');
    assert.equal(one({ url: 'http://127.0.0.1:7/sse?session=1' }).servers[0].kind, 'sse');
    assert.equal(one({ url: 'http://127.0.0.1:7/ssex' }).servers[0].kind, 'http');
  });

  test('headers, args and env must hold only strings', () => {
    assert.deepEqual(one({ url: 'http://127.0.0.1:8/mcp', headers: { A: 'x', B: 2 } }).problems, [
      'MCP server "s": "headers" must be an object of strings.',
    ]);
    assert.deepEqual(one({ command: 'node', args: ['a', 2] }).problems, [
      'MCP server "s": "args" must be a list of strings.',
    ]);
    assert.deepEqual(one({ command: 'node', env: { A: 'x', B: 2 } }).problems, [
      'MCP server "s": "env" must be an object of strings.',
    ]);
  });

  test('a command without args or env starts with none, and shows as itself', () => {
    const server = one({ command: ' node ' }).servers[0];
    assert.ok(server.kind === 'stdio');
    assert.deepEqual(server.args, []);
    assert.deepEqual(server.env, {});
    assert.equal(describeServer(server), 'node');
  });

  test('the approval line lists every environment variable and quotes a quote', () => {
    const server = one({ command: 'sh', args: ['-c', "echo it's"], env: { A: 'x', B: 'y' } }).servers[0];
    assert.equal(describeServer(server), `sh -c 'echo it'\\''s' (env: A, B)`);
  });

  test('unset variables are listed once each, with the right verb', () => {
    assert.deepEqual(one({ command: 'node', args: ['${env:A}', '${secret:B}'] }, { env: () => undefined }).problems, [
      'MCP server "s": the environment variable A, the secret B are not set.',
    ]);
    assert.deepEqual(one({ command: 'node', args: ['${env:A}', '${A}'] }, { env: () => undefined }).problems, [
      'MCP server "s": the environment variable A is not set.',
    ]);
  });

  test('only a bare ${workspaceFolder} is the folder; other names come from the environment', () => {
    const variables = { env: env({ HOME: '/home/me', workspaceFolder: 'from-env' }).env, workspaceFolder: '/repo' };
    const server = one(
      { command: 'node', args: ['${HOME}', '${env:workspaceFolder}', '${workspaceFolder}'] },
      variables,
    ).servers[0];
    assert.ok(server.kind === 'stdio');
    assert.deepEqual(server.args, ['/home/me', 'from-env', '/repo']);
  });

  test('the approval hash is pinned: approvals stored by earlier versions still match', () => {
    // sha256 of the definition as canonical JSON: keys sorted, only the deciding keys, the name included.
    const expected = (json: string) => createHash('sha256').update(json).digest('hex');
    const stdio = one({ env: { B: '2', A: '1' }, command: 'node', args: ['a', 'b'], disabled: true }).servers[0];
    assert.equal(
      definitionHash(stdio),
      expected('{"args":["a","b"],"command":"node","env":{"A":"1","B":"2"},"name":"s"}'),
    );
    const remote = one(
      { url: 'http://127.0.0.1:9/mcp', headers: { X: '${secret:k}' } },
      {
        env: () => undefined,
        secret: () => 'value',
      },
    ).servers[0];
    assert.equal(
      definitionHash(remote),
      expected('{"headers":{"X":"${secret:k}"},"name":"s","url":"http://127.0.0.1:9/mcp"}'),
    );
  });
});
