/**
 * The command tool's "allow for this session" over the checker's own session approvals: only what
 * the checker says may be remembered is (never a denied line, a protected write, an untrusted
 * workspace), and a remembered sub-command counts as an allow-list entry when lines are checked.
 */
import type { CommandRules, CommandVerdict } from './approval';
import type { CommandRulesSource, SessionApprovals as RunSessionApprovals } from './runApproval';
import { SessionApprovals } from './sessionApprovals';

export class CheckedSessionApprovals implements RunSessionApprovals {
  private readonly inner = new SessionApprovals();

  constructor(private readonly isTrusted: () => boolean) {}

  /** The user's rules with what this session approved added to the allow list. */
  rules(source: () => CommandRules): CommandRulesSource {
    return { current: () => this.inner.rulesWith(source()) };
  }

  canApprove(verdict: CommandVerdict): boolean {
    return this.inner.refusal(verdict, this.isTrusted()) === undefined;
  }

  /**
   * A line the checker allowed only because of this session's approvals runs unasked in every mode
   * but Plan (the user chose it); one allowed by the allow list alone still follows the mode.
   */
  approves(verdict: CommandVerdict): boolean {
    const remembered = new Set(this.inner.entries);
    return verdict.kind === 'allow' && this.isTrusted() && verdict.commands.some((command) => remembered.has(command));
  }

  approve(verdict: CommandVerdict): void {
    this.inner.remember(verdict, this.isTrusted());
  }

  clear(): void {
    this.inner.clear();
  }
}
