/**
 * Markdown for model output: no raw HTML, no remote images (a model answer with
 * `![](https://host/?d=…)` must make no request), code highlighted by highlight.js.
 */
import hljs from 'highlight.js/lib/common';
import MarkdownIt from 'markdown-it';
import { languageOf } from '../core/protocol';
import { fenceHtml } from './codeBlocks';
import { linkLineReferences } from './lineRefs';

const md: MarkdownIt = new MarkdownIt({ html: false, linkify: true, breaks: false });

function highlight(code: string, info: string): string {
  const lang = languageOf(info);
  const language = lang && hljs.getLanguage(lang) ? lang : undefined;
  try {
    if (language) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    // An unexpected highlighter failure shows the code plain.
  }
  return md.utils.escapeHtml(code);
}

// Fenced (and indented) code gets the code-block bar: language, Copy, Insert, Apply, Open, Run.
md.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index];
  return fenceHtml(token.content, token.info, highlight(token.content, token.info), md.utils.escapeHtml);
};

linkLineReferences(md);

const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp);/i;

// Images: only inline data images render; anything else becomes its alt text and a link-free note.
md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const src = token.attrGet('src') ?? '';
  const alt = md.utils.escapeHtml(token.content || 'image');
  if (SAFE_IMAGE.test(src)) return `<img src="${md.utils.escapeHtml(src)}" alt="${alt}">`;
  return `<span class="blocked-image" title="Remote images are not loaded">[image: ${alt}]</span>`;
};

// No link in an answer navigates by itself: the target moves to `data-href` and a click asks the host
// (`openLink`), which opens http(s) only after a confirmation showing the URL, workspace files in the
// editor, and nothing else. A real `href` would let the webview open it without asking.
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
md.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index];
  const href = token.attrGet('href') ?? '';
  token.attrSet('href', '#');
  token.attrSet('title', href);
  // Other schemes (command:, vscode:, file:…) are not even offered to the host; it would refuse them too.
  if (/^https?:/i.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href)) token.attrSet('data-href', href);
  token.attrSet('class', 'answer-link');
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}
