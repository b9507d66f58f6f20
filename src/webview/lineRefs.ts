/**
 * Bare code references in an answer (`src/app.ts:12`, `src/app.ts:12-30`, `src/app.ts#L12-L30`)
 * become links the host opens at that range. Only text that looks like a relative path with a
 * file extension and a line qualifies: no scheme, no leading `/`, no `..`; `example.com:8080`
 * and `127.0.0.1:80` stay text.
 */
import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';

// A path: segments of word characters, dots, dashes and @, the last with an extension that starts with a letter.
const PATH = String.raw`(?:[\w@-][\w.@-]*\/)*[\w@-][\w.@-]*\.[A-Za-z][A-Za-z0-9]{0,9}`;
const LINES = String.raw`(?::L?(\d+)(?:-L?(\d+))?|#L(\d+)(?:-L(\d+))?)`;
const REFERENCE = new RegExp(String.raw`(?<![\w/.@:\\-])(${PATH})${LINES}(?![\w/])`, 'g');
const WEB_NAMES = /^[^/]*\.(com|org|net|io|dev|edu|gov)$/i;

export interface LineReference {
  readonly index: number;
  readonly length: number;
  /** What the host receives: `path#L12` or `path#L12-L30`. */
  readonly href: string;
}

export function lineReferences(text: string): LineReference[] {
  const found: LineReference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const path = match[1];
    const start = match[2] ?? match[4];
    const end = match[3] ?? match[5];
    if (path.split('/').includes('..') || WEB_NAMES.test(path)) continue;
    const range = end && end !== start ? `#L${Number(start)}-L${Number(end)}` : `#L${Number(start)}`;
    found.push({ index: match.index, length: match[0].length, href: `${path}${range}` });
  }
  return found;
}

/** A markdown-it core rule: plain text and inline code that are line references become links. */
export function linkLineReferences(md: MarkdownIt): void {
  md.core.ruler.push('line_references', (state) => {
    for (const block of state.tokens) {
      if (block.type === 'inline' && block.children) block.children = linkChildren(state, block.children);
    }
  });
}

function linkChildren(state: StateCore, children: Token[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (const token of children) {
    if (token.type === 'link_open') depth++;
    if (token.type === 'link_close') depth--;
    if (depth > 0 || (token.type !== 'text' && token.type !== 'code_inline')) {
      out.push(token);
      continue;
    }
    const references = lineReferences(token.content);
    if (token.type === 'code_inline') {
      // Inline code links only when it is one reference and nothing else.
      const whole = references.length === 1 && references[0].length === token.content.trim().length;
      out.push(...(whole ? wrap(state, references[0].href, [token]) : [token]));
      continue;
    }
    let at = 0;
    for (const reference of references) {
      if (reference.index > at) out.push(text(state, token.content.slice(at, reference.index)));
      const label = token.content.slice(reference.index, reference.index + reference.length);
      out.push(...wrap(state, reference.href, [text(state, label)]));
      at = reference.index + reference.length;
    }
    if (at === 0) out.push(token);
    else if (at < token.content.length) out.push(text(state, token.content.slice(at)));
  }
  return out;
}

function text(state: StateCore, content: string): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  return token;
}

function wrap(state: StateCore, href: string, inner: Token[]): Token[] {
  const open = new state.Token('link_open', 'a', 1);
  open.attrs = [['href', href]];
  return [open, ...inner, new state.Token('link_close', 'a', -1)];
}
