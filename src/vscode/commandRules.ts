/**
 * The user's command rules, `qcoder.commands.allow` and `qcoder.commands.deny`. Both are application
 * settings and only the user's own value is read: a repository's `.vscode/settings.json` cannot widen
 * the allow list or empty the deny list, even if it names them.
 */
import * as vscode from 'vscode';
import type { CommandRules } from '../core/agent/commands/approval';
import { parseRules } from '../core/agent/commands/rules';

export interface CommandRuleSettings extends CommandRules {
  /** Entries that are not one plain command (`ls | head`, `rm $X`): they match nothing. */
  readonly invalid: readonly string[];
}

function userList(key: 'allow' | 'deny'): string[] {
  const value = vscode.workspace.getConfiguration('qcoder.commands').inspect<unknown>(key)?.globalValue;
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

export function readCommandRules(): CommandRuleSettings {
  const allow = userList('allow');
  const deny = userList('deny');
  return { allow, deny, invalid: [...parseRules(allow).invalid, ...parseRules(deny).invalid] };
}

/** The rules as they are now, and an event when the user changes them. */
export class CommandRulesReader implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CommandRuleSettings>();
  private readonly listener: vscode.Disposable;
  private rules = readCommandRules();

  readonly onDidChange = this.changed.event;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('qcoder.commands')) return;
      this.rules = readCommandRules();
      this.changed.fire(this.rules);
    });
  }

  get current(): CommandRuleSettings {
    return this.rules;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
