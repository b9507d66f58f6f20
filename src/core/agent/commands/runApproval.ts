/**
 * Whether a command runs, asks or is refused: the checker's verdict, the mode, Workspace Trust and
 * what the user allowed for this session, decided in one place so the tool and its tests agree.
 */
import { type AgentMode, mayChange, runsAllowedCommandsUnasked } from '../modes';
import type { CommandRules, CommandVerdict } from './approval';

/** Where the user's rules come from (the VS Code host reads the application-scoped settings). */
export interface CommandRulesSource {
  current(): CommandRules;
}

/** "Allow … for this session": sub-commands the user let run without asking until the window closes. */
export interface SessionApprovals {
  /** Whether "Allow for this session" may be offered for this verdict (never for denied lines). */
  canApprove(verdict: CommandVerdict): boolean;
  /** True when the user allowed every sub-command of the verdict for this session. */
  approves(verdict: CommandVerdict): boolean;
  approve(verdict: CommandVerdict): void;
}

export type RunDecision =
  | { readonly kind: 'run'; readonly why: string }
  | { readonly kind: 'ask'; readonly reasons: readonly string[]; readonly offerSession: boolean }
  | { readonly kind: 'refuse'; readonly message: string };

export interface DecisionInput {
  readonly verdict: CommandVerdict;
  readonly mode: AgentMode;
  readonly trusted: boolean;
  readonly session: SessionApprovals;
}

export function decideRun({ verdict, mode, trusted, session }: DecisionInput): RunDecision {
  if (!trusted)
    return {
      kind: 'refuse',
      message:
        'This workspace is not trusted, so QCoder runs no commands in it. Tell the user; they can trust the ' +
        'workspace (Manage Workspace Trust) and ask again.',
    };
  if (!mayChange(mode))
    return {
      kind: 'refuse',
      message: 'Plan mode runs no commands. Write the plan; the user switches to another mode to act on it.',
    };
  if (verdict.kind === 'deny')
    return {
      kind: 'refuse',
      message:
        `The user's deny list forbids this command: ` +
        `${verdict.reasons.join('; ') || verdict.commands.join(', ')}. It was not run; do ` +
        `not try to run it another way.`,
    };
  if (verdict.kind === 'allow' && runsAllowedCommandsUnasked(mode)) return { kind: 'run', why: 'on the allow list' };
  if (session.approves(verdict)) return { kind: 'run', why: 'allowed for this session' };
  const reasons = verdict.kind === 'ask' ? verdict.reasons : ['Commands ask in this mode.'];
  return { kind: 'ask', reasons, offerSession: session.canApprove(verdict) };
}

/**
 * The session approvals kept in memory: exact sub-commands as the checker names them. Offered for any
 * line the checker did not deny; the checker's own session rules (protected writes and the like) can
 * take this one's place through the interface.
 */
export class MemorySessionApprovals implements SessionApprovals {
  private readonly allowed = new Set<string>();

  canApprove(verdict: CommandVerdict): boolean {
    return verdict.kind !== 'deny' && verdict.commands.length > 0;
  }

  approves(verdict: CommandVerdict): boolean {
    return this.canApprove(verdict) && verdict.commands.every((command) => this.allowed.has(command.trim()));
  }

  approve(verdict: CommandVerdict): void {
    if (!this.canApprove(verdict)) return;
    for (const command of verdict.commands) this.allowed.add(command.trim());
  }

  clear(): void {
    this.allowed.clear();
  }
}
