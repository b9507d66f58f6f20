/**
 * "Allow this command for the session": the sub-commands a person approved once run unasked for the
 * rest of the chat session, as if they were exact entries on the allow list. What is remembered is
 * the normalized sub-command (`npm test`, quoting removed), never the line, so `npm test` approved
 * once also lets `npm test && ls` run when `ls` is allowed, and nothing else.
 *
 * Never remembered: a denied line, a line that writes to a protected file, a sub-command that asked
 * for any other reason than the allow list (such as `git push`, `sudo`, a pipe into a shell), and
 * anything in an untrusted workspace. Deny entries still beat what is remembered.
 */
import type { CommandRules, CommandVerdict } from './approval';

export class SessionApprovals {
  private readonly approved = new Set<string>();

  /** Why `verdict` cannot be allowed for the session, or undefined when it can. */
  refusal(verdict: CommandVerdict, workspaceTrusted: boolean): string | undefined {
    if (!workspaceTrusted) return 'Commands cannot be allowed for the session in an untrusted workspace.';
    if (verdict.kind === 'deny') return 'A denied command is never allowed.';
    if (verdict.kind === 'allow') return 'This command is already allowed.';
    if (!verdict.sessionKeys?.length) {
      return 'This command cannot be allowed for the session: it asks for a reason a session approval does not cover.';
    }
    return undefined;
  }

  /** Remembers the verdict's sub-commands; returns what was remembered (nothing when refused). */
  remember(verdict: CommandVerdict, workspaceTrusted: boolean): readonly string[] {
    if (this.refusal(verdict, workspaceTrusted) !== undefined || verdict.kind !== 'ask') return [];
    const keys = verdict.sessionKeys ?? [];
    for (const key of keys) this.approved.add(key);
    return keys;
  }

  /** The user's rules with the session's approvals added to the allow list (the deny list unchanged). */
  rulesWith(rules: CommandRules): CommandRules {
    return this.approved.size ? { allow: [...rules.allow, ...this.approved], deny: rules.deny } : rules;
  }

  get entries(): readonly string[] {
    return [...this.approved];
  }

  clear(): void {
    this.approved.clear();
  }
}
