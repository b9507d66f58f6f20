/**
 * The agent's approval modes: how much it may do without the user's click. One place decides,
 * so the command tool, the edit review and the tool list cannot disagree.
 */
import { AGENT_MODES, type AgentMode, MODE_LABELS } from '../protocol';

// The list and the labels live in the protocol: the mode selector in the webview shows them too.
export { AGENT_MODES, type AgentMode, MODE_LABELS };

/** A new user starts where nothing happens without a click. */
export const DEFAULT_MODE: AgentMode = 'ask';

export const isAgentMode = (value: unknown): value is AgentMode =>
  typeof value === 'string' && (AGENT_MODES as readonly string[]).includes(value);

/** Plan mode offers only the tools that change nothing: no edits, no commands. */
export const mayChange = (mode: AgentMode): boolean => mode !== 'plan';

/** A command the checker found wholly on the allow list runs without asking only in the auto modes. */
export const runsAllowedCommandsUnasked = (mode: AgentMode): boolean => mode === 'autoEdit' || mode === 'auto';

/** Edits skip the review only in Auto, and never for protected files (the review decides those). */
export const acceptsEditsUnreviewed = (mode: AgentMode): boolean => mode === 'auto';

/**
 * The tools that change nothing, offered in Plan mode. A list of what is allowed, not of what is
 * not: a tool added later (a command, an MCP tool) stays out of Plan mode until it is named here.
 */
export const PLAN_TOOLS: ReadonlySet<string> = new Set([
  'read_file',
  'list_files',
  'search_files',
  'get_problems',
  'find_symbol',
  'find_references',
  'go_to_definition',
  'todo_write',
  'ask_user',
]);

/** Whether `tool` is offered to the model in `mode`. */
export const offersTool = (mode: AgentMode, tool: string): boolean => mayChange(mode) || PLAN_TOOLS.has(tool);

/** What the system prompt adds in a mode (nothing outside Plan mode). */
export function modeInstructions(mode: AgentMode): string {
  if (mode !== 'plan') return '';
  return [
    '',
    'You are in Plan mode: you can read and search the workspace but not change it or run commands.',
    'Investigate what you need, then answer with a concrete plan: the files and symbols to change, the steps ' +
      'in order, and how to verify the result.',
    'Record the steps with todo_write (all pending) so the user sees the checklist. Do not write the changes ' +
      'themselves; the user presses Act to have you carry the plan out.',
  ].join('\n');
}

/** What the user's Act button sends: the plan above is carried out in Ask mode. */
export const ACT_MESSAGE =
  'Carry out the plan above, step by step. Keep the checklist up to date with todo_write as you go.';

/** Where the chosen mode is kept between windows (VS Code's `globalState` in the host). */
export interface ModeMemory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const MODE_KEY = 'qcoder.agentMode';

/** The current mode, remembered, with a change event for whoever decides by it. */
export class ModeStore {
  private current: AgentMode;
  private readonly listeners = new Set<(mode: AgentMode) => void>();

  constructor(private readonly memory: ModeMemory) {
    const saved = memory.get(MODE_KEY);
    this.current = isAgentMode(saved) ? saved : DEFAULT_MODE;
  }

  get mode(): AgentMode {
    return this.current;
  }

  /** Sets and remembers the mode; false (and nothing changes) for a value that is not a mode. */
  async set(mode: unknown): Promise<boolean> {
    if (!isAgentMode(mode)) return false;
    if (mode === this.current) return true;
    this.current = mode;
    for (const listener of [...this.listeners]) listener(mode);
    await this.memory.update(MODE_KEY, mode);
    return true;
  }

  onDidChange(listener: (mode: AgentMode) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
