/**
 * The MCP servers' tools for the agent, brought up to date before each user message: servers
 * that may run start (a workspace server waiting for approval is asked about, not started).
 * "Always allow" is kept per server and tool in the user's settings.
 */
import * as vscode from 'vscode';
import type { InteractiveTool, ToolSource } from '../../core/agent/toolRunner';
import type { TokenCounter } from '../../core/context/tokens/tokenCounter';
import type { OfferedTool } from '../../core/mcp/manager';
import { mcpTool, type McpToolPolicy } from '../../core/mcp/mcpTools';
import { explainToolRefusal } from '../../core/mcp/refusals';
import { acceptsImages, type VisionSetting } from '../../core/model/vision';
import type { McpService } from './mcpService';

const SEEN_KEY = 'qcoder.mcp.seenDescriptions';
/** Tokens an MCP result may take in the conversation. */
const RESULT_BUDGET = 8_000;

export class McpToolSource implements ToolSource {
  tools: readonly InteractiveTool[] = [];
  private offered: readonly OfferedTool[] = [];

  constructor(
    private readonly service: McpService,
    private readonly context: vscode.ExtensionContext,
    /** The model the next request goes to. */
    private readonly model: () => string,
    private readonly counter: (model: string) => Promise<TokenCounter>,
  ) {}

  async refresh(reserved: ReadonlySet<string>): Promise<void> {
    await this.service.load();
    if (this.service.manager.entries.length === 0) {
      this.tools = [];
      this.offered = [];
      return;
    }
    this.service.askForPendingApprovals();
    const offered = await this.service.manager.tools(reserved);
    this.offered = offered;
    const policy = this.policy();
    const options = async () => {
      const model = this.model();
      const setting = vscode.workspace.getConfiguration('qcoder').get<VisionSetting>('model.vision', 'auto');
      return { counter: await this.counter(model), budget: RESULT_BUDGET, vision: acceptsImages(model, setting) };
    };
    this.tools = offered.map((tool) => mcpTool(tool, this.service.manager, policy, options));
  }

  explainRefusal(message: string): string | undefined {
    return explainToolRefusal(message, this.offered);
  }

  private policy(): McpToolPolicy {
    const settings = () => vscode.workspace.getConfiguration('qcoder');
    const allowed = () => settings().inspect<string[]>('mcp.alwaysAllow')?.globalValue ?? [];
    return {
      isAlwaysAllowed: (server, tool) => allowed().includes(`${server}/${tool}`),
      allowAlways: async (server, tool) => {
        const next = [...new Set([...allowed(), `${server}/${tool}`])];
        await settings().update('mcp.alwaysAllow', next, vscode.ConfigurationTarget.Global);
      },
      hasSeen: (key) => this.context.globalState.get<string[]>(SEEN_KEY, []).includes(key),
      markSeen: (key) => {
        const seen = this.context.globalState.get<string[]>(SEEN_KEY, []);
        if (!seen.includes(key)) void this.context.globalState.update(SEEN_KEY, [...seen, key].slice(-500));
      },
    };
  }
}
