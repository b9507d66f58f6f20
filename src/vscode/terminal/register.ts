/**
 * The agent's command tools and ask_user over VS Code: commands in a terminal (or a child process),
 * the user's rules from application-scoped settings, Workspace Trust, every background command
 * killed when the extension ends.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { protectedReason } from '../../core/edits/protectedPaths';
import { CheckedSessionApprovals } from '../../core/agent/commands/checkedSession';
import { CommandRulesReader } from '../commandRules';
import { askUserTool } from '../../core/agent/askUser';
import { type CommandRulesSource, type SessionApprovals } from '../../core/agent/commands/runApproval';
import { ChildProcessHost } from '../../core/agent/commands/runProcess';
import { CommandTools } from '../../core/agent/commands/runTools';
import { type AgentMode, DEFAULT_MODE } from '../../core/agent/modes';
import type { InteractiveTool } from '../../core/agent/toolRunner';
import type { TokenCounter } from '../../core/context/tokens/tokenCounter';
import { workspaceRoots } from '../workspacePaths';
import { TerminalCommandHost } from './terminalHost';

export interface CommandFeatureOptions {
  readonly counter: () => Promise<TokenCounter>;
  readonly log: (line: string) => void;
  /** The agent's mode (the mode selector re-points this). */
  readonly mode?: () => AgentMode;
  readonly rules?: CommandRulesSource;
  readonly session?: SessionApprovals;
  readonly isProtectedPath?: (path: string) => boolean;
  /** Where the next background handle number is kept, so handles go on across a reload (workspaceState). */
  readonly state?: vscode.Memento;
}

const NEXT_HANDLE_KEY = 'qcoder.commands.nextHandle';

export interface CommandFeature extends vscode.Disposable {
  /** run_command, read_command_output, stop_command and ask_user, for the tool runner. */
  readonly tools: readonly InteractiveTool[];
  readonly commands: CommandTools;
}

/**
 * A path as a command line spells it (relative to the command's folder, which may be any folder in
 * the workspace, or absolute): protected when it is protected read from any workspace root, so
 * `.git/hooks/x`, `../.vscode/settings.json` and an absolute path into a root all count.
 */
function isProtectedSpelling(spelled: string): boolean {
  const candidates = new Set<string>([spelled.replace(/^(\.\/)+/, '')]);
  for (const root of workspaceRoots()) {
    const relative = path.relative(root.path, path.resolve(root.path, spelled));
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) candidates.add(relative.split(path.sep).join('/'));
  }
  const parts = spelled.split('/').filter((part) => part !== '..' && part !== '.');
  for (let i = 0; i < parts.length; i++) candidates.add(parts.slice(i).join('/'));
  return [...candidates].some((candidate) => candidate !== '' && protectedReason(candidate) !== undefined);
}

export function registerCommandTools(options: CommandFeatureOptions): CommandFeature {
  const reader = new CommandRulesReader();
  const session = new CheckedSessionApprovals(() => vscode.workspace.isTrusted);
  const terminalHost = new TerminalCommandHost(new ChildProcessHost(), options.log);
  const commands = new CommandTools(
    {
      host: terminalHost,
      roots: workspaceRoots,
      rules: options.rules ?? session.rules(() => reader.current),
      session: options.session ?? session,
      mode: options.mode ?? (() => DEFAULT_MODE),
      isTrusted: () => vscode.workspace.isTrusted,
      counter: options.counter,
      isProtectedPath: options.isProtectedPath ?? isProtectedSpelling,
    },
    {
      first: options.state?.get<number>(NEXT_HANDLE_KEY) ?? 1,
      issued: (next) => void options.state?.update(NEXT_HANDLE_KEY, next),
    },
  );
  return {
    tools: [...commands.tools, askUserTool],
    commands,
    dispose: () => {
      reader.dispose();
      void commands.dispose();
      terminalHost.dispose();
    },
  };
}
