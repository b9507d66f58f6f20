/**
 * The storage writer for the crash harness (test/unit/sessionCrash.test.ts), run as a child
 * process that is killed with SIGKILL at a random moment. It loads the folder, then keeps
 * adding messages — some streamed in pieces with a save after each piece, as the chat does —
 * and prints `committed <session> <count>` each time a save of a finished message resolved.
 * After some turns it also writes a checkpoint file as the review does (`checkpoints/<id>.json`)
 * and prints `checkpoint <id> <sha256>` once that write resolved.
 *
 *   node sessionWriter.js <folder> <seed>
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { newId, SessionRepository, type StoredMessage } from '../../src/core/session/session';
import { MemoryStore } from './memoryStore';
import { expectedContent } from './sessionCrashText';

const [folder, seedText] = process.argv.slice(2);
let seed = Number(seedText) || 1;
const random = () => {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};
const say = (line: string) => writeSync(1, `${line}\n`);

async function main(): Promise<void> {
  const repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
  await repo.loaded;
  // What a crash cut off (a reply still streaming) was never committed: the writer drops it and goes on.
  const cut = repo.active.messages;
  while (cut.length && cut.at(-1)!.status !== 'complete') cut.pop();
  say(`ready ${repo.problems.length}`);
  for (;;) {
    const session = repo.active.messages.length >= 24 ? repo.startNew() : repo.active;
    const k = session.messages.length;
    const text = expectedContent(k);
    const message: StoredMessage = {
      id: newId('m'),
      role: k % 2 ? 'assistant' : 'user',
      content: '',
      status: 'streaming',
      createdAt: Date.now(),
    };
    session.messages.push(message);
    if (random() < 0.5) {
      for (let at = 0; at < text.length; at += 1500) {
        message.content = text.slice(0, at);
        await repo.save();
      }
    }
    message.content = text;
    message.status = 'complete';
    session.updatedAt = Date.now();
    await repo.save();
    say(`committed ${session.id} ${session.messages.length}`);
    if (random() < 0.3) await writeCheckpoint(session.id, k, text);
  }
}

const checkpoints = nodeSessionFiles(join(folder, 'checkpoints'));

/** A checkpoint as `CheckpointStore` keeps it: the bytes of the file a turn touched, before the edit. */
async function writeCheckpoint(session: string, k: number, text: string): Promise<void> {
  const id = `${session}-${k}`;
  const checkpoint = {
    id,
    createdAt: Date.now(),
    files: [{ uri: `file:///work/${id}.ts`, display: `${id}.ts`, existed: true, bytes: btoa(text) }],
  };
  const json = JSON.stringify(checkpoint);
  await checkpoints.write(`${id}.json`, json);
  say(`checkpoint ${id} ${createHash('sha256').update(json).digest('hex')}`);
}

void main();
