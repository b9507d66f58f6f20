/**
 * What the chat shows of a command and of a question to the user, and how an answer comes back.
 * Plain data shared by both bundles (the protocol embeds these in a tool call's view), with the
 * run-time readers the protocol's validation uses; nothing here imports the protocol.
 */

export const COMMAND_STATES = ['waiting', 'running', 'background', 'done', 'failed', 'stopped', 'refused'] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

/** The command card: the line, where it ran, its live output (the last part) and the result. */
export interface CommandView {
  readonly command: string;
  /** Workspace-relative folder ('.' for the root). */
  readonly cwd: string;
  readonly state: CommandState;
  /** The last part of the output, plain text. */
  readonly output: string;
  readonly via?: 'terminal' | 'process';
  readonly exitCode?: number;
  readonly durationMs?: number;
  /** A background command's handle for read_command_output / stop_command. */
  readonly handle?: string;
}

export const PROMPT_KINDS = ['approval', 'question'] as const;
export type PromptKind = (typeof PROMPT_KINDS)[number];

export interface PromptChoice {
  readonly id: string;
  readonly label: string;
  /** A primary button, or a quieter one. */
  readonly primary?: boolean;
}

/** A card that waits for the user: the command approval, or the model's question. */
export interface PromptView {
  readonly kind: PromptKind;
  readonly title: string;
  /** The question, or the command line. */
  readonly text: string;
  /** Lines under the text: the folder, the checker's reasons. */
  readonly details: readonly string[];
  readonly choices: readonly PromptChoice[];
  /** Shown when the card has a text box (a free answer, or a note to the model). */
  readonly placeholder?: string;
  /** The choice sent when the user presses Enter in the text box. */
  readonly textChoice?: string;
}

export interface PromptAnswer {
  readonly choice: string;
  readonly text?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isOptional = <T>(value: unknown, check: (item: unknown) => item is T): value is T | undefined =>
  value === undefined || check(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isIn = <T extends string>(list: readonly T[], value: unknown): value is T =>
  isString(value) && (list as readonly string[]).includes(value);
const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** `base` plus the optional fields that are set. */
function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const result = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) result[key] = value;
  return result as T;
}

export function readCommandView(value: unknown): CommandView | undefined {
  if (!isObject(value)) return undefined;
  const { command, cwd, state, output, via, exitCode, durationMs, handle } = value;
  if (!isString(command) || !isString(cwd) || !isIn(COMMAND_STATES, state) || !isString(output)) return undefined;
  if (!isOptional(via, (item): item is 'terminal' | 'process' => item === 'terminal' || item === 'process'))
    return undefined;
  if (!isOptional(exitCode, isInteger) || !isOptional(durationMs, isCount) || !isOptional(handle, isString))
    return undefined;
  return withOptional<CommandView>({ command, cwd, state, output }, { via, exitCode, durationMs, handle });
}

function readChoice(value: unknown): PromptChoice | undefined {
  if (!isObject(value) || !isString(value.id) || !isString(value.label)) return undefined;
  if (!isOptional(value.primary, (item): item is boolean => typeof item === 'boolean')) return undefined;
  return withOptional<PromptChoice>({ id: value.id, label: value.label }, { primary: value.primary });
}

export function readPromptView(value: unknown): PromptView | undefined {
  if (!isObject(value)) return undefined;
  const { kind, title, text, details, choices, placeholder, textChoice } = value;
  if (!isIn(PROMPT_KINDS, kind) || !isString(title) || !isString(text)) return undefined;
  if (!Array.isArray(details) || !details.every(isString) || !Array.isArray(choices)) return undefined;
  const read = choices.map(readChoice);
  if (read.some((choice) => choice === undefined)) return undefined;
  if (!isOptional(placeholder, isString) || !isOptional(textChoice, isString)) return undefined;
  return withOptional<PromptView>(
    { kind, title, text, details: [...details], choices: read as PromptChoice[] },
    { placeholder, textChoice },
  );
}

/** A webview's answer: a choice id and at most 20,000 characters of text. */
export function readPromptAnswer(value: Record<string, unknown>): { callId: string; answer: PromptAnswer } | undefined {
  const { callId, choice, text } = value;
  if (!isString(callId) || callId.length > 200 || !isString(choice) || choice.length > 200) return undefined;
  if (text !== undefined && (!isString(text) || text.length > 20_000)) return undefined;
  return { callId, answer: withOptional<PromptAnswer>({ choice }, { text }) };
}
