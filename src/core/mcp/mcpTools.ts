/**
 * MCP tools as the agent's tools. Every call asks by default — the card shows the server, the
 * tool and the arguments, and on first use what the server says the tool does (tool poisoning
 * hides instructions there) — unless the user chose "Always allow" for that server and tool.
 */
import type { InteractiveOutcome, InteractiveTool } from '../agent/toolRunner';
import type { McpManager, OfferedTool } from './manager';
import { resultForModel, type ResultOptions } from './results';

export interface McpToolPolicy {
  isAlwaysAllowed(server: string, tool: string): boolean;
  allowAlways(server: string, tool: string): Promise<void>;
  /** True once the user has seen this tool's description (keyed by server, tool and description). */
  hasSeen(key: string): boolean;
  markSeen(key: string): void;
}

const MAX_ARGUMENT_CHARS = 4_000;

export function mcpTool(
  offered: OfferedTool,
  manager: McpManager,
  policy: McpToolPolicy,
  resultOptions: () => Promise<ResultOptions>,
): InteractiveTool {
  const label = `${offered.server} › ${offered.tool}`;
  return {
    interactive: true,
    schema: {
      name: offered.name,
      description: `[MCP server "${offered.server}"] ${offered.description}`.slice(0, 1_024),
      parameters: offered.parameters,
    },
    title: (args) => `${label}${keyArgument(args)}`,
    async run(args, context): Promise<InteractiveOutcome> {
      if (!policy.isAlwaysAllowed(offered.server, offered.tool)) {
        const seenKey = `${offered.server}\u0000${offered.tool}\u0000${offered.description}`;
        const firstUse = !policy.hasSeen(seenKey);
        const shown = JSON.stringify(args, null, 2);
        const answer = await context.ask({
          kind: 'approval',
          title: `Run the MCP tool "${offered.tool}" of the server "${offered.server}"?`,
          text: shown.length > MAX_ARGUMENT_CHARS ? `${shown.slice(0, MAX_ARGUMENT_CHARS)}…` : shown,
          details: firstUse
            ? [`What the server says this tool does (the model read this too): ${offered.description || '(nothing)'}`]
            : [],
          choices: [
            { id: 'run', label: 'Run', primary: true },
            { id: 'always', label: `Always allow ${offered.tool}` },
            { id: 'reject', label: 'Reject' },
          ],
          placeholder: 'Optional note to the model if you reject',
          textChoice: 'reject',
        });
        policy.markSeen(seenKey);
        if (answer.choice !== 'run' && answer.choice !== 'always') {
          const note = answer.text?.trim();
          return {
            content: `The user rejected this call to ${label}.${note ? ` Their note: ${note}` : ''}`,
            summary: 'rejected',
            rejected: true,
          };
        }
        if (answer.choice === 'always') await policy.allowAlways(offered.server, offered.tool);
      }
      try {
        const raw = await manager.call(offered.name, args, context.signal);
        const result = resultForModel(raw, await resultOptions());
        const summary = result.isError ? 'the tool reported an error' : `${result.text.length} characters`;
        return {
          content: result.isError ? `Error from ${label}: ${result.text}` : result.text,
          summary: result.truncated ? `${summary}, cut to fit` : summary,
          isError: result.isError,
          ...(result.images.length > 0
            ? { images: result.images.map((image) => `data:${image.mimeType};base64,${image.data}`) }
            : {}),
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { content: `Error: ${message}`, summary: message, isError: true };
      }
    },
  };
}

/** The first short string argument, so two calls of one tool look different on their cards. */
function keyArgument(args: Record<string, unknown>): string {
  const value = Object.values(args).find((item) => typeof item === 'string' || typeof item === 'number');
  if (value === undefined) return '';
  const text = String(value);
  return `: ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
}
