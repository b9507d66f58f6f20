/**
 * Images that tools returned (an MCP screenshot, a chart), for a model that takes images. The
 * OpenAI chat API lets only user messages carry `image_url` parts — a tool message is text — so
 * the images of one turn's tool calls follow their tool messages as one user message, each
 * image after a line naming the call it came from.
 */
import type { ToolCallRecord } from '../agent/toolRunner';
import type { ChatMessage, ContentPart } from '../model/types';

/** Only image data URLs pass: a session file is read back from disk and could hold anything. */
const IMAGE_URL = /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+$/;

const LEAD = 'Images returned by the tool call ';

/** Whether `message` is the images of tool calls (part of the tool loop, not the user's turn). */
export function isToolImages(message: ChatMessage | undefined): boolean {
  if (message?.role !== 'user' || typeof message.content === 'string') return false;
  const first = message.content[0];
  return first?.type === 'text' && first.text.startsWith(LEAD);
}

/** The user message with the images of `calls`, or none when they returned no images. */
export function toolImages(calls: readonly ToolCallRecord[]): ChatMessage[] {
  const parts: ContentPart[] = [];
  for (const call of calls) {
    const images = Array.isArray(call.images) ? call.images.filter((url) => IMAGE_URL.test(String(url))) : [];
    if (images.length === 0) continue;
    parts.push({ type: 'text', text: `${LEAD}${call.id} (${call.name}):` });
    for (const url of images) parts.push({ type: 'image_url', image_url: { url } });
  }
  return parts.length > 0 ? [{ role: 'user', content: parts }] : [];
}
