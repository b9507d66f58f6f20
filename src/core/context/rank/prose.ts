/**
 * Prose (documentation, changelogs, plain text) against code. A request about code is
 * answered by code: the docs that describe the same names match its words as well as the
 * code does, and in a small budget they push the file that needs the change out. So,
 * unless the request is about the documentation itself, prose ranks behind code with the
 * same lexical score. Tests, likewise, rank a little behind the code, unless the request
 * asks for tests.
 */

// Translation catalogs (`.po`) repeat every message of the code in each language.
const PROSE_EXTENSIONS = /\.(rst|md|markdown|mdx|txt|adoc|asciidoc|textile|rdoc|org|tex|po|pot)$/i;
// Upper case, without an extension or with a plain suffix (`CHANGES.old`): `history.py` is code.
const PROSE_NAMES =
  /(^|\/)(CHANGELOG|CHANGES|HISTORY|NEWS|AUTHORS|CONTRIBUTORS|README|LICENSE|NOTICE)(\.(old|bak|\d+))?$/;
// Words, not file names: a reproduction that writes `index.rst` or `conf.py` (nearly every Sphinx bug report) is
// about the code that reads them, and a file the request names comes in through its own signal anyway.
const ABOUT_DOCS =
  /\b(docs?|documentation|docstrings?|readme|changelog|changes file|release notes?|tutorial|manual|guide)\b/i;

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

/**
 * Tests and their data (by folder or by name): `tests/`,
 * `testing/`, `test_x.py`, `x.test.ts`, `x_test.go`, `conftest.py`.
 */
const TEST_PATH = new RegExp(
  [
    /(^|\/)(tests?|testing|__tests__|specs?)\//,
    /(^|\/)(test_[^/]*|[^/]*[._-](test|spec)\.[^/.]+|[^/]*_tests?\.[^/.]+|conftest\.py)$/,
  ]
    .map((part) => part.source)
    .join('|'),
  'i',
);
const ABOUT_TESTS =
  /\b(write|add|fix|update|missing|flaky|broken)\s+(a\s+|the\s+|some\s+|unit\s+)*tests?\b|\btest (suite|coverage)\b/i;

export function isTest(path: string): boolean {
  return TEST_PATH.test(path);
}

/** The request asks for tests to be written or fixed (so tests keep their full weight). */
export function asksAboutTests(query: string): boolean {
  return ABOUT_TESTS.test(query);
}

/**
 * How much a lexical match in a test counts against the same match in the code, for a request that is not
 * about tests: a test repeats the names of the code it tests (and the words of the bug it guards against), but
 * the change a request asks for is most often in the code. Tests still come in through their own signals
 * (the active file's tests, a traceback, a name written in the request).
 */
export const TEST_FACTOR = 0.7;
