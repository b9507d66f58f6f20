/**
 * The agent's modes, limits and code tools in the host: the remembered mode and its command, the
 * checklist card of the active session, the limits from the settings, and the tools over VS
 * Code's language services. extension.ts hands the pieces to the chat engine and the tool runner.
 */
import * as vscode from 'vscode';
import { DEFAULT_LIMITS, limitValue, type LoopLimits } from '../../core/agent/loopGuard';
import { AGENT_MODES, type AgentMode, isAgentMode, MODE_LABELS, ModeStore, offersTool } from '../../core/agent/modes';
import { agentTools, withAgentPrompt } from '../../core/agent/agentTools';
import type { ReadOnlyTool } from '../../core/agent/tool';
import { type ActiveSession, SessionTodoBoard } from '../../core/agent/todoBoard';
import type { HostMessage } from '../../core/protocol';
import { DisposableStore } from '../../core/util/lifecycle';
import type { AccessDecider } from '../workspace/accessService';
import { VsCodeCodeIntel } from './codeIntel';

export const SET_MODE_COMMAND = 'qcoder.setMode';

export interface AgentToolsDeps {
  readonly context: Pick<vscode.ExtensionContext, 'globalState'>;
  readonly sessions: ActiveSession;
  readonly access: AccessDecider;
  post(message: HostMessage): void;
  readonly onDidPostMessage: vscode.Event<HostMessage>;
  readonly onDidViewBecomeReady: vscode.Event<void>;
}

export interface AgentToolsFeature extends vscode.Disposable {
  readonly modes: ModeStore;
  /** get_problems, find_symbol, go_to_definition, find_references and todo_write. */
  readonly tools: readonly ReadOnlyTool[];
  readonly todos: SessionTodoBoard;
  /** Whether the current mode offers `tool` to the model. */
  offers(tool: string): boolean;
  /** The limits of a task, read from the settings when a message starts. */
  limits(): LoopLimits;
  /** The system prompt with what the current mode adds. */
  systemPrompt(base: string): string;
}

export function registerAgentTools(deps: AgentToolsDeps): AgentToolsFeature {
  const store = new DisposableStore();
  const modes = new ModeStore(deps.context.globalState);
  const todos = new SessionTodoBoard(deps.sessions, deps.post);
  const postMode = () => deps.post({ type: 'mode', mode: modes.mode });
  store.add(modes.onDidChange(postMode));
  store.add(deps.onDidViewBecomeReady(postMode));
  store.add(
    deps.onDidPostMessage((message) => {
      // After the session is drawn (queued: the session message goes to the view first).
      if (message.type === 'session') queueMicrotask(() => todos.publish());
    }),
  );
  store.add(vscode.commands.registerCommand(SET_MODE_COMMAND, (mode?: unknown) => setMode(modes, mode)));
  return {
    modes,
    todos,
    tools: agentTools(new VsCodeCodeIntel(deps.access), todos),
    offers: (tool) => offersTool(modes.mode, tool),
    limits: readLimits,
    systemPrompt: (base) => withAgentPrompt(base, modes.mode),
    dispose: () => store.dispose(),
  };
}

/** `qcoder.setMode` with a mode id ('plan', 'ask', 'autoEdit', 'auto'), or a pick list without one. */
async function setMode(modes: ModeStore, mode: unknown): Promise<boolean> {
  let chosen = mode;
  if (chosen === undefined) {
    const picked = await vscode.window.showQuickPick(
      AGENT_MODES.map((id) => ({ label: MODE_LABELS[id], description: id === modes.mode ? 'current' : '', id })),
      { placeHolder: 'How much may the agent do without asking?' },
    );
    if (!picked) return false;
    chosen = picked.id;
  }
  if (!isAgentMode(chosen)) {
    void vscode.window.showErrorMessage(
      `QCoder: "${String(chosen)}" is not an agent mode; use one of ${AGENT_MODES.join(', ')}.`,
    );
    return false;
  }
  return modes.set(chosen satisfies AgentMode);
}

function readLimits(): LoopLimits {
  const config = vscode.workspace.getConfiguration('qcoder.agent');
  return {
    maxModelCalls: limitValue(config.get('maxModelCalls'), DEFAULT_LIMITS.maxModelCalls),
    maxTaskTokens: limitValue(config.get('maxTaskTokens'), DEFAULT_LIMITS.maxTaskTokens),
  };
}
