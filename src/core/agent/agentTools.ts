/**
 * The agent tools of this module as one list and their lines of the system prompt, so the
 * extension and the CLI (`qcoder context --messages`) offer the model exactly the same thing.
 */
import type { CodeIntel } from './codeIntel';
import { type AgentMode, modeInstructions } from './modes';
import { CODE_TOOLS_PROMPT, codeTools } from './symbolTools';
import type { ReadOnlyTool } from './tool';
import { type TodoBoard, todoWriteTool } from './todo';

/** get_problems, find_symbol, go_to_definition, find_references and todo_write. */
export function agentTools(intel: CodeIntel, board: TodoBoard): ReadOnlyTool[] {
  return [...codeTools(intel), todoWriteTool(board)];
}

/** The system prompt with these tools' guidance and what the mode adds. */
export function withAgentPrompt(base: string, mode: AgentMode): string {
  return `${base}\n${CODE_TOOLS_PROMPT}${modeInstructions(mode)}`;
}

const WITHOUT_EDITOR = 'there is no editor here to ask (language servers run inside VS Code)';

/** For a host without language servers (the command line): every question is answered with why not. */
export const NO_CODE_INTEL: CodeIntel = {
  problems: async () => ({ ok: false, reason: WITHOUT_EDITOR }),
  symbols: async () => ({ ok: false, reason: WITHOUT_EDITOR }),
  definitions: async () => ({ ok: false, reason: WITHOUT_EDITOR }),
  references: async () => ({ ok: false, reason: WITHOUT_EDITOR }),
  displayPath: async () => undefined,
};

/** A checklist nobody shows (the command line). */
export const UNSHOWN_TODOS: TodoBoard = { set: () => undefined };
