/**
 * The crash driver's judge (crashHost.ts), apart from the driver so it can be shown to fail: given
 * the session folder after a kill and the turns the writer logged as committed, the violations.
 * A committed turn must be in its session file with the exact reply, complete; every `.json` file
 * must parse, and loading must report nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { crashAnswer } from './crashText';

export interface Judgement {
  /** Violations, one sentence each. */
  readonly found: string[];
  /** Ids of replies saved mid-stream that the kill cut off (the loader marks them stopped, so the raw files say). */
  readonly streaming: string[];
}

/** `committed` holds the writer's log lines `committed <session> <question>`, split on spaces. */
export function judgeCrash(folder: string, committed: readonly string[][]): Judgement {
  const found: string[] = [];
  const streaming: string[] = [];
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.json'))) {
    try {
      const file = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as {
        messages?: { id: string; status: string }[];
      };
      for (const m of file.messages ?? []) if (m.status === 'streaming') streaming.push(m.id);
    } catch (error) {
      found.push(`${name} does not parse: ${String(error)}`);
    }
  }
  const repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
  found.push(...repo.problems.map((problem) => `on load: ${problem}`));
  for (const [, session, question] of committed) {
    const messages = repo.get(session)?.messages ?? [];
    const at = messages.findIndex((m) => m.role === 'user' && m.content === question);
    const reply = messages[at + 1];
    if (at < 0) found.push(`${session}: committed turn ${question} is missing`);
    else if (reply?.content !== crashAnswer(question) || reply.status !== 'complete')
      found.push(`${session}: the reply to ${question} is not the committed one (${reply?.status})`);
  }
  return { found, streaming };
}
