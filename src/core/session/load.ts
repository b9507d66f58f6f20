/**
 * Reading the sessions back when the extension starts: the index, repaired from the
 * session files when the two disagree (a crash between two writes), and the one-time
 * move out of the old single workspace-state key.
 */
import type { SessionStorage } from './storage';
import type { ChatSession, IndexEntry, KeyValueStore } from './types';
import { checkSession } from './validate';

/** Where all sessions were kept, as one value, before they became files. */
export const LEGACY_KEY = 'qcoder.sessions';

export interface LoadedState {
  entries: IndexEntry[];
  activeId: string | undefined;
  /** Sessions moved out of the old workspace-state key, still to be written as files. */
  migrated: ChatSession[];
  /** Writes of what could not be migrated (kept beside the files): true when done. */
  kept: Promise<boolean>[];
}

export const entryOf = (session: ChatSession): IndexEntry => ({
  id: session.id,
  title: session.title,
  createdAt: session.createdAt,
  updatedAt: session.updatedAt,
});

/** A reply that was streaming when the window closed is kept, marked as cut off. */
export function markInterrupted(session: ChatSession): ChatSession {
  for (const message of session.messages) {
    if (message.status === 'streaming') {
      message.status = 'stopped';
      message.error = 'Interrupted when the window closed.';
    }
    for (const call of message.toolCalls ?? []) {
      if (call.result === undefined) {
        call.status = 'skipped';
        call.result = 'Not run: the window closed first.';
      }
    }
  }
  return session;
}

export function loadState(storage: SessionStorage, legacy: KeyValueStore): LoadedState {
  storage.cleanUp();
  const index = storage.readIndex();
  const old = index ? undefined : migrateLegacy(storage, legacy);
  const migrated = old?.sessions ?? [];
  const entries = new Map<string, IndexEntry>();
  for (const session of migrated) entries.set(session.id, entryOf(session));
  const onDisk = new Set(storage.sessionIds());
  for (const entry of index?.sessions ?? []) {
    // An entry without its file: the session was never written (or was deleted by hand).
    if (onDisk.has(entry.id)) entries.set(entry.id, entry);
  }
  for (const id of onDisk) {
    if (entries.has(id)) continue;
    // A file the index does not know: written just before a crash, or the index was lost.
    const session = storage.readSession(id);
    if (session) entries.set(id, entryOf(session));
  }
  return {
    entries: [...entries.values()],
    activeId: index?.activeId ?? old?.activeId,
    migrated,
    kept: old?.kept ?? [],
  };
}

interface LegacyState {
  activeId?: string;
  sessions: ChatSession[];
  kept: Promise<boolean>[];
}

/** The sessions of the old single key, each checked; what fails is kept beside the files and reported. */
function migrateLegacy(storage: SessionStorage, legacy: KeyValueStore): LegacyState | undefined {
  const stored = legacy.get<unknown>(LEGACY_KEY);
  if (stored === undefined || stored === null) return undefined;
  const what = 'A chat session from the old workspace state';
  if (typeof stored !== 'object' || !Array.isArray((stored as { sessions?: unknown }).sessions)) {
    const kept = storage.keepUnreadable('legacy-sessions', JSON.stringify(stored), `${what} list was unreadable`);
    return { sessions: [], kept: [kept] };
  }
  const { activeId, sessions } = stored as { activeId?: unknown; sessions: unknown[] };
  const valid: ChatSession[] = [];
  const kept: Promise<boolean>[] = [];
  sessions.forEach((value, position) => {
    const checked = checkSession(value);
    if (checked.ok) valid.push(markInterrupted(checked.value));
    else
      kept.push(
        storage.keepUnreadable(
          `legacy-session-${position + 1}`,
          JSON.stringify(value),
          `${what} (number ${position + 1}) could not be loaded (${checked.problem})`,
        ),
      );
  });
  return { activeId: typeof activeId === 'string' ? activeId : undefined, sessions: valid, kept };
}
