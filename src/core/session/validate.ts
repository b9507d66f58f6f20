/**
 * Checks what was read back from disk before the chat uses it. A file that fails is
 * reported with the first thing wrong, in words a person can act on.
 */
import { readTodos } from '../agent/todo';
import type { ToolCallRecord } from '../agent/toolRunner';
import { isForkPoint } from './forks';
import type { ChatSession, ForkPoint, IndexEntry, SessionIndex, StoredMessage } from './types';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const MESSAGE_STATUSES: readonly string[] = ['streaming', 'complete', 'stopped', 'error'];
const TOOL_STATUSES: readonly string[] = [
  'running',
  'done',
  'error',
  'proposed',
  'accepted',
  'rejected',
  'partial',
  'skipped',
];
/** Session ids become file names: letters, digits and dashes only. */
const ID = /^[A-Za-z0-9-]{1,100}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

export function isSessionId(value: unknown): value is string {
  return isString(value) && ID.test(value);
}

function parseJson(text: string): Checked<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
}

function isToolCall(value: unknown): value is ToolCallRecord {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.name) &&
    isString(value.rawArguments) &&
    isString(value.title) &&
    isString(value.status) &&
    TOOL_STATUSES.includes(value.status) &&
    optional(value.summary, isString) &&
    optional(value.result, isString)
  );
}

function messageProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not an object';
  if (!isString(value.id)) return 'has no id';
  if (value.role !== 'user' && value.role !== 'assistant') return 'has no role (user or assistant)';
  if (!isString(value.content)) return 'has no text';
  if (!isString(value.status) || !MESSAGE_STATUSES.includes(value.status)) return 'has an unknown status';
  if (!isTime(value.createdAt)) return 'has no time';
  if (!optional(value.error, isString) || !optional(value.note, (note) => typeof note === 'boolean'))
    return 'has a malformed error or note';
  if (!optional(value.toolCalls, (calls) => Array.isArray(calls) && calls.every(isToolCall)))
    return 'has a malformed tool call';
  if (!optional(value.display, isString) || !optional(value.doneAt, isTime) || !optional(value.tokens, isTime))
    return 'has a malformed label, time or token count';
  if (!optional(value.images, (images) => Array.isArray(images) && images.every(isString)))
    return 'has malformed images';
  return undefined;
}

/** A session object (from a file or from the old workspace state), checked field by field. */
export function checkSession(value: unknown): Checked<ChatSession> {
  if (!isObject(value)) return { ok: false, problem: 'not a session object' };
  if (!isSessionId(value.id)) return { ok: false, problem: 'the session id is missing or malformed' };
  if (!isString(value.title) || !isTime(value.createdAt) || !isTime(value.updatedAt))
    return { ok: false, problem: 'the title or the times are missing' };
  if (!Array.isArray(value.messages)) return { ok: false, problem: 'there is no message list' };
  for (const [index, message] of value.messages.entries()) {
    const problem = messageProblem(message);
    if (problem) return { ok: false, problem: `message ${index + 1} ${problem}` };
  }
  const messages = value.messages as StoredMessage[];
  const session: ChatSession = {
    id: value.id,
    title: value.title,
    createdAt: value.createdAt,
    updatedAt: value.updatedAt,
    messages,
  };
  // A damaged checklist is dropped, not the session: it is only a view of the agent's plan.
  const todos = readTodos(value.todos);
  if (todos?.length) session.todos = todos;
  // Old branches that do not read back are dropped, not the session: the shown path is whole without them.
  const forks = readForks(value.forks);
  if (forks) session.forks = forks;
  return { ok: true, value: session };
}

function readForks(value: unknown): Record<string, ForkPoint> | undefined {
  if (!isObject(value)) return undefined;
  const isMessage = (message: unknown) => messageProblem(message) === undefined;
  const entries = Object.entries(value).filter(([, point]) => isForkPoint(point, isMessage));
  return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, ForkPoint>) : undefined;
}

export function parseSession(text: string): Checked<ChatSession> {
  const parsed = parseJson(text);
  return parsed.ok ? checkSession(parsed.value) : parsed;
}

function isEntry(value: unknown): value is IndexEntry {
  return (
    isObject(value) &&
    isSessionId(value.id) &&
    isString(value.title) &&
    isTime(value.createdAt) &&
    isTime(value.updatedAt)
  );
}

export function parseIndex(text: string): Checked<SessionIndex> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!isObject(value) || value.version !== 1) return { ok: false, problem: 'not a version 1 session index' };
  if (!isString(value.activeId) || !Array.isArray(value.sessions) || !value.sessions.every(isEntry))
    return { ok: false, problem: 'the session list is malformed' };
  return { ok: true, value: { version: 1, activeId: value.activeId, sessions: value.sessions } };
}
