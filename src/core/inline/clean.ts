/**
 * What the model wrote for an inline edit, turned into the lines that replace the range.
 * Models wrap code in Markdown fences and talk around it ("Here is the updated code:")
 * however firmly they are asked not to; that is cut away. An answer that is prose, not
 * code (a refusal, a question back, an explanation), is reported as a message so the
 * host shows it instead of writing it into the file.
 */

export type CleanAnswer =
  { readonly kind: 'code'; readonly lines: readonly string[] } | { readonly kind: 'message'; readonly text: string };

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
/** The markers the request puts around the range; a model sometimes copies them back. */
const MARKER = /^\s*(<<<<<<<|>>>>>>>) (REWRITE START|REWRITE END)\b.*$/;
/** Lines of code that read like words (Python, SQL, imports). */
const CODE_START =
  // eslint-disable-next-line max-len -- one anchored alternation of keywords
  /^(if|for|while|def|class|elif|else|with|try|except|finally|from|import|return|raise|yield|pass|async|await|let|var|const|function|export|package|use|fn|pub|public|private|protected|static|SELECT|INSERT|UPDATE|DELETE|CREATE|WITH)\b/;
/** A first line that only introduces the code. */
const PREAMBLE =
  // eslint-disable-next-line max-len -- one anchored alternation of opening phrases
  /^(sure|certainly|of course|okay|ok|alright|here(?:'s| is| are)|below is|the (?:updated|rewritten|new|modified|fixed)|i(?:'ve| have)? (?:updated|rewritten|changed|modified|fixed))\b.*[:.!]?$/i;

/** The lines of a finished answer, or the message it is. */
export function cleanAnswer(answer: string, languageId = ''): CleanAnswer {
  const lines = splitLines(answer.replace(/^\uFEFF/, ''));
  // In Markdown a fenced block may be the content itself: only a fence around the whole answer is unwrapped.
  const fenced = isProseLanguage(languageId) ? wrappedBody(lines) : fencedBody(lines);
  if (fenced) return { kind: 'code', lines: dropMarkers(fenced) };
  const body = dropTrailingBlanks(dropPreamble(dropMarkers(lines)));
  if (body.length > 0 && !isProseLanguage(languageId) && looksLikeProse(body))
    return { kind: 'message', text: answer.trim() };
  return { kind: 'code', lines: body };
}

/**
 * The complete lines to show while the answer is still arriving: an opening fence and a
 * preamble are skipped, a closing fence ends the code, and the last line is held back
 * until its newline arrives (it may yet turn out to be a fence).
 */
export function streamingLines(soFar: string): string[] {
  const complete = soFar.slice(0, soFar.lastIndexOf('\n') + 1);
  const lines = splitLines(complete.replace(/^\uFEFF/, ''));
  let start = 0;
  while (start < lines.length && lines[start].trim() === '') start++;
  if (start < lines.length && isPreamble(lines[start])) {
    start++;
    while (start < lines.length && lines[start].trim() === '') start++;
  }
  const opening = lines.findIndex((line, i) => i >= start && FENCE.test(line));
  // Prose before a fence: nothing to show until the fence opens.
  if (opening > start && lines.slice(start, opening).every((line) => line.trim() === '' || isProseLine(line)))
    start = opening;
  if (start < lines.length && FENCE.test(lines[start])) {
    const body = lines.slice(start + 1);
    const closing = body.findIndex((line) => FENCE.test(line));
    return dropMarkers(closing === -1 ? body : body.slice(0, closing));
  }
  return dropMarkers(lines.slice(start));
}

/** Lines without their terminators; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The body of the longest fenced block when the answer has one (the rest is talk around it). */
function fencedBody(lines: readonly string[]): string[] | undefined {
  let best: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !closes(lines[end], fence)) end++;
    const body = lines.slice(i + 1, end);
    if (!best || body.length > best.length) best = body;
    i = end;
  }
  return best;
}

/** The body when the whole answer is one fenced block. */
function wrappedBody(lines: readonly string[]): string[] | undefined {
  const first = lines.findIndex((line) => line.trim() !== '');
  let last = lines.length - 1;
  while (last > first && lines[last].trim() === '') last--;
  const open = first === -1 ? null : FENCE.exec(lines[first]);
  if (!open || last <= first || !closes(lines[last], open[1])) return undefined;
  return lines.slice(first + 1, last);
}

function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed[0] === fence[0] && trimmed.length >= fence.length && /^(`+|~+)$/.test(trimmed);
}

function dropMarkers(lines: readonly string[]): string[] {
  return lines.filter((line) => !MARKER.test(line));
}

/** Without a first line that only introduces the code, and the blank lines after it (blank lines of the code stay). */
function dropPreamble(lines: readonly string[]): string[] {
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1 || !isPreamble(lines[first])) return [...lines];
  let next = first + 1;
  while (next < lines.length && lines[next].trim() === '') next++;
  return lines.slice(next);
}

function isPreamble(line: string): boolean {
  return PREAMBLE.test(line.trim()) && !/[;{}=<>()[\]`]/.test(line);
}

function dropTrailingBlanks(lines: readonly string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}

function isProseLanguage(languageId: string): boolean {
  return /^(markdown|plaintext|text|latex|restructuredtext|asciidoc|mdx)$/i.test(languageId);
}

/** Most non-empty lines read as sentences, not code. */
function looksLikeProse(lines: readonly string[]): boolean {
  const nonEmpty = lines.filter((line) => line.trim() !== '');
  const prose = nonEmpty.filter(isProseLine).length;
  return prose > 0 && prose * 2 > nonEmpty.length;
}

/**
 * A sentence: starts at the margin with a word, has several words, ends like a sentence, and carries no code syntax.
 */
export function isProseLine(line: string): boolean {
  if (!/^[A-Z"'(]/.test(line) || CODE_START.test(line)) return false;
  const text = line.trim();
  if (/[;{}=<>[\]`$]|=>|\(\)|\/\/|\/\*|^#|^[-*+] |::/.test(text)) return false;
  const words = text.split(/\s+/).filter((word) => /^[A-Za-z'’,-]+[.,:;!?]?$/.test(word));
  return words.length >= 4 && words.length * 3 >= text.split(/\s+/).length * 2 && /[A-Za-z][.:!?)]?$/.test(text);
}
