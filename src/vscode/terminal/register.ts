/**
 * The agent's command tools and ask_user over VS Code: commands in a terminal (or a child process),
 * the user's rules from application-scoped settings, Workspace Trust, every background command
 * killed when the extension ends.
 */
import * as vscode from 'vscode';
import { askUserTool } from '../../core/agent/askUser';
import type { CommandRules } from '../../core/agent/commands/approval';
import {
  type CommandRulesSource,
  MemorySessionApprovals,
  type SessionApprovals,
} from '../../core/agent/commands/runApproval';
import { ChildProcessHost } from '../../core/agent/commands/runProcess';
import { CommandTools } from '../../core/agent/commands/runTools';
import { type AgentMode, DEFAULT_MODE } from '../../core/agent/modes';
import type { InteractiveTool } from '../../core/agent/toolRunner';
import type { TokenCounter } from '../../core/context/tokens/tokenCounter';
import { workspaceRoots } from '../workspacePaths';
import { TerminalCommandHost } from './terminalHost';

/**
 * `qcoder.commands.allow` / `deny` from the user's settings only (`inspect().globalValue`): a
 * repository's `.vscode/settings.json` cannot widen what runs unasked.
 */
export const settingsRules: CommandRulesSource = {
  current(): CommandRules {
    const list = (key: string): string[] => {
      const value = vscode.workspace.getConfiguration('qcoder').inspect<unknown>(key)?.globalValue;
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    };
    return { allow: list('commands.allow'), deny: list('commands.deny') };
  },
};

export interface CommandFeatureOptions {
  readonly counter: () => Promise<TokenCounter>;
  readonly log: (line: string) => void;
  /** The agent's mode (the mode selector re-points this). */
  readonly mode?: () => AgentMode;
  readonly rules?: CommandRulesSource;
  readonly session?: SessionApprovals;
  readonly isProtectedPath?: (path: string) => boolean;
}

export interface CommandFeature extends vscode.Disposable {
  /** run_command, read_command_output, stop_command and ask_user, for the tool runner. */
  readonly tools: readonly InteractiveTool[];
  readonly commands: CommandTools;
}

export function registerCommandTools(options: CommandFeatureOptions): CommandFeature {
  const terminalHost = new TerminalCommandHost(new ChildProcessHost(), options.log);
  const commands = new CommandTools({
    host: terminalHost,
    roots: workspaceRoots,
    rules: options.rules ?? settingsRules,
    session: options.session ?? new MemorySessionApprovals(),
    mode: options.mode ?? (() => DEFAULT_MODE),
    isTrusted: () => vscode.workspace.isTrusted,
    counter: options.counter,
    isProtectedPath: options.isProtectedPath,
  });
  return {
    tools: [...commands.tools, askUserTool],
    commands,
    dispose: () => {
      void commands.dispose();
      terminalHost.dispose();
    },
  };
}
