/** What the checklist card shows for a list of steps: no DOM here, so it is tested in plain Node. */
import type { TodoItemView, TodoStatusView } from '../core/protocol';

export interface TodoRow {
  readonly text: string;
  readonly status: TodoStatusView;
  readonly icon: string;
  /** What a screen reader says for the state. */
  readonly state: string;
}

export interface TodoCardModel {
  readonly title: string;
  readonly rows: readonly TodoRow[];
  /** The step in progress, for the folded card. */
  readonly current?: string;
  readonly finished: boolean;
}

const ICONS: Readonly<Record<TodoStatusView, string>> = { pending: '○', in_progress: '◐', done: '●' };
const STATES: Readonly<Record<TodoStatusView, string>> = {
  pending: 'to do',
  in_progress: 'in progress',
  done: 'done',
};

/** What the card shows for a checklist: a pure function, tested without a DOM. */
export function todoCardModel(items: readonly TodoItemView[]): TodoCardModel {
  const done = items.filter((item) => item.status === 'done').length;
  const current = items.find((item) => item.status === 'in_progress')?.text;
  return {
    title: `Plan · ${done} of ${items.length} done`,
    rows: items.map((item) => ({ ...item, icon: ICONS[item.status], state: STATES[item.status] })),
    ...(current ? { current } : {}),
    finished: items.length > 0 && done === items.length,
  };
}
