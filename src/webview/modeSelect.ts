/**
 * The agent mode in the chat: a compact drop-down beside Send (a native select, so keyboard and
 * screen readers work as everywhere else), and the Act button under a finished plan.
 */
import { AGENT_MODES, type AgentMode, MODE_LABELS, type WebviewMessage } from '../core/protocol';

const MODE_HINTS: Readonly<Record<AgentMode, string>> = {
  plan: 'Plan: the agent only reads and writes a plan; press Act to carry it out',
  ask: 'Ask: every edit is reviewed, every command asks',
  autoEdit: 'Auto-edit: edits are reviewed; allowed commands run without asking',
  auto: 'Auto: edits are applied without review (protected files still ask); allowed commands run',
};

export class ModeSelect {
  private current: AgentMode = 'ask';
  private busy = false;
  readonly select: HTMLSelectElement;

  constructor(
    actions: HTMLElement,
    private readonly list: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    this.select = document.createElement('select');
    this.select.id = 'mode';
    this.select.setAttribute('aria-label', 'Agent mode');
    this.select.append(...AGENT_MODES.map((mode) => new Option(MODE_LABELS[mode], mode, mode === this.current)));
    this.select.addEventListener('change', () => {
      const mode = AGENT_MODES.find((each) => each === this.select.value);
      if (mode) this.post({ type: 'setMode', mode });
    });
    actions.prepend(this.select);
    this.describe();
  }

  get mode(): AgentMode {
    return this.current;
  }

  /** The host's mode (the one remembered, or set by the command or Act). */
  show(mode: AgentMode): void {
    this.current = mode;
    this.select.value = mode;
    document.body.dataset.mode = mode;
    this.describe();
    this.placeAct();
  }

  /** Called when the chat becomes busy or idle, and after a redraw. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.placeAct();
  }

  /** In Plan mode, a finished answer to the last message gets the Act button; nowhere else. */
  private placeAct(): void {
    for (const old of this.list.querySelectorAll('.plan-actions')) old.remove();
    if (this.current !== 'plan' || this.busy) return;
    const last = [...this.list.querySelectorAll<HTMLElement>(':scope > .page > article.message')].at(-1);
    if (!last?.classList.contains('assistant') || last.dataset.status !== 'complete') return;
    const box = document.createElement('div');
    box.className = 'plan-actions';
    const act = document.createElement('button');
    act.className = 'act';
    act.textContent = 'Act';
    act.title = 'Switch to Ask mode and have the agent carry out this plan';
    act.addEventListener('click', () => {
      box.remove();
      this.post({ type: 'act' });
    });
    box.append(act);
    last.append(box);
  }

  private describe(): void {
    this.select.title = MODE_HINTS[this.current];
  }
}
