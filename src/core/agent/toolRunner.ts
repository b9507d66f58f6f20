/**
 * Runs the tool calls of one model turn: reads right away, edits as proposals that
 * go to review together. Every call gets a result for the model, failures included,
 * worded so the model can correct itself.
 */
import type { ToolCall, ToolSchema } from '../model/types';
import type { EditService } from './editService';
import type { ReadOnlyTool, ToolOutcome } from './tool';
import type { WorkspaceAccess } from './workspace';

export type ToolStatus = 'running' | 'done' | 'error' | 'proposed' | 'accepted' | 'rejected' | 'partial' | 'skipped';

export interface ToolCallRecord {
  readonly id: string;
  readonly name: string;
  readonly rawArguments: string;
  title: string;
  status: ToolStatus;
  summary?: string;
  /** What the model is told; set when the call has finished. */
  result?: string;
}

export class ToolRunner {
  private readonly readTools: Map<string, ReadOnlyTool>;

  constructor(
    tools: readonly ReadOnlyTool[],
    private readonly workspace: WorkspaceAccess,
    private readonly edits?: EditService,
  ) {
    this.readTools = new Map(tools.map((tool) => [tool.schema.name, tool]));
  }

  get schemas(): ToolSchema[] {
    return [...[...this.readTools.values()].map((tool) => tool.schema), ...(this.edits?.schemas ?? [])];
  }

  title(call: ToolCall): string {
    const read = this.readTools.get(call.name);
    if (read) return read.title(call.arguments);
    if (this.edits?.handles(call.name)) return this.edits.title(call.name, call.arguments);
    return call.name;
  }

  /** Runs `calls` in order; `update` is called whenever a record changes. */
  async run(
    calls: readonly ToolCall[],
    signal: AbortSignal,
    update: (record: ToolCallRecord) => void,
  ): Promise<ToolCallRecord[]> {
    const records = calls.map((call): ToolCallRecord => ({
      id: call.id,
      name: call.name,
      rawArguments: call.rawArguments,
      title: this.title(call),
      status: 'running',
    }));
    const batch = this.edits?.begin();
    const proposed = new Map<string, ToolCallRecord>();
    for (const [index, call] of calls.entries()) {
      const record = records[index];
      if (signal.aborted) {
        finish(record, 'skipped', 'Not run: the user stopped the request.', 'stopped');
        update(record);
        continue;
      }
      update(record);
      if (call.parseError) {
        finish(record, 'error', `Error: ${call.parseError}`, 'arguments were not valid JSON');
      } else if (this.readTools.has(call.name)) {
        const outcome = await this.runRead(this.readTools.get(call.name)!, call, signal);
        finish(record, outcome.isError ? 'error' : 'done', outcome.content, outcome.summary);
      } else if (batch && this.edits?.handles(call.name)) {
        const result = await batch.propose(call.name, call.arguments, signal);
        if (result.ok) {
          record.status = 'proposed';
          record.summary = result.change.description;
          proposed.set(result.change.id, record);
        } else {
          finish(record, 'error', `Error: ${result.message}`, firstLine(result.message));
        }
      } else {
        const known = this.schemas.map((schema) => schema.name).join(', ');
        finish(record, 'error', `Error: there is no tool "${call.name}". Available tools: ${known}.`, 'unknown tool');
      }
      update(record);
    }
    if (batch && proposed.size > 0) {
      for (const decision of await batch.review(signal)) {
        const record = proposed.get(decision.changeId);
        if (!record) continue;
        const status = decision.status === 'failed' ? 'error' : decision.status;
        finish(record, status, decision.message, decision.summary);
        update(record);
      }
      for (const record of proposed.values()) {
        if (record.result === undefined) {
          finish(record, 'rejected', 'The change was not applied.', 'not applied');
          update(record);
        }
      }
    }
    return records;
  }

  private async runRead(tool: ReadOnlyTool, call: ToolCall, signal: AbortSignal): Promise<ToolOutcome> {
    try {
      return await tool.run(call.arguments, { workspace: this.workspace, signal });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { content: `Error: ${call.name} failed: ${message}`, summary: message, isError: true };
    }
  }
}

function finish(record: ToolCallRecord, status: ToolStatus, result: string, summary: string): void {
  record.status = status;
  record.result = result;
  record.summary = summary;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
