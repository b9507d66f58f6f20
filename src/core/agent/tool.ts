/** A tool the model can call, and what calling it produced. */
import type { ToolSchema } from '../model/types';
import type { WorkspaceAccess } from './workspace';

export interface ToolContext {
  readonly workspace: WorkspaceAccess;
  readonly signal: AbortSignal;
}

export interface ToolOutcome {
  /** Sent back to the model as the tool message. */
  readonly content: string;
  /** A short line for the tool card in the chat. */
  readonly summary: string;
  readonly isError?: boolean;
  /**
   * Images the tool returned, as `data:` URLs, for a model that takes them: a tool message
   * cannot carry images, so the chat sends them in a user message after the tool messages.
   */
  readonly images?: readonly string[];
}

export interface ReadOnlyTool {
  readonly schema: ToolSchema;
  /** The card title, e.g. "Read src/app.ts". */
  title(args: Record<string, unknown>): string;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome>;
}

export const stringArg = (args: Record<string, unknown>, name: string): string | undefined =>
  typeof args[name] === 'string' ? (args[name] as string) : undefined;

export const numberArg = (args: Record<string, unknown>, name: string): number | undefined => {
  const value = args[name];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
};

export const failed = (content: string, summary = content): ToolOutcome => ({
  content: `Error: ${content}`,
  summary,
  isError: true,
});
