/**
 * Slash commands over VS Code: the built-ins run editor commands (Explain This File,
 * Generate Tests, the Plan mode), start a new chat or compact this one; custom commands
 * come from the instructions service (so they follow the same trust and access rules).
 * Also the command that opens the user's own instruction file, creating it on first use.
 */
import * as vscode from 'vscode';
import type { ChatEngine, Connection } from '../core/chat/chatEngine';
import { summarise } from '../core/chat/chatEngine';
import type { SlashCommandView } from '../core/protocol';
import type { ChatSessions } from '../core/session/cursor';
import { newId } from '../core/session/session';
import { compactionTranscript, summaryMessage } from '../core/slash/compact';
import { runSlash, type SlashHost, type SlashOutcome, slashCommandList } from '../core/slash/dispatch';
import { DisposableStore } from '../core/util/lifecycle';
import type { InstructionsService } from './instructions';
import { isTrusted } from './trust';
import { promptCommands } from '../core/mcp/prompts';
import type { McpService } from './mcp/mcpService';

export const OPEN_USER_INSTRUCTIONS_COMMAND = 'qcoder.openUserInstructions';

export interface SlashDeps {
  readonly instructions: InstructionsService;
  readonly sessions: ChatSessions;
  /** MCP servers, whose prompts are offered as `/mcp.server.prompt`. */
  readonly mcp?: McpService;
  engine(): ChatEngine;
  connect(): Promise<Connection>;
  log(line: string): void;
}

/** What the chat engine's `slash` dependency needs. */
export function slashCommands(deps: SlashDeps): {
  run(text: string): Promise<SlashOutcome | undefined>;
  list(): Promise<SlashCommandView[]>;
} {
  const host = slashHost(deps);
  return {
    run: (text) =>
      runSlash(text, host).catch((error: unknown): SlashOutcome => {
        const reason = error instanceof Error ? error.message : String(error);
        deps.log(`slash: ${text.split(/\s/)[0]} failed: ${reason}`);
        return { kind: 'done', note: `${text.split(/\s/)[0]} did not run: ${reason}.` };
      }),
    list: async () =>
      slashCommandList((await host.customCommands()).commands).map(({ name, description, argumentHint }) => ({
        name,
        description,
        ...(argumentHint ? { argumentHint } : {}),
      })),
  };
}

function slashHost(deps: SlashDeps): SlashHost {
  return {
    get trusted() {
      return isTrusted();
    },
    newChat: () => deps.engine().newChat(),
    compact: () => compactNow(deps),
    runCommand: async (command) => {
      await runEditorCommand(command);
    },
    setMode: async (mode) => {
      await runEditorCommand('qcoder.setMode', mode);
    },
    customCommands: async () => {
      const own = await deps.instructions.commands();
      if (!deps.mcp) return own;
      await deps.mcp.load();
      return { ...own, commands: [...own.commands, ...(await promptCommands(deps.mcp.manager))] };
    },
  };
}

/** A command another feature registers; missing from this build, it says so instead of failing silently. */
async function runEditorCommand(command: string, ...args: unknown[]): Promise<void> {
  const known = await vscode.commands.getCommands(true);
  if (!known.includes(command)) throw new Error(`${command} is not available in this version of QCoder`);
  await vscode.commands.executeCommand(command, ...args);
}

const COMPACT_TIMEOUT_MS = 180_000;

async function compactNow(deps: SlashDeps): Promise<string> {
  const engine = deps.engine();
  if (engine.busy) return 'QCoder is still answering: /compact once the answer is done (or press Stop).';
  const old = deps.sessions.active;
  const transcript = compactionTranscript(old.messages);
  if (!transcript.some((message) => message.role === 'assistant'))
    return 'Nothing to compact yet: this chat has no answer to summarise.';
  const connection = await deps.connect();
  if (!connection.client) return `Not compacted: ${connection.problem ?? 'no model is configured'}.`;
  let summary: string;
  try {
    summary = await summarise(connection.client, transcript, AbortSignal.timeout(COMPACT_TIMEOUT_MS));
  } catch (error) {
    const reason = connection.redact?.(String(error)) ?? String(error);
    deps.log(`compact: the summary failed: ${reason}`);
    return `Not compacted: the model's summary failed (${reason}). The chat is unchanged.`;
  }
  const fresh = deps.sessions.startNew();
  fresh.title = `${old.title} (compacted)`;
  fresh.messages.push({
    id: newId('m'),
    role: 'user',
    content: summaryMessage(old.title, summary),
    status: 'complete',
    createdAt: Date.now(),
  });
  await deps.sessions.save();
  await engine.publishAll();
  return (
    `Compacted: ${transcript.length} messages of "${old.title}" became the summary above, and this new chat goes ` +
    `on from it. The full chat is still in the session list.`
  );
}

const USER_FILE_TEMPLATE = `# My instructions for QCoder

QCoder adds this file to the system prompt in every workspace (after the project's own
QWEN.md / AGENTS.md). Write what you want every answer to follow, for example:

- Answer briefly; show code before explanations.
`;

/** `QCoder: Open User Instructions`: the user-level QWEN.md in global storage, created from a template. */
export function registerUserInstructions(instructions: InstructionsService): vscode.Disposable {
  const store = new DisposableStore();
  store.add(
    vscode.commands.registerCommand(OPEN_USER_INSTRUCTIONS_COMMAND, async () => {
      const uri = instructions.userFile;
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(USER_FILE_TEMPLATE));
      }
      await vscode.window.showTextDocument(uri);
    }),
  );
  return store;
}
