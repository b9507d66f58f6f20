/**
 * Images a tool produced (a page preview's screenshot), kept in memory for the model's next
 * requests. A tool message cannot carry an image in the OpenAI API, so the images of a turn's
 * calls follow the tool messages as one user message of `image_url` parts. Only the latest few
 * are kept: an old screenshot is stale and costs tokens; nothing is written to the session file.
 */
import type { ChatMessage, ContentPart } from '../model/types';

const KEEP = 2;

export class ToolImages {
  private readonly byCall = new Map<string, { readonly label: string; readonly urls: readonly string[] }>();

  /** `urls` are `data:` URLs; `label` says what they show ("screenshot of hexagon.html"). */
  attach(callId: string, label: string, urls: readonly string[]): void {
    this.byCall.delete(callId);
    this.byCall.set(callId, { label, urls });
    while (this.byCall.size > KEEP) this.byCall.delete(this.byCall.keys().next().value as string);
  }

  /** The user message that shows the images of `callIds` to the model, or undefined when they made none. */
  followUp(callIds: readonly string[]): ChatMessage | undefined {
    const parts: ContentPart[] = [];
    for (const id of callIds) {
      const entry = this.byCall.get(id);
      if (!entry) continue;
      parts.push({ type: 'text', text: `Tool call ${id}: ${entry.label}` });
      for (const url of entry.urls) parts.push({ type: 'image_url', image_url: { url } });
    }
    return parts.length === 0 ? undefined : { role: 'user', content: parts };
  }
}
