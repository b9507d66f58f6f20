/**
 * The crash driver (test/integration/crashHost.ts) had only ever printed 0 violations. Its judge is
 * run here on session folders with planted faults — a lost turn, a changed reply, a reply left
 * mid-stream, a truncated file, a lost session — and must name each; on the intact folder, nothing.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import type { ChatSession } from '../../src/core/session/types';
import { judgeCrash } from '../integration/crashJudge';
import { crashAnswer } from '../integration/crashText';
import { MemoryStore } from '../support/memoryStore';

let folder: string;
let session: string;
/** The writer's log: `committed <session> <question>`, as crashWriter.test.ts appends it. */
let committed: string[][];
const file = () => path.join(folder, `session-${session}.json`);
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as ChatSession;
const rewrite = (change: (stored: ChatSession) => void) => {
  const stored = onDisk();
  change(stored);
  writeFileSync(file(), JSON.stringify(stored));
};

beforeEach(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'qcoder-crash-judge-'));
  const repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
  session = repo.active.id;
  committed = [];
  for (const question of ['question-1-0', 'question-1-1']) {
    const at = repo.active.messages.length;
    repo.active.messages.push(
      { id: `u${at}`, role: 'user', content: question, createdAt: at, status: 'complete' },
      { id: `a${at}`, role: 'assistant', content: crashAnswer(question), createdAt: at + 1, status: 'complete' },
    );
    await repo.save();
    committed.push(['committed', session, question]);
  }
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe("the crash driver's judge", () => {
  it('finds nothing wrong in a folder that kept every committed turn', () => {
    assert.deepEqual(judgeCrash(folder, committed), { found: [], streaming: [] });
  });

  it('a committed turn that is not in the file', () => {
    rewrite((stored) => stored.messages.splice(2, 2));
    assert.deepEqual(judgeCrash(folder, committed).found, [`${session}: committed turn question-1-1 is missing`]);
  });

  it('a reply that differs by one character from the committed one', () => {
    rewrite((stored) => (stored.messages[1].content = stored.messages[1].content.replace('Stored', 'stored')));
    assert.deepEqual(judgeCrash(folder, committed).found, [
      `${session}: the reply to question-1-0 is not the committed one (complete)`,
    ]);
  });

  it('a committed reply that the file still holds as streaming', () => {
    rewrite((stored) => (stored.messages[3].status = 'streaming'));
    const judged = judgeCrash(folder, committed);
    assert.deepEqual(judged.streaming, ['a2']);
    assert.equal(judged.found.length, 1);
    assert.match(judged.found[0], /the reply to question-1-1 is not the committed one/);
  });

  it('a session file cut short', () => {
    truncateSync(file(), Math.floor(readFileSync(file()).length / 2));
    const { found } = judgeCrash(folder, committed);
    assert.match(found[0], new RegExp(`^session-${session}\\.json does not parse: SyntaxError`));
    assert.ok(
      found.some((line) => /^on load: A chat session could not be loaded/.test(line)),
      found.join('\n'),
    );
    assert.ok(found.includes(`${session}: committed turn question-1-0 is missing`), found.join('\n'));
    assert.ok(found.includes(`${session}: committed turn question-1-1 is missing`), found.join('\n'));
  });

  it('a session whose file is gone', () => {
    rmSync(file());
    assert.deepEqual(judgeCrash(folder, committed).found, [
      `${session}: committed turn question-1-0 is missing`,
      `${session}: committed turn question-1-1 is missing`,
    ]);
  });
});
