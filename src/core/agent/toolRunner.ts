/**
 * Runs the tool calls of one model turn: reads right away, edits as proposals that
 * go to review together, interactive tools (commands, questions) in order, after the
 * edits proposed before them were reviewed. Every call gets a result for the model,
 * failures included, worded so the model can correct itself.
 */
import type { ToolCall, ToolSchema } from '../model/types';
import type { CommandView, PromptAnswer, PromptView } from './commands/runViews';
import type { EditBatch, EditService } from './editService';
import type { ReadOnlyTool, ToolContext, ToolOutcome } from './tool';
import type { WorkspaceAccess } from './workspace';
import { toolCallDetails } from './toolCallDetails';
import { checkArguments } from './argumentCheck';

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
  /** Images for the model that came with the result (`data:` URLs). */
  images?: readonly string[];
  /** A command's card: the line, live output, the result. */
  command?: CommandView;
  /** A question waiting for the user (the approval, ask_user); gone once answered. */
  prompt?: PromptView;
  /** What the user answered, for the card. */
  answer?: string;
}

/** What a tool that asks the user or shows progress gets besides the workspace. */
export interface InteractiveContext extends ToolContext {
  readonly callId: string;
  /** Shows `prompt` on the call's card and waits for the answer; rejects when the signal aborts (Stop). */
  ask(prompt: PromptView): Promise<PromptAnswer>;
  /** Updates the command card (live output, the result). */
  show(command: CommandView): void;
}

/** A tool that may ask the user before it acts and stream progress to its card (run_command, ask_user). */
export interface InteractiveTool {
  readonly schema: ToolSchema;
  readonly interactive: true;
  title(args: Record<string, unknown>): string;
  run(args: Record<string, unknown>, context: InteractiveContext): Promise<InteractiveOutcome>;
}

/** An interactive tool may say the user rejected it (the card shows that, not an error). */
export interface InteractiveOutcome extends ToolOutcome {
  readonly rejected?: boolean;
}

/** The view of a record the chat shows. */
export function toolCallView(record: ToolCallRecord) {
  const { id, name, title, status, summary, command, prompt, answer } = record;
  return { id, name, title, status, summary, command, prompt, answer, ...toolCallDetails(record) };
}

/** Thrown into a waiting `ask` when the request is stopped. */
export class StoppedError extends Error {
  constructor() {
    super('stopped by the user');
  }
}

/** Tools that come and go while QCoder runs (MCP servers): refreshed before each user message. */
export interface ToolSource {
  /** Brings the tools up to date (starts what must start); `reserved` are the built-in tool names. */
  refresh(reserved: ReadonlySet<string>, signal: AbortSignal): Promise<void>;
  readonly tools: readonly InteractiveTool[];
  /** What to tell the user when the model's server refused the request because of these tools' definitions. */
  explainRefusal?(message: string): string | undefined;
}

export class ToolRunner {
  private readonly readTools: Map<string, ReadOnlyTool>;
  private readonly interactive: Map<string, InteractiveTool>;
  /** Questions on cards waiting for the user, by tool call id. */
  private readonly waiting = new Map<string, (answer: PromptAnswer) => void>();

  constructor(
    tools: readonly ReadOnlyTool[],
    private readonly workspace: WorkspaceAccess,
    private readonly edits?: EditService,
    interactive: readonly InteractiveTool[] = [],
    private readonly sources: readonly ToolSource[] = [],
  ) {
    this.readTools = new Map(tools.map((tool) => [tool.schema.name, tool]));
    this.interactive = new Map(interactive.map((tool) => [tool.schema.name, tool]));
  }

  get schemas(): ToolSchema[] {
    return [
      ...[...this.readTools.values()].map((tool) => tool.schema),
      ...(this.edits?.schemas ?? []),
      ...[...this.interactive.values()].map((tool) => tool.schema),
      ...this.sources.flatMap((source) => source.tools.map((tool) => tool.schema)),
    ];
  }

  /** Refreshes the tool sources; a source that fails keeps its last tools (its own status says why). */
  async refresh(signal: AbortSignal): Promise<void> {
    if (this.sources.length === 0) return;
    const reserved = new Set([
      ...this.readTools.keys(),
      ...(this.edits?.schemas ?? []).map((schema) => schema.name),
      ...this.interactive.keys(),
    ]);
    await Promise.all(this.sources.map((source) => source.refresh(reserved, signal).catch(() => undefined)));
  }

  /** The sources' explanation of a refused request, if it was about their tools. */
  explainRefusal(message: string): string | undefined {
    return this.sources.map((source) => source.explainRefusal?.(message)).find((text) => text !== undefined);
  }

  private interactiveTool(name: string): InteractiveTool | undefined {
    return (
      this.interactive.get(name) ??
      this.sources.flatMap((source) => source.tools).find((tool) => tool.schema.name === name)
    );
  }

