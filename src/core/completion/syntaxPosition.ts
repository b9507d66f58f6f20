/**
 * Whether the cursor is inside a comment or a string, from the text before it: a light scan
 * of the current line (quotes and line comments) and of the prefix for an open block
 * comment. No parser: good enough to hold back a request, never used to change text.
 */

const LINE_COMMENTS: Readonly<Record<string, string>> = {
  python: '#',
  shellscript: '#',
  ruby: '#',
  perl: '#',
  r: '#',
  yaml: '#',
  toml: '#',
  dockerfile: '#',
  makefile: '#',
  powershell: '#',
  sql: '--',
  lua: '--',
  haskell: '--',
  elixir: '#',
};
const BLOCK_COMMENT_LANGUAGES =
  // eslint-disable-next-line max-len -- one anchored alternation of language ids
  /^(c|cpp|csharp|java|javascript|javascriptreact|typescript|typescriptreact|go|rust|kotlin|swift|scala|dart|php|css|scss|less)$/;

export function inCommentOrString(prefix: string, languageId: string): boolean {
  const line = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const marker = LINE_COMMENTS[languageId] ?? '//';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (line.startsWith(marker, i)) return true;
  }
  if (quote) return true;
  return BLOCK_COMMENT_LANGUAGES.test(languageId) && inBlockComment(prefix);
}

/** An opening block comment after the last close, looked for in the nearby prefix only. */
function inBlockComment(prefix: string): boolean {
  const near = prefix.slice(-20_000);
  return near.lastIndexOf('/*') > near.lastIndexOf('*/');
}
