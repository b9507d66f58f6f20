/**
 * Session storage at scale: 1,000 stored chats of 20 messages (~24 KB each, with tool
 * results). Startup (index + the active chat), the list, opening every chat, rebuilding a
 * lost index, one save while a reply streams into a 1 MB chat, and the move of 50 chats
 * out of the old workspace-state key. The reference is a raw `readFileSync` + `JSON.parse`
 * of the same files in the same run: what validation and bookkeeping add on top.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeSessionFiles } from '../src/core/session/nodeFiles';
import { type ChatSession, SessionRepository, type StoredMessage } from '../src/core/session/session';
import { MemoryStore } from '../test/support/memoryStore';

const SESSIONS = 1000;
const folder = mkdtempSync(join(tmpdir(), 'qcoder-bench-sessions-'));
const ms = (from: number) => performance.now() - from;
const open = (store = new MemoryStore()) => new SessionRepository(store, { files: nodeSessionFiles(folder) });

function chat(n: number, messages = 20, size = 1000): ChatSession {
  const list: StoredMessage[] = Array.from({ length: messages }, (_, k) => ({
    id: `m-${n}-${k}`,
    role: k % 2 ? 'assistant' : 'user',
    content: `message ${k} of chat ${n} `.padEnd(size, 'lorem ipsum '),
    status: 'complete',
    createdAt: n * 1000 + k,
    toolCalls:
      k % 4 === 1
        ? [
            {
              id: `t${k}`,
              name: 'read_file',
              rawArguments: '{"path":"a.ts"}',
              title: 'Read a.ts',
              status: 'done',
              result: 'x'.repeat(size),
            },
          ]
        : undefined,
  }));
  return { id: `s-bench-${n}`, title: `Chat ${n}`, createdAt: n, updatedAt: n, messages: list };
}

async function main(): Promise<void> {
  let started = performance.now();
  const seed = open();
  for (let n = 0; n < SESSIONS; n++) {
    const session = seed.startNew();
    Object.assign(session, chat(n), { id: session.id });
  }
  await seed.save();
  const seeded = ms(started);
  const files = readdirSync(folder).filter((name) => name.startsWith('session-'));
  const bytes = files.reduce((sum, name) => sum + readFileSync(join(folder, name)).length, 0);
  console.log(
    `seeded ${files.length} chats, ${(bytes / 1e6).toFixed(1)} MB, in ${seeded.toFixed(0)} ms (atomic + fsync each)`,
  );

  started = performance.now();
  const repo = open();
  const startup = ms(started);
  started = performance.now();
  const list = repo.summaries();
  const listed = ms(started);
  started = performance.now();
  for (const summary of list) repo.activate(summary.id);
  const openAll = ms(started);
  started = performance.now();
  for (const name of files) JSON.parse(readFileSync(join(folder, name), 'utf8'));
  const raw = ms(started);
  console.log(
    `startup (index + active chat): ${startup.toFixed(1)} ms; list of ${list.length}: ${listed.toFixed(2)} ms`,
  );
  console.log(
    `open all ${list.length} one by one: ${openAll.toFixed(0)} ms (${(openAll / list.length).toFixed(2)} ms each); ` +
      `raw read+parse reference: ${raw.toFixed(0)} ms (×${(openAll / raw).toFixed(2)})`,
  );

  rmSync(join(folder, 'index.json'));
  started = performance.now();
  const rebuilt = open();
  console.log(
    `startup with the index lost (rebuilt from ${rebuilt.summaries().length} files): ${ms(started).toFixed(0)} ms`,
  );
  await rebuilt.loaded;

  const big = rebuilt.startNew();
  Object.assign(big, chat(SESSIONS, 100, 10_000), { id: big.id });
  await rebuilt.save();
  const reply = big.messages.at(-1)!;
  const saves: number[] = [];
  for (let i = 0; i < 20; i++) {
    reply.content += ' more streamed text';
    started = performance.now();
    await rebuilt.save();
    saves.push(ms(started));
  }
  saves.sort((a, b) => a - b);
  const size = JSON.stringify(big).length / 1e6;
  console.log(
    `save while streaming into a ${size.toFixed(1)} MB chat (${SESSIONS + 1} stored): median ${saves[10].toFixed(1)} ms, ` +
      `max ${saves.at(-1)!.toFixed(1)} ms (one file written; the index untouched)`,
  );

  rmSync(folder, { recursive: true, force: true });
  const legacy = new MemoryStore();
  await legacy.update('qcoder.sessions', {
    version: 1,
    activeId: 's-bench-0',
    sessions: Array.from({ length: 50 }, (_, n) => chat(n)),
  });
  started = performance.now();
  const migrated = open(legacy);
  await migrated.loaded;
  console.log(`migration of 50 chats from the old key: ${ms(started).toFixed(0)} ms`);
  rmSync(folder, { recursive: true, force: true });
}

void main();
