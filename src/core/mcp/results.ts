/**
 * What an MCP tool's result becomes for the model: text as is, embedded resources as text,
 * images kept as images for a model that takes them (else named), all within a token budget
 * counted with the model's tokenizer. `isError` results go back as errors.
 */
import { headAndTail } from '../agent/commands/output';
import type { TokenCounter } from '../context/tokens/tokenCounter';

/**
 * What one image costs against the result's budget. Servers do not say what an image costs
 * before it is sent; Qwen-VL takes one token per 28×28 pixels (a 1024×768 screenshot ≈ 1,000),
 * OpenAI's high detail at most 765 + 170 per tile. One fixed, generous price keeps the sum honest.
 */
export const IMAGE_TOKENS = 1_000;
/** Lines longer than this are broken before trimming, so a one-line JSON answer keeps its tail too. */
const LONG_LINE = 2_000;

export interface McpImage {
  readonly mimeType: string;
  /** Base64, as the server sent it. */
  readonly data: string;
}

export interface McpResultForModel {
  readonly text: string;
  readonly images: readonly McpImage[];
  readonly isError: boolean;
  /** True when the text was cut to fit the budget. */
  readonly truncated: boolean;
}

export interface ResultOptions {
  readonly counter: TokenCounter;
  readonly budget: number;
  /** The model takes image parts; otherwise an image is described by its type and size. */
  readonly vision: boolean;
}

/** Turns a `tools/call` result (already parsed JSON) into the model's tool message. */
export function resultForModel(result: unknown, options: ResultOptions): McpResultForModel {
  const record = isObject(result) ? result : {};
  const blocks = Array.isArray(record.content) ? record.content : [];
  const parts: string[] = [];
  const images: McpImage[] = [];
  // Images take at most half the budget; the text gets what they leave.
  const room = { vision: options.vision, images: Math.floor(options.budget / 2 / IMAGE_TOKENS) };
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const part = describeBlock(block, room, images);
    if (part !== undefined) parts.push(part);
  }
  if (parts.length === 0 && record.structuredContent !== undefined)
    parts.push(JSON.stringify(record.structuredContent, null, 2));
  const isError = record.isError === true;
  let text = parts.join('\n\n');
  if (text === '' && images.length === 0) text = isError ? 'The tool failed and said nothing.' : '(no content)';
  const fitted = fitTokens(text, options.counter, options.budget - images.length * IMAGE_TOKENS);
  return { text: fitted.text, images, isError, truncated: fitted.truncated };
}

function describeBlock(
  block: Record<string, unknown>,
  room: { vision: boolean; images: number },
  images: McpImage[],
): string | undefined {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : undefined;
    case 'image': {
      const mimeType = typeof block.mimeType === 'string' ? block.mimeType : 'image/png';
      const data = typeof block.data === 'string' ? block.data : '';
      if (room.vision && data && images.length < room.images) {
        images.push({ mimeType, data });
        return `[image ${images.length}: ${mimeType}, attached below]`;
      }
      return `[image: ${mimeType}, ${approximateBytes(data)}, not shown: ${whyNotShown(data, room.vision)}]`;
    }
    case 'audio':
      return `[audio (${typeof block.mimeType === 'string' ? block.mimeType : 'unknown type'}) not shown]`;
    case 'resource':
      return describeResource(isObject(block.resource) ? block.resource : {});
    case 'resource_link':
      return `[resource ${String(block.name ?? '')}: ${String(block.uri ?? '')}]`;
    default:
      return undefined;
  }
}

function whyNotShown(data: string, vision: boolean): string {
  if (!vision) return 'the model does not take images';
  return data ? 'over the token budget for images' : 'the server sent no image data';
}

function describeResource(resource: Record<string, unknown>): string {
  const uri = typeof resource.uri === 'string' ? resource.uri : 'resource';
  if (typeof resource.text === 'string') return `<resource uri="${uri}">\n${resource.text}\n</resource>`;
  const type = typeof resource.mimeType === 'string' ? resource.mimeType : 'binary';
  const blob = typeof resource.blob === 'string' ? resource.blob : '';
  return `[resource ${uri}: ${type}, ${approximateBytes(blob)}, not shown]`;
}

function approximateBytes(base64: string): string {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = Math.floor((base64.length * 3) / 4) - padding;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/** `text` whole when it fits `budget` tokens, else its head and tail (the trimmer command output uses). */
export function fitTokens(text: string, counter: TokenCounter, budget: number): { text: string; truncated: boolean } {
  if (counter.count(text) <= budget) return { text, truncated: false };
  const lines = text.split('\n').flatMap((line) => (line.length > LONG_LINE ? pieces(line, LONG_LINE) : [line]));
  return { text: headAndTail(lines.join('\n'), budget, counter), truncated: true };
}

function pieces(line: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start < line.length; start += size) out.push(line.slice(start, start + size));
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
