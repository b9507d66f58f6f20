/** The system prompt with the instruction files it carries, so the ledger can show each with its tokens. */
import type { InstructionItem } from './assemble';

export interface SystemPromptParts {
  readonly text: string;
  /** The instruction files in (or kept out of) `text`, tokens counted with the model's tokenizer. */
  readonly instructions: readonly InstructionItem[];
}

export type SystemPromptSource = string | SystemPromptParts;

export function promptParts(source: SystemPromptSource): SystemPromptParts {
  return typeof source === 'string' ? { text: source, instructions: [] } : source;
}
