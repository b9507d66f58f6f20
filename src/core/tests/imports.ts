/**
 * Import statements of generated tests, merged into a test file's own: a name the file
 * already imports is not imported again, a new name from a module the file already imports
 * joins that statement, and only what is left becomes a new statement after the file's
 * last import. TypeScript/JavaScript (`import`, `require`) and Python (`import`, `from … import`).
 */

export interface Statement {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface Split {
  /** The import statements, in order. */
  readonly imports: readonly string[];
  /** The rest, blank lines at both ends removed. */
  readonly body: string;
}

export type ImportSyntax = 'script' | 'python';

const PATTERNS: Record<ImportSyntax, RegExp> = {
  script:
    // eslint-disable-next-line max-len -- one anchored alternation whose backreferences tie it together
    /^(?:import\s+(?:type\s+)?[\w$*{}\s,]+?\s+from\s*(['"])[^'"\n]+\1|import\s*(['"])[^'"\n]+\2|(?:const|let|var)\s+[\w${}\s,:]+?=\s*require\(\s*(['"])[^'"\n]+\3\s*\))[ \t]*;?[ \t]*$/gm,
  python: /^(?:from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]+)|import[ \t]+[^\n]+)$/gm,
};

export function findImports(text: string, syntax: ImportSyntax): Statement[] {
  return [...text.matchAll(PATTERNS[syntax])].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function splitImports(text: string, syntax: ImportSyntax): Split {
  const found = findImports(text, syntax);
  let body = '';
  let at = 0;
  for (const statement of found) {
    body += text.slice(at, statement.start);
    at = statement.end;
  }
  body += text.slice(at);
  return { imports: found.map((statement) => statement.text.trim()), body: trimBlankLines(body) };
}

export function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
}

/** An import that names things from a module: `import A, { b, c as d } from 'm'` or `from m import b, c`. */
interface Named {
  readonly module: string;
  readonly kind: string;
  readonly main?: string;
  readonly names: readonly string[];
  readonly quote: string;
  readonly semicolon: boolean;
}

function parseNamed(text: string, syntax: ImportSyntax): Named | undefined {
  if (syntax === 'python') {
    const match = /^from\s+([\w.]+)\s+import\s+\(?([^)]*?)\)?\s*$/s.exec(text);
    if (!match || match[2].includes('*')) return undefined;
    return { module: match[1], kind: 'from', names: listOf(match[2]), quote: '', semicolon: false };
  }
  const match = /^import\s+(type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*(['"])([^'"]+)\4\s*(;?)$/s.exec(
    text,
  );
  if (!match || (!match[2] && match[3] === undefined)) return undefined;
  return {
    module: match[5],
    kind: match[1] ? 'type' : 'value',
    main: match[2],
    names: listOf(match[3] ?? ''),
    quote: match[4],
    semicolon: match[6] === ';',
  };
}

function listOf(text: string): string[] {
  return text
    .replace(/#[^\n]*/g, '')
    .split(',')
    .map((name) => name.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

function render(named: Named, syntax: ImportSyntax): string {
  if (syntax === 'python') {
    const line = `from ${named.module} import ${named.names.join(', ')}`;
    return line.length <= 88
      ? line
      : `from ${named.module} import (\n${named.names.map((n) => `    ${n},`).join('\n')}\n)`;
  }
  const head = `import ${named.kind === 'type' ? 'type ' : ''}`;
  const main = named.main ? `${named.main}${named.names.length ? ', ' : ' '}` : '';
  const list = named.names.length ? `{ ${named.names.join(', ')} } ` : '';
  const from = `from ${named.quote}${named.module}${named.quote}${named.semicolon ? ';' : ''}`;
  const line = `${head}${main}${list}${from}`;
  if (line.length <= 120 || !named.names.length) return line;
  return `${head}${main}{\n${named.names.map((name) => `  ${name},`).join('\n')}\n} ${from}`;
}

const normal = (text: string) => text.replace(/\s+/g, ' ').replace(/;$/, '').trim();

/**
 * `text` with `imports` merged into its own; the new statements go after its last import
 * (or at `fallbackOffset` when it has none, with a blank line after them).
 */
export function mergeImports(
  text: string,
  imports: readonly string[],
  syntax: ImportSyntax,
  fallbackOffset = 0,
): string {
  const existing = findImports(text, syntax).map((statement) => ({
    ...statement,
    named: parseNamed(statement.text.trim(), syntax),
    replacement: undefined as string | undefined,
  }));
  const added: string[] = [];
  for (const statement of imports) {
    if (
      existing.some((each) => normal(each.text) === normal(statement)) ||
      added.some((each) => normal(each) === normal(statement))
    )
      continue;
    const named = parseNamed(statement, syntax);
    const host =
      named && existing.find((each) => each.named?.module === named.module && each.named.kind === named.kind);
    if (!named || !host?.named) {
      added.push(statement);
      continue;
    }
    const names = [...host.named.names];
    for (const name of named.names) if (!names.includes(name)) names.push(name);
    const main = host.named.main ?? named.main;
    if (named.main && host.named.main && named.main !== host.named.main) {
      added.push(statement);
      continue;
    }
    if (names.length === host.named.names.length && main === host.named.main) continue;
    host.named = { ...host.named, names, main };
    host.replacement = render(host.named, syntax);
  }
  let out = text;
  const last = existing.at(-1);
  if (added.length) {
    const at = last ? last.end : fallbackOffset;
    const block = last ? `\n${added.join('\n')}` : `${added.join('\n')}\n\n`;
    out = out.slice(0, at) + block + out.slice(at);
  }
  for (const statement of [...existing].reverse())
    if (statement.replacement !== undefined)
      out = out.slice(0, statement.start) + statement.replacement + out.slice(statement.end);
  return out;
}
