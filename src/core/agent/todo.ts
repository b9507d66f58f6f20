/**
 * The agent's plan as a checklist: `todo_write` replaces the whole list each time (the model
 * rewrites it as it works), the list is kept with the session, and the chat shows it as one card
 * that is updated in place.
 */
import type { TodoItemView, TodoStatusView } from '../protocol';
import { TODO_STATUSES } from '../protocol';
import { failed, type ReadOnlyTool } from './tool';

export type TodoStatus = TodoStatusView;
export type TodoItem = TodoItemView;

export const MAX_TODOS = 30;
export const MAX_TODO_CHARS = 200;

/** Words models use for the three states. */
const STATUS_WORDS: Readonly<Record<string, TodoStatus>> = {
  pending: 'pending',
  todo: 'pending',
  not_started: 'pending',
  in_progress: 'in_progress',
  'in-progress': 'in_progress',
  inprogress: 'in_progress',
  active: 'in_progress',
  doing: 'in_progress',
  done: 'done',
  completed: 'done',
  complete: 'done',
};

export type ParsedTodos =
  { readonly ok: true; readonly items: TodoItem[] } | { readonly ok: false; readonly reason: string };

/** The tool's `todos` argument as a checklist, or what is wrong with it in words the model can act on. */
export function parseTodos(value: unknown): ParsedTodos {
  if (!Array.isArray(value))
    return { ok: false, reason: 'todo_write needs "todos": a list of {"text": "...", "status": "pending"}.' };
  if (value.length > MAX_TODOS)
    return { ok: false, reason: `todo_write takes at most ${MAX_TODOS} items; merge steps into fewer.` };
  const items: TodoItem[] = [];
  for (const [index, raw] of value.entries()) {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const text = typeof entry.text === 'string' ? entry.text : typeof entry.content === 'string' ? entry.content : '';
    if (!text.trim()) return { ok: false, reason: `todo ${index + 1} has no "text".` };
    const word = typeof entry.status === 'string' ? entry.status.trim().toLowerCase() : 'pending';
    const status = STATUS_WORDS[word];
    if (!status)
      return {
        ok: false,
        reason: `todo ${index + 1} has the status "${word}"; use one of ${TODO_STATUSES.join(', ')}.`,
      };
    const flat = text.replace(/\s+/g, ' ').trim();
    items.push({ text: flat.length > MAX_TODO_CHARS ? `${flat.slice(0, MAX_TODO_CHARS - 1)}…` : flat, status });
  }
  return { ok: true, items };
}

const MARKS: Readonly<Record<TodoStatus, string>> = { pending: '[ ]', in_progress: '[~]', done: '[x]' };

/** "2 of 5 done", the card's and the tool card's short line. */
export function todoProgress(items: readonly TodoItem[]): string {
  return `${items.filter((item) => item.status === 'done').length} of ${items.length} done`;
}

/** The checklist as the model reads it back. */
export function formatTodos(items: readonly TodoItem[]): string {
  if (items.length === 0) return 'The checklist is empty.';
  const lines = items.map((item, index) => `${MARKS[item.status]} ${index + 1}. ${item.text}`);
  return `Checklist updated (${todoProgress(items)}):\n${lines.join('\n')}`;
}

/** Where the checklist lives: the active session, and the card in the chat. */
export interface TodoBoard {
  /** Replaces the active session's checklist and shows it. */
  set(items: readonly TodoItem[]): void;
}

export function todoWriteTool(board: TodoBoard): ReadOnlyTool {
  return {
    schema: {
      name: 'todo_write',
      description:
        'Your plan for a multi-step task as a checklist the user sees. Send the whole list each time; mark the ' +
        'step you work on in_progress, then done.',
      parameters: {
        type: 'object',
        properties: {
          todos: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                text: { type: 'string' },
                status: { type: 'string', enum: [...TODO_STATUSES] },
              },
              required: ['text', 'status'],
            },
          },
        },
        required: ['todos'],
      },
    },
    title: () => 'Update plan',
    async run(args) {
      const parsed = parseTodos(args.todos);
      if (!parsed.ok) return failed(parsed.reason);
      board.set(parsed.items);
      return { content: formatTodos(parsed.items), summary: todoProgress(parsed.items) };
    },
  };
}

/** A stored checklist, checked item by item (an old or damaged session file must still load). */
export function readTodos(value: unknown): TodoItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: TodoItem[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const { text, status } = raw as Record<string, unknown>;
    if (typeof text !== 'string' || !(TODO_STATUSES as readonly unknown[]).includes(status)) return undefined;
    items.push({ text, status: status as TodoStatus });
  }
  return items;
}
