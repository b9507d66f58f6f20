/**
 * Branches of a conversation. `session.messages` stays the path the user sees (everything that
 * reads a session keeps working); when a message is edited and resent, or an answer regenerated,
 * the tail from that message on is parked in `session.forks`, keyed by the message before the
 * fork (`^` at the start), so the old branch stays reachable as "< 1/2 >" on the fork's first message.
 */
import type { ChatSession, ForkPoint, StoredMessage } from './types';

const START = '^';

export interface BranchPosition {
  /** 0-based: which branch is shown. */
  readonly index: number;
  readonly count: number;
}

function keyAt(messages: readonly StoredMessage[], index: number): string {
  return index === 0 ? START : messages[index - 1].id;
}

/**
 * Parks the tail from message `messageId` on and puts `tail` in its place (the new branch, which
 * the caller goes on to fill); returns false when the message is not on the shown path.
 */
export function fork(session: ChatSession, messageId: string, tail: StoredMessage[]): boolean {
  const index = session.messages.findIndex((message) => message.id === messageId);
  if (index < 0) return false;
  const key = keyAt(session.messages, index);
  const forks = (session.forks ??= {});
  const point: ForkPoint = (forks[key] ??= { active: 0, tails: [null] });
  point.tails[point.active] = session.messages.slice(index);
  point.tails.push(null);
  point.active = point.tails.length - 1;
  session.messages = [...session.messages.slice(0, index), ...tail];
  return true;
}

/** Shows branch `target` of the fork that starts at `messageId`; false when there is none such. */
export function switchBranch(session: ChatSession, messageId: string, target: number): boolean {
  const index = session.messages.findIndex((message) => message.id === messageId);
  if (index < 0) return false;
  const point = session.forks?.[keyAt(session.messages, index)];
  const chosen = point?.tails[target];
  if (!point || !chosen || target === point.active) return false;
  point.tails[point.active] = session.messages.slice(index);
  point.tails[target] = null;
  point.active = target;
  session.messages = [...session.messages.slice(0, index), ...chosen];
  return true;
}

/** Where the message at `index` of the shown path stands among its branches (undefined: no fork there). */
export function branchAt(session: ChatSession, index: number): BranchPosition | undefined {
  if (index < 0 || index >= session.messages.length) return undefined;
  const point = session.forks?.[keyAt(session.messages, index)];
  return point && point.tails.length > 1 ? { index: point.active, count: point.tails.length } : undefined;
}

/** A fork point read back from disk: exactly one live (null) tail, the rest message lists. */
export function isForkPoint(value: unknown, isMessage: (value: unknown) => boolean): value is ForkPoint {
  if (typeof value !== 'object' || value === null) return false;
  const { active, tails } = value as Record<string, unknown>;
  if (!Array.isArray(tails) || typeof active !== 'number' || tails[active] !== null) return false;
  return tails.every((tail, at) =>
    at === active ? tail === null : Array.isArray(tail) && tail.length > 0 && tail.every(isMessage),
  );
}
