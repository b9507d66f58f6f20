/**
 * Prose (documentation, changelogs, plain text) against code. A request about code is
 * answered by code: the docs that describe the same names match its words as well as the
 * code does, and in a small budget they push the file that needs the change out. So,
 * unless the request is about the documentation itself, prose ranks behind code with the
 * same lexical score.
 */

const PROSE_EXTENSIONS = /\.(rst|md|markdown|mdx|txt|adoc|asciidoc|textile|rdoc|org|tex)$/i;
// Upper case and without an extension: `history.py` is code.
const PROSE_NAMES = /(^|\/)(CHANGELOG|CHANGES|HISTORY|NEWS|AUTHORS|CONTRIBUTORS|README|LICENSE|NOTICE)$/;
const ABOUT_DOCS =
  /\b(docs?|documentation|docstrings?|readme|changelog|changes file|release notes?|tutorial|manual|guide)\b|\.(rst|md|txt|adoc)\b/i;

/** A documentation or text file, not code. */
export function isProse(path: string): boolean {
  return PROSE_EXTENSIONS.test(path) || PROSE_NAMES.test(path);
}

/** The request asks about the documentation (so prose keeps its full weight). */
export function asksAboutDocs(query: string): boolean {
  return ABOUT_DOCS.test(query);
}

/** How much a lexical match in prose counts against the same match in code, for a request about code. */
export const PROSE_FACTOR = 0.5;
