/**
 * What an MCP tool's result becomes for the model: text as is, embedded resources as text,
 * images kept as images for a model that takes them (else named), all within a token budget
 * counted with the model's tokenizer. `isError` results go back as errors.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';

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
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const part = describeBlock(block, options.vision, images);
    if (part !== undefined) parts.push(part);
  }
  if (parts.length === 0 && record.structuredContent !== undefined)
    parts.push(JSON.stringify(record.structuredContent, null, 2));
  const isError = record.isError === true;
  let text = parts.join('\n\n');
  if (text === '' && images.length === 0) text = isError ? 'The tool failed and said nothing.' : '(no content)';
  const fitted = fitTokens(text, options.counter, options.budget);
  return { text: fitted.text, images, isError, truncated: fitted.truncated };
}

function describeBlock(block: Record<string, unknown>, vision: boolean, images: McpImage[]): string | undefined {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : undefined;
    case 'image': {
      const mimeType = typeof block.mimeType === 'string' ? block.mimeType : 'image/png';
      const data = typeof block.data === 'string' ? block.data : '';
      if (vision && data) {
        images.push({ mimeType, data });
        return `[image ${images.length}: ${mimeType}]`;
      }
      return `[an image (${mimeType}, ${approximateBytes(data)}) that this model cannot see]`;
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

/** Keeps the head and the tail when `text` is over `budget` tokens, and says how much went. */
export function fitTokens(text: string, counter: TokenCounter, budget: number): { text: string; truncated: boolean } {
  const tokens = counter.count(text);
  if (tokens <= budget) return { text, truncated: false };
  let keep = Math.floor(text.length * (budget / Math.max(1, tokens)));
  for (;;) {
    const head = text.slice(0, Math.ceil(keep * 0.7));
    const tail = keep > head.length ? text.slice(text.length - (keep - head.length)) : '';
    const candidate = `${head}\n[… ${text.length - keep} characters of the result cut to fit ${budget} tokens …]\n${tail}`;
    if (counter.count(candidate) <= budget || keep === 0) return { text: candidate, truncated: true };
    keep = Math.floor(keep * 0.9);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
