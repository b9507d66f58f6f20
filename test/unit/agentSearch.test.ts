import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { grep, parseJsonLine } from '../../src/core/agent/grep';
import { searchTool } from '../../src/core/agent/readTools';
import type { SearchHit, SearchResult, WorkspaceAccess } from '../../src/core/agent/workspace';
import { scrubBody, scrubbingFetch } from '../../src/core/util/scrubbingFetch';

const RG = ['/usr/bin/rg', '/usr/local/bin/rg'].find(existsSync);

describe('search_files through ripgrep', { skip: RG ? false : 'no ripgrep on this machine' }, () => {
  let root: string;
  let outside: string;
  const run = (pattern: string, extra: Partial<Parameters<typeof grep>[0]> = {}) =>
    grep({ rgPath: RG!, cwd: root, pattern, maxMatches: 100, timeoutMs: 10_000, ...extra });

  before(() => {
    const parent = mkdtempSync(path.join(tmpdir(), 'qcoder-grep-'));
    root = path.join(parent, 'ws');
    outside = path.join(parent, 'outside');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(root, 'src', 'a.ts'), 'one\ntwo needle\nthree\nfour\n');
    writeFileSync(path.join(root, 'src', 'b.ts'), 'needle\nneedle again\n');
    writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), 'needle in a dependency\n');
    writeFileSync(path.join(root, 'aaa.txt'), `${'a'.repeat(50_000)}!\n`);
    writeFileSync(path.join(outside, 'sentinel.txt'), 'needle outside\n');
    symlinkSync(outside, path.join(root, 'link-dir'));
    symlinkSync('src/b.ts', path.join(root, 'b-link.ts'));
  });
  after(() => rmSync(path.dirname(root), { recursive: true, force: true }));

  it('finds matching lines with their paths and numbers, never through links or in dependencies', async () => {
    const result = await run('needle');
    assert.ok(result.ok);
    const found = result.lines.map((line) => `${line.path}:${line.line}:${line.text}`).sort();
    assert.deepEqual(found, ['src/a.ts:2:two needle', 'src/b.ts:1:needle', 'src/b.ts:2:needle again']);
    assert.equal(result.truncated, false);
  });

  it('adds context lines around each match, marked as context', async () => {
    const result = await run('two', { contextLines: 1 });
    assert.ok(result.ok);
    assert.deepEqual(
      result.lines.map((line) => [line.line, line.text, line.match]),
      [
        [1, 'one', false],
        [2, 'two needle', true],
        [3, 'three', false],
      ],
    );
  });

  it('stops at the cap and says so', async () => {
    const result = await run('needle', { maxMatches: 2 });
    assert.ok(result.ok);
    assert.equal(result.lines.filter((line) => line.match).length, 2);
    assert.equal(result.truncated, true);
  });

  it('restricts to a glob', async () => {
    const result = await run('needle', { glob: 'src/a.ts' });
    assert.ok(result.ok);
    assert.deepEqual(
      result.lines.map((line) => line.path),
      ['src/a.ts'],
    );
  });

  it('runs a catastrophic pattern in linear time', async () => {
    const started = performance.now();
    const result = await run('(a+)+$');
    assert.ok(result.ok);
    assert.ok(performance.now() - started < 5000);
  });

  it("hands back ripgrep's own message for an invalid pattern", async () => {
    const result = await run('(a+');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.message, /regex parse error[\s\S]*unclosed group/);
  });

  it('reads non-UTF-8 paths and lines from their base64 form', () => {
    const line = parseJsonLine(
      JSON.stringify({
        type: 'match',
        data: { path: { bytes: Buffer.from('./x.ts').toString('base64') }, lines: { text: 'hit\r\n' }, line_number: 3 },
      }),
    );
    assert.deepEqual(line, { path: 'x.ts', line: 3, text: 'hit', match: true });
    assert.equal(parseJsonLine('{"type":"begin","data":{}}'), undefined);
    assert.equal(parseJsonLine('not json'), undefined);
  });
});

describe('request bodies are scrubbed of secrets before they are sent', () => {
  const KEY = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/g;
  const redact = (text: string) => {
    const found: { kind: string }[] = [];
    return { text: text.replace(KEY, () => (found.push({ kind: 'private key' }), '[REDACTED]')), found };
  };
  const body = JSON.stringify({
    model: 'm',
    messages: [{ role: 'user', content: 'here: -----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY----- ok' }],
  });

  it('replaces the match inside the JSON strings and keeps the JSON valid', () => {
    const { body: clean, kinds } = scrubBody(body, redact);
    assert.deepEqual(kinds, ['private key']);
    assert.deepEqual(JSON.parse(clean), { model: 'm', messages: [{ role: 'user', content: 'here: [REDACTED] ok' }] });
  });

  it('leaves a clean body byte for byte', () => {
    const plain = '{"model":"m", "messages":[]}';
    assert.deepEqual(scrubBody(plain, redact), { body: plain, kinds: [] });
  });

  it('the wrapped fetch sends the scrubbed body and reports what it replaced', async () => {
    const sent: string[] = [];
    const reported: string[][] = [];
    const inner = (async (_input: unknown, init?: RequestInit) => {
      sent.push(String(init?.body));
      return new Response('{}');
    }) as typeof fetch;
    const wrapped = scrubbingFetch(redact, (redaction) => reported.push([...redaction.kinds]), inner);
    await wrapped('http://127.0.0.1/v1/chat/completions', { method: 'POST', body });
    await wrapped('http://127.0.0.1/v1/models');
    assert.doesNotMatch(sent[0], /BEGIN PRIVATE KEY/);
    assert.match(sent[0], /\[REDACTED\]/);
    assert.deepEqual(reported, [['private key']]);
  });
});

describe('the search_files tool formats what the workspace found', () => {
  const workspaceWith = (result: SearchResult, seen: unknown[] = []): WorkspaceAccess => ({
    readText: async () => ({ ok: false, reason: 'unused' }),
    listFiles: async () => ({ paths: [], truncated: false }),
    search: async (options) => {
      seen.push(options);
      return result;
    },
  });
  const signal = new AbortController().signal;

  it('marks matches with ":" and context lines with "-", and passes context_lines on (bounded)', async () => {
    const seen: unknown[] = [];
    const hits: SearchHit[] = [
      { path: 'a.ts', line: 1, text: 'before', context: true },
      { path: 'a.ts', line: 2, text: 'the match' },
    ];
    const outcome = await searchTool.run(
      { pattern: 'match', context_lines: 99 },
      { workspace: workspaceWith({ ok: true, hits, truncated: true, note: 'stopped after 10 s' }, seen), signal },
    );
    assert.equal(
      outcome.content,
      'a.ts-1- before\na.ts:2: the match\n[more matches not shown; narrow with a pattern ' +
        'or glob]\n[stopped after 10 s]',
    );
    assert.equal(outcome.summary, '1+ matches');
    assert.equal((seen[0] as { contextLines: number }).contextLines, 10);
  });

  it("hands the search's refusal to the model as an error", async () => {
    const outcome = await searchTool.run(
      { pattern: '(a+' },
      { workspace: workspaceWith({ ok: false, reason: 'regex parse error: unclosed group' }), signal },
    );
    assert.equal(outcome.isError, true);
    assert.match(outcome.content, /^Error: regex parse error: unclosed group/);
  });
});
