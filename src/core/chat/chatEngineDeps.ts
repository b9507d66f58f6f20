/**
 * What the chat engine needs from the host that runs it: the sessions it shows, the view it
 * posts to, the model connection, the agent's tools and mode, and the few actions only the
 * editor can take. The extension wires these up; the unit tests pass in-memory fakes.
 */
import type { LoopLimits } from '../agent/loopGuard';
import type { AgentMode } from '../agent/modes';
import type { ToolRunner } from '../agent/toolRunner';
import type { ModelClient } from '../model/client';
import type { ConnectionView, HostMessage, SlashCommandView } from '../protocol';
import type { SystemPromptSource } from '../instructions/prompt';
import type { SlashOutcome } from '../slash/dispatch';
import type { ChatSessions } from '../session/cursor';
import type { ContextProvider } from './contextProvider';

export interface Connection {
  readonly view: ConnectionView;
  /** Undefined when the connection is not ready (e.g. no key); `problem` says why. */
  readonly client?: ModelClient;
  readonly problem?: string;
  /** Removes secrets (the API key) from text that is about to be shown or logged. */
  readonly redact?: (text: string) => string;
}

export interface ChatEngineDeps {
  /** The session this engine shows: the repository's active one (the sidebar) or a tab's own (`SessionCursor`). */
  readonly sessions: ChatSessions;
  /** The agent's tools; without them the chat only talks. */
  readonly tools?: ToolRunner;
  /** Chooses what goes into each request's window; without it the whole conversation is sent. */
  readonly context?: ContextProvider;
  /** Model calls per user message before the agent stops and asks the user (default 25). */
  readonly maxSteps?: number;
  /** The task limits, read when a message starts (overrides `maxSteps`); see `loopGuard.ts`. */
  readonly limits?: () => LoopLimits;
  /** Whether a tool is offered to the model now (the agent mode decides); without it, every tool. */
  readonly offers?: (toolName: string) => boolean;
  /** Sets the agent mode (the selector and the Act button under a plan). */
  readonly setMode?: (mode: AgentMode) => Promise<unknown>;
  connect(): Promise<Connection>;
  post(message: HostMessage): void;
  /** The system prompt for `model`, with the instruction files it carries (for the ledger). */
  systemPrompt(model: string): SystemPromptSource | Promise<SystemPromptSource>;
  /** Slash commands: a message starting with `/name` goes here first (undefined: not a command, send it). */
  readonly slash?: {
    run(text: string): Promise<SlashOutcome | undefined>;
    list(): Promise<SlashCommandView[]>;
  };
  /** Host actions the core cannot do itself. */
  runCommand(command: 'setApiKey' | 'openSettings' | 'manageTrust' | 'loadInstructions'): void;
  log(line: string): void;
}
