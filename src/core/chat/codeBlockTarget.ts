/**
 * Which file a code block in an answer belongs to, and where in that file it goes. A block
 * names its file in the fence info (```ts src/a.ts, ```ts:src/a.ts, ```ts title="src/a.ts"),
 * in a first-line comment (// src/a.ts, # file: app.py), or in the sentence before it
 * ("In `src/a.ts`:"). A fragment (one function of a file) replaces the part of the file it
 * rewrites: the lines from its first line to the end of that line's indented block.
 */

const PATH = String.raw`(?:\.{0,2}\/)?(?:[\w@.-]+\/)*[\w@-][\w.@-]*\.[A-Za-z][A-Za-z0-9]{0,9}`;
const WHOLE_PATH = new RegExp(`^${PATH}$`);
const INFO_PATH = new RegExp(String.raw`(?:^|[\s:=])["']?(${PATH})["']?(?:\s|$)`);
const COMMENT_PATH = new RegExp(
  String.raw`^\s*(?:\/\/|#|--|;|\/\*|<!--)\s*(?:file(?:name|path)?:\s*)?(${PATH})\s*(?:\*\/|-->)?\s*$`,
  'i',
);
const TEXT_PATH = new RegExp(String.raw`(?<![\w/.@-])(${PATH})(?![\w/])`, 'g');
const WEB_NAMES = /^[^/]*\.(com|org|net|io|dev|edu|gov)$/i;

/** A path a block names, or undefined. `..` and absolute paths are not offered (the workspace decides anyway). */
export function namedPath(info: string, code: string, before: string): string | undefined {
  const candidates = [
    INFO_PATH.exec(info.trim())?.[1],
    COMMENT_PATH.exec(code.split('\n', 1)[0] ?? '')?.[1],
    lastPathIn(lastParagraph(before)),
  ];
  return candidates.find((path): path is string => path !== undefined && acceptable(path));
}

/** The block without a first-line comment that only names its file (it is a label, not code). */
export function blockBody(code: string): string {
  const [first, ...rest] = code.split('\n');
  const path = COMMENT_PATH.exec(first ?? '')?.[1];
  return path && acceptable(path) ? rest.join('\n') : code;
}

function acceptable(path: string): boolean {
  return WHOLE_PATH.test(path) && !path.split('/').includes('..') && !WEB_NAMES.test(path);
}

function lastParagraph(text: string): string {
  const paragraphs = text.trimEnd().split(/\n\s*\n/);
  return paragraphs.at(-1) ?? '';
}

function lastPathIn(text: string): string | undefined {
  const found = [...text.matchAll(TEXT_PATH)].map((match) => match[1]).filter(acceptable);
  return found.at(-1)?.replace(/^\.\//, '');
}

export type Placement =
  | { readonly kind: 'region'; readonly text: string; readonly startLine: number; readonly endLine: number }
  | { readonly kind: 'whole'; readonly text: string };

const indentOf = (line: string) => line.length - line.trimStart().length;
const CLOSER = /^(?:[}\])]|end\b|fi\b|done\b|esac\b|<\/)/;

/**
 * The file's text with `code` in place: a fragment replaces the block of the file that starts with
 * its first line (found once, by its trimmed text); a block that is the whole file (or most of it)
 * replaces the file. Undefined when the fragment's place cannot be told.
 */
export function placeBlock(fileText: string, code: string): Placement | undefined {
  const body = code.replace(/\n$/, '');
  const wanted = body.split('\n');
  const lines = fileText.split('\n');
  const first = wanted.findIndex((line) => line.trim() !== '');
  if (first < 0) return undefined;
  const starts = startsOf(lines, wanted[first]);
  if (starts.length === 1 && isOneBlock(wanted.slice(first))) {
    const start = starts[0];
    const end = blockEnd(lines, start);
    // A fragment that is the file's first block and runs past it is the whole file rewritten.
    if (!(start === 0 && end === lines.length - 1)) {
      const indent = lines[start].slice(0, indentOf(lines[start]));
      const placed = reindent(wanted.slice(first), indentOf(wanted[first]), indent);
      const text = [...lines.slice(0, start), ...placed, ...lines.slice(end + 1)].join('\n');
      return { kind: 'region', text, startLine: start + 1, endLine: end + 1 };
    }
  }
  const fileLines = lines.filter((line) => line.trim() !== '').length;
  const codeLines = wanted.filter((line) => line.trim() !== '').length;
  const sameStart = starts.length === 1 && starts[0] === firstContentLine(lines);
  if (fileLines === 0 || sameStart || codeLines * 2 >= fileLines)
    return { kind: 'whole', text: fileText.endsWith('\n') && !body.endsWith('\n') ? `${body}\n` : body };
  return undefined;
}

/**
 * Where the fragment's first line is in the file: the same line, else (a changed signature) the line
 * that declares the same name, `export function total` of `export function total(a, b) {`.
 */
function startsOf(lines: readonly string[], first: string): number[] {
  const same = lines.flatMap((line, index) => (line.trim() === first.trim() ? [index] : []));
  if (same.length > 0) return same;
  const key = declaration(first);
  if (!key) return [];
  return lines.flatMap((line, index) => (declaration(line) === key ? [index] : []));
}

/** A line's text before its parameters, value or body, when that names something (two words or more). */
function declaration(line: string): string | undefined {
  const head = /^[^(={:<]*/.exec(line.trim())?.[0].trim() ?? '';
  return /\S+\s+[\w$]/.test(head) && head.length >= 6 ? head : undefined;
}

function firstContentLine(lines: readonly string[]): number {
  return lines.findIndex((line) => line.trim() !== '');
}

/** True when every line after the first is indented deeper, blank, or closes the block at the first's depth. */
function isOneBlock(lines: readonly string[]): boolean {
  const base = indentOf(lines[0]);
  let closed = false;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    if (closed) return false;
    if (indentOf(line) > base) continue;
    if (indentOf(line) === base && CLOSER.test(line.trim())) closed = true;
    else return false;
  }
  return true;
}

/** The last line of the indented block that starts at `start` (its closing line included). */
function blockEnd(lines: readonly string[], start: number): number {
  const base = indentOf(lines[start]);
  let end = start;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    if (indentOf(line) > base) end = index;
    else {
      if (CLOSER.test(line.trim())) end = index;
      break;
    }
  }
  return end;
}

function reindent(lines: readonly string[], from: number, to: string): string[] {
  return lines.map((line) => (line.trim() === '' ? '' : to + line.slice(Math.min(from, indentOf(line)))));
}

/** A shell block as a command line: `$ ` prompts dropped, lines that are output (in a console block) left out. */
export function shellCommand(code: string, language: string): string {
  const lines = code.replace(/\n$/, '').split('\n');
  const prompted = lines.filter((line) => /^\s*\$ /.test(line));
  // In a console transcript only the prompted lines are commands; a bare script is run as written.
  if (prompted.length === 0 && !/^(console|shell-?session)$/i.test(language)) return lines.join('\n');
  return prompted.map((line) => line.replace(/^\s*\$ /, '')).join('\n');
}
