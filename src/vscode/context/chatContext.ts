/** The chat's context provider with the editor behind it: index, tokenizer, window, mentions and signals. */
import * as vscode from 'vscode';
import { WorkspaceContext } from '../../core/chat/workspaceContext';
import { type CostMeter, describeInputCost } from '../../core/model/costMeter';
import type { TokenCounters } from '../../core/context';
import { priceOf } from '../pricing';
import { symbolProviderFor } from '../workspace/documentSymbols';
import { collectSignals, type RecentEdits } from '../workspace/editorSignals';
import type { WorkspaceIndexService } from '../workspace/indexService';
import { completeResources } from '../../core/mcp/resources';
import type { McpService } from '../mcp/mcpService';
import type { TerminalOutputSource } from '../workspace/terminalOutput';
import type { ContextWindows } from './contextWindows';
import { resolveMentions } from './mentionResolver';

export interface ChatContextDeps {
  readonly index: WorkspaceIndexService;
  readonly counters: TokenCounters;
  readonly windows: ContextWindows;
  readonly recent: RecentEdits;
  readonly terminal: TerminalOutputSource;
  readonly mcp?: McpService;
  /** The session's running cost, for the ledger's cost line. */
  readonly costs?: CostMeter;
  log(line: string): void;
}

export function chatContext(deps: ChatContextDeps): WorkspaceContext {
  return new WorkspaceContext({
    index: () => deps.index.get(),
    counter: (model) => deps.counters.forModel(model),
    window: async (model, baseUrl) => {
      const window = await deps.windows.get(baseUrl, model);
      return { tokens: window.tokens, detail: window.detail };
    },
    resolve: (mentions, index, signal) => resolveMentions(mentions, index, deps.terminal, signal, deps.mcp),
    completeMcp: async (prefix) => {
      if (!deps.mcp) return [];
      await deps.mcp.load();
      return completeResources(deps.mcp.manager, prefix);
    },
    signals: (mentions) => collectSignals(deps.recent, mentions),
    symbols: symbolProviderFor,
    retrievedTokens: () => vscode.workspace.getConfiguration('qcoder').get<number>('context.retrievedTokens'),
    cost: (model, baseUrl, tokens) => {
      const session = deps.costs?.last ? ` · this session so far: ${deps.costs.describeSession()}` : '';
      return `${describeInputCost(priceOf(model, baseUrl), tokens)}${session}`;
    },
    rgPath: deps.index.rgPath,
    log: deps.log,
  });
}
