/**
 * The input's extras: Up/Down recall earlier prompts (from the first or last line), files
 * dropped on it become `@file:` mentions (VS Code hands a drop to a webview only while Shift is
 * held), and pasted images ride along with the message when the model takes images.
 */
import type { ChatMessageView, WebviewMessage } from '../core/protocol';
import { isImageUrl, MAX_IMAGE_LENGTH, MAX_IMAGES } from '../core/protocol';
import { onFirstLine, onLastLine, PromptHistory } from './promptHistory';

/** The drag formats VS Code uses for files from the explorer and editor tabs, and the standard one. */
const URI_FORMATS = ['application/vnd.code.uri-list', 'text/uri-list', 'resourceurls', 'codefiles'];

/** The URIs a drop carries: one per line of a uri-list, or a JSON list (VS Code's own formats). */
export function droppedUris(data: (format: string) => string): string[] {
  for (const format of URI_FORMATS) {
    const text = data(format).trim();
    if (!text) continue;
    if (text.startsWith('[')) {
      try {
        const list = JSON.parse(text) as unknown;
        if (Array.isArray(list)) return list.filter((item): item is string => typeof item === 'string');
      } catch {
        continue;
      }
    }
    return text.split(/\r?\n/).filter((line) => line && !line.startsWith('#'));
  }
  return [];
}

export class InputBox {
  private readonly history = new PromptHistory();
  private readonly images: string[] = [];
  private acceptsImages = false;
  private model = 'This model';
  private readonly tray: HTMLElement;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    this.tray = document.createElement('div');
    this.tray.id = 'attachments';
    this.tray.setAttribute('aria-live', 'polite');
    input.before(this.tray);
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('input', () => this.history.edited());
    input.addEventListener('paste', (event) => this.onPaste(event));
    input.addEventListener('dragover', (event) => {
      event.preventDefault();
      input.classList.add('drop-target');
    });
    input.addEventListener('dragleave', () => input.classList.remove('drop-target'));
    input.addEventListener('drop', (event) => this.onDrop(event));
  }

  /** The session's prompts (on a session switch). */
  showSession(messages: readonly ChatMessageView[]): void {
    this.history.reset(messages.filter((message) => message.role === 'user').map((message) => message.content));
  }

  setModel(model: string, acceptsImages: boolean): void {
    this.model = model;
    this.acceptsImages = acceptsImages;
  }

  /** A message goes out: it joins the history, and the pasted images go with it. */
  sent(text: string): { images?: string[] } {
    this.history.add(text);
    const images = this.images.splice(0);
    this.renderTray();
    return images.length > 0 ? { images } : {};
  }

  /** The host's mentions for dropped files, at the caret. */
  insert(text: string): void {
    const at = this.input.selectionStart;
    const before = this.input.value.slice(0, at);
    const spaced = before && !/\s$/.test(before) ? ` ${text}` : text;
    this.input.setRangeText(spaced, at, this.input.selectionEnd, 'end');
    this.input.focus();
    this.input.dispatchEvent(new Event('input'));
  }

  private onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    const { value, selectionStart, selectionEnd } = this.input;
    let recalled: string | undefined;
    if (event.key === 'ArrowUp' && onFirstLine(value, selectionStart, selectionEnd))
      recalled = this.history.previous(value);
    else if (event.key === 'ArrowDown' && onLastLine(value, selectionStart, selectionEnd))
      recalled = this.history.next();
    if (recalled === undefined) return;
    event.preventDefault();
    this.input.value = recalled;
    const caret = event.key === 'ArrowUp' ? 0 : recalled.length;
    this.input.setSelectionRange(caret, caret);
  }

  private onDrop(event: DragEvent): void {
    this.input.classList.remove('drop-target');
    const data = event.dataTransfer;
    if (!data) return;
    const uris = droppedUris((format) => data.getData(format));
    if (uris.length === 0) return;
    event.preventDefault();
    this.post({ type: 'dropFiles', uris });
  }

  private onPaste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.items ?? [])
      .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    if (files.length === 0) return;
    event.preventDefault();
    if (!this.acceptsImages) {
      this.say(`${this.model} does not take images. Pick a vision model, or set qcoder.model.vision to "on".`);
      return;
    }
    for (const file of files) void this.attach(file);
  }

  private async attach(file: File): Promise<void> {
    if (this.images.length >= MAX_IMAGES) return this.say(`At most ${MAX_IMAGES} images go with one message.`);
    if (file.size * 1.34 > MAX_IMAGE_LENGTH) return this.say('The image is too large to send (about 6 MB at most).');
    const url = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
      reader.onerror = () => resolve('');
      reader.readAsDataURL(file);
    });
    if (!isImageUrl(url)) return this.say('That image could not be read (PNG, JPEG, GIF or WebP are taken).');
    this.images.push(url);
    this.renderTray();
  }

  private say(text: string): void {
    this.renderTray();
    const note = document.createElement('p');
    note.className = 'attachment-note';
    note.setAttribute('role', 'status');
    note.textContent = text;
    this.tray.append(note);
  }

  private renderTray(): void {
    this.tray.replaceChildren(
      ...this.images.map((url, index) => {
        const item = document.createElement('span');
        item.className = 'attachment';
        const image = document.createElement('img');
        image.src = url;
        image.alt = `Pasted image ${index + 1}`;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'attachment-remove secondary';
        remove.textContent = '×';
        remove.title = `Remove image ${index + 1}`;
        remove.setAttribute('aria-label', `Remove image ${index + 1}`);
        remove.addEventListener('click', () => {
          this.images.splice(index, 1);
          this.renderTray();
          this.input.focus();
        });
        item.append(image, remove);
        return item;
      }),
    );
  }
}
