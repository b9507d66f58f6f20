/**
 * The agent's approval modes: how much it may do without the user's click. One place decides,
 * so the command tool, the edit review and the tool list cannot disagree.
 */
export type AgentMode = 'plan' | 'ask' | 'autoEdit' | 'auto';

export const AGENT_MODES: readonly AgentMode[] = ['plan', 'ask', 'autoEdit', 'auto'];

/** A new user starts where nothing happens without a click. */
export const DEFAULT_MODE: AgentMode = 'ask';

export const MODE_LABELS: Readonly<Record<AgentMode, string>> = {
  plan: 'Plan',
  ask: 'Ask',
  autoEdit: 'Auto-edit',
  auto: 'Auto',
};

export const isAgentMode = (value: unknown): value is AgentMode =>
  typeof value === 'string' && (AGENT_MODES as readonly string[]).includes(value);

/** Plan mode offers only the tools that change nothing: no edits, no commands. */
export const mayChange = (mode: AgentMode): boolean => mode !== 'plan';

/** A command the checker found wholly on the allow list runs without asking only in the auto modes. */
export const runsAllowedCommandsUnasked = (mode: AgentMode): boolean => mode === 'autoEdit' || mode === 'auto';

/** Edits skip the review only in Auto, and never for protected files (the review decides those). */
export const acceptsEditsUnreviewed = (mode: AgentMode): boolean => mode === 'auto';
