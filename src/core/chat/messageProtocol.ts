/**
 * The chat's message and code-block actions in the webview ↔ host protocol (edit and resend,
 * regenerate, branches, code-block buttons, pasted images): their types and run-time checks,
 * kept here so `protocol.ts` only names them.
 */

/** What a code block's buttons ask the host to do (Copy is done by the host too: the webview has no clipboard). */
export const CODE_ACTIONS = ['copy', 'insert', 'apply', 'open', 'run'] as const;
export type CodeAction = (typeof CODE_ACTIONS)[number];

/** Where a message stands among the branches of its fork: "< index+1/count >". */
export interface BranchView {
  readonly index: number;
  readonly count: number;
}

/** What the hover on a message tells, and what the bubble shows besides its text. */
export interface MessageExtrasView {
  readonly branch?: BranchView;
  readonly createdAt?: number;
  readonly doneAt?: number;
  /** Completion tokens, when the server reported them. */
  readonly tokens?: number;
  /** Pasted images (`data:` URLs). */
  readonly images?: readonly string[];
  /** A line from QCoder itself (no Regenerate, no Edit). */
  readonly note?: boolean;
}

export type MessageActionMessage =
  /** Resend a user message with new text: the conversation forks there. */
  | { type: 'editMessage'; messageId: string; text: string }
  /** Answer again from the user message before `messageId` (an assistant message); the old answer stays a branch. */
  | { type: 'regenerate'; messageId: string }
  /** Show branch `index` of the fork starting at `messageId`. */
  | { type: 'switchBranch'; messageId: string; index: number }
  /** A code block's button; `before` is the answer's text before the block (it may name the file). */
  | {
      type: 'codeAction';
      action: CodeAction;
      messageId: string;
      code: string;
      language: string;
      before: string;
    }
  /** Files dropped on the input (with Shift held: VS Code hands drops to a webview only then), as URIs. */
  | { type: 'dropFiles'; uris: string[] };

/** Host → webview: text to put into the input at the caret (the dropped files as `@file:` mentions). */
export type InputHostMessage = { type: 'insertText'; text: string };

/** Languages whose blocks get a Run button (the command checker reads POSIX shell). */
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'zsh', 'console', 'shellsession', 'shell-session']);

/** The language of a fence's info string (its first word, unless that is a path), lower case. */
export function languageOf(info: string): string {
  const word = info.trim().split(/[\s:{]/, 1)[0] ?? '';
  return /[./]/.test(word) ? '' : word.toLowerCase();
}

export function isShellBlock(info: string): boolean {
  return SHELL_LANGUAGES.has(languageOf(info));
}

export const MAX_IMAGES = 4;
/** ~6 MB of base64: a large screenshot; servers refuse far larger bodies. */
export const MAX_IMAGE_LENGTH = 8_000_000;
export const IMAGE_URL = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function isImageUrl(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_IMAGE_LENGTH && IMAGE_URL.test(value);
}

/** The images of a `send`: undefined when there are none, false when they are malformed. */
export function readImages(value: unknown): string[] | undefined | false {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_IMAGES || !value.every(isImageUrl)) return false;
  return value.length > 0 ? [...value] : undefined;
}

function isCodeAction(value: unknown): value is CodeAction {
  return typeof value === 'string' && (CODE_ACTIONS as readonly string[]).includes(value);
}

/** Reads one of the messages above from the webview, or undefined when it is none of them or malformed. */
export function parseMessageAction(value: Record<string, unknown>): MessageActionMessage | undefined {
  switch (value.type) {
    case 'editMessage':
      return isId(value.messageId) && isText(value.text, 1_000_000) && value.text.trim()
        ? { type: 'editMessage', messageId: value.messageId, text: value.text }
        : undefined;
    case 'regenerate':
      return isId(value.messageId) ? { type: 'regenerate', messageId: value.messageId } : undefined;
    case 'switchBranch':
      return isId(value.messageId) && isCount(value.index)
        ? { type: 'switchBranch', messageId: value.messageId, index: value.index }
        : undefined;
    case 'codeAction': {
      const { action, messageId, code, language, before } = value;
      if (!isCodeAction(action) || !isId(messageId) || !isText(code, 2_000_000)) return undefined;
      if (!isText(language, 100) || !isText(before, 4000)) return undefined;
      return { type: 'codeAction', action, messageId, code, language, before };
    }
    case 'dropFiles':
      return Array.isArray(value.uris) && value.uris.length <= 100 && value.uris.every((uri) => isText(uri, 4096))
        ? { type: 'dropFiles', uris: [...(value.uris as string[])] }
        : undefined;
    default:
      return undefined;
  }
}

export function parseInputHostMessage(value: Record<string, unknown>): InputHostMessage | undefined {
  return value.type === 'insertText' && isText(value.text, 100_000)
    ? { type: 'insertText', text: value.text }
    : undefined;
}

/** The optional fields of `MessageExtrasView` that are set and well formed. */
export function readMessageExtras(value: Record<string, unknown>): MessageExtrasView {
  const extras: { -readonly [K in keyof MessageExtrasView]: MessageExtrasView[K] } = {};
  const { branch, createdAt, doneAt, tokens, images, note } = value;
  if (isObject(branch) && isCount(branch.index) && isCount(branch.count) && branch.index < branch.count)
    extras.branch = { index: branch.index, count: branch.count };
  if (isTime(createdAt)) extras.createdAt = createdAt;
  if (isTime(doneAt)) extras.doneAt = doneAt;
  if (isCount(tokens)) extras.tokens = tokens;
  if (Array.isArray(images) && images.every(isImageUrl)) extras.images = [...images];
  if (note === true) extras.note = true;
  return extras;
}