  /** The user answered the card of call `callId`; false when nothing waits there (answered already, stopped). */
  answer(callId: string, answer: PromptAnswer): boolean {
    const resolve = this.waiting.get(callId);
    if (!resolve) return false;
    this.waiting.delete(callId);
    resolve(answer);
    return true;
  }

  title(call: ToolCall): string {
    const read = this.readTools.get(call.name);
    if (read) return read.title(call.arguments);
    const interactive = this.interactiveTool(call.name);
    if (interactive) return interactive.title(call.arguments);
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
    let batch = this.edits?.begin();
    let proposed = new Map<string, ToolCallRecord>();
    for (const [index, given] of calls.entries()) {
      const record = records[index];
      if (signal.aborted) {
        finish(record, 'skipped', 'Not run: the user stopped the request.', 'stopped');
        update(record);
        continue;
      }
      update(record);
      const { call, problem } = this.checked(given);
      const invalid = given.parseError ?? problem;
      if (invalid) {
        finish(
          record,
          'error',
          `Error: ${invalid}`,
          given.parseError ? 'arguments were not valid JSON' : 'arguments do not fit the tool',
        );
      } else if (this.readTools.has(call.name)) {
        const outcome = await this.runRead(this.readTools.get(call.name)!, call, signal);
        finish(record, outcome.isError ? 'error' : 'done', outcome.content, outcome.summary);
        if (outcome.images?.length) record.images = outcome.images;
      } else if (this.interactiveTool(call.name)) {
        // A command after an edit in the same turn must see the edit: review what was proposed so far first.
        if (batch && proposed.size > 0) {
          await this.review(batch, proposed, signal, update);
          batch = this.edits?.begin();
          proposed = new Map();
        }
        const outcome = await this.runInteractive(this.interactiveTool(call.name)!, call, record, signal, update);
        record.prompt = undefined;
        finish(record, interactiveStatus(outcome), outcome.content, outcome.summary);
        if (outcome.images?.length) record.images = outcome.images;
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
    if (batch && proposed.size > 0) await this.review(batch, proposed, signal, update);
    return records;
  }

  /** The call with its arguments as its tool takes them, or why they do not fit the tool's schema. */
  private checked(call: ToolCall): { call: ToolCall; problem?: string } {
    // Edit tools check their own arguments (they take more spellings than their schema says).
    const tool = call.parseError ? undefined : (this.readTools.get(call.name) ?? this.interactiveTool(call.name));
    if (!tool) return { call };
    const checked = checkArguments(tool.schema, call.arguments);
    return checked.ok ? { call: { ...call, arguments: checked.args } } : { call, problem: checked.message };
  }

  private async review(
    batch: EditBatch,
    proposed: ReadonlyMap<string, ToolCallRecord>,
    signal: AbortSignal,
    update: (record: ToolCallRecord) => void,
  ): Promise<void> {
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

  private async runInteractive(
    tool: InteractiveTool,
    call: ToolCall,
    record: ToolCallRecord,
    signal: AbortSignal,
    update: (record: ToolCallRecord) => void,
  ): Promise<InteractiveOutcome> {
    const context: InteractiveContext = {
      workspace: this.workspace,
      signal,
      callId: call.id,
      ask: (prompt) => this.ask(record, prompt, signal, update),
      show: (command) => {
        record.command = command;
        update(record);
      },
    };
    try {
      return await tool.run(call.arguments, context);
    } catch (error) {
      if (error instanceof StoppedError || signal.aborted)
        return { content: 'Not run: the user stopped the request.', summary: 'stopped', isError: true };
      const message = error instanceof Error ? error.message : String(error);
      return { content: `Error: ${call.name} failed: ${message}`, summary: message, isError: true };
    } finally {
      this.waiting.delete(call.id);
    }
  }

  private ask(
    record: ToolCallRecord,
    prompt: PromptView,
    signal: AbortSignal,
    update: (record: ToolCallRecord) => void,
  ): Promise<PromptAnswer> {
    if (signal.aborted) return Promise.reject(new StoppedError());
    return new Promise<PromptAnswer>((resolve, reject) => {
      const stopped = () => {
        this.waiting.delete(record.id);
        record.prompt = undefined;
        update(record);
        reject(new StoppedError());
      };
      signal.addEventListener('abort', stopped, { once: true });
      this.waiting.set(record.id, (answer) => {
        signal.removeEventListener('abort', stopped);
        record.prompt = undefined;
        record.answer = answerText(prompt, answer);
        update(record);
        resolve(answer);
      });
      record.prompt = prompt;
      update(record);
    });
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

function interactiveStatus(outcome: InteractiveOutcome): ToolStatus {
  if (outcome.rejected) return 'rejected';
  return outcome.isError ? 'error' : 'done';
}

function answerText(prompt: PromptView, answer: PromptAnswer): string {
  const label = prompt.choices.find((choice) => choice.id === answer.choice)?.label ?? answer.choice;
  const text = answer.text?.trim();
  if (!text) return label;
  return answer.choice === prompt.textChoice ? text : `${label}: ${text}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
