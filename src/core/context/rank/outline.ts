/**
 * A cheap outline (classes, functions, methods, types, headings with their line
 * spans) from regular expressions, for the languages people mostly open. It is how a
 * large file enters the context: its shape plus the ranges that matter, never a blind
 * cut. The host may supply VS Code's document symbols instead (same shape).
 */

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: string;
  /** 1-based, inclusive. */
  readonly line: number;
  readonly endLine: number;
  /** Nesting level, 0 for top level. */
  readonly depth: number;
  /** The declaring line, trimmed and shortened. */
  readonly signature: string;
}

type Family = 'script' | 'python' | 'go' | 'rust' | 'jvm' | 'c' | 'ruby' | 'php' | 'markdown';

const FAMILIES: Readonly<Record<string, Family>> = {
  ts: 'script',
  tsx: 'script',
  mts: 'script',
  cts: 'script',
  js: 'script',
  jsx: 'script',
  mjs: 'script',
  cjs: 'script',
  vue: 'script',
  svelte: 'script',
  py: 'python',
  pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'jvm',
  kt: 'jvm',
  kts: 'jvm',
  scala: 'jvm',
  cs: 'jvm',
  swift: 'jvm',
  dart: 'jvm',
  c: 'c',
  h: 'c',
  cc: 'c',
  cpp: 'c',
  cxx: 'c',
  hpp: 'c',
  hh: 'c',
  m: 'c',
  mm: 'c',
  rb: 'ruby',
  php: 'php',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
};

const NOT_NAMES = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'else',
  'do',
  'try',
  'throw',
  'await',
  'typeof',
  'with',
  'super',
  'this',
  'sizeof',
  'delete',
  'void',
]);

/** One pattern written in pieces (the modifiers, then what is declared), so each line stays readable. */
function seq(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((part) => part.source).join(''));
}

const PATTERNS: Readonly<Record<Family, readonly [RegExp, string][]>> = {
  script: [
    [
      seq(
        /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?/,
        /(class|interface|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/,
      ),
      '',
    ],
    [/^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/, 'function'],
    [/^\s*(?:export\s+)?(?:declare\s+)?type\s+([A-Za-z_$][\w$]*)\s*(?:<[^=]*>)?\s*=/, 'type'],
    [
      seq(
        /^\s*(?:export\s+)?(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=/,
        /\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]*)?=>/,
      ),
      'function',
    ],
    [/^\s*export\s+(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/, 'variable'],
    // A whole parameter list and an opening brace on one line: a definition, not a call.
    [
      seq(
        /^\s+(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set)\s+)*/,
        /\*?(#?[A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\((?:[^()]|\([^()]*\))*\)\s*(?::\s*[^=;{]+)?\{\s*$/,
      ),
      'method',
    ],
  ],
  python: [
    [/^\s*(class)\s+(\w+)/, ''],
    [/^\s*(?:async\s+)?def\s+(\w+)/, 'function'],
  ],
  go: [
    [/^func\s+(?:\([^)]*\)\s*)?(\w+)/, 'function'],
    [/^type\s+(\w+)\s+(?:struct|interface)/, 'type'],
  ],
  rust: [
    [
      seq(
        /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?(?:const\s+)?(?:extern\s+"[^"]*"\s+)?/,
        /(fn|struct|enum|trait|mod|union)\s+(\w+)/,
      ),
      '',
    ],
    [/^\s*(impl)(?:<[^>]*>)?\s+([^{]+?)\s*(?:\{|$)/, ''],
  ],
  jvm: [
    [
      seq(
        /^\s*(?:(?:public|private|protected|internal|static|final|abstract|sealed|open|data|partial|export)\s+)*/,
        /(class|interface|enum|record|struct|object|trait|protocol|extension)\s+(\w+)/,
      ),
      '',
    ],
    [
      seq(
        // eslint-disable-next-line max-len -- the modifier list is one group
        /^\s*(?:(?:public|private|protected|internal|static|final|abstract|override|suspend|virtual|async|inline|open|synchronized)\s+)*/,
        /(?:fun|func|def)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?(\w+)/,
      ),
      'function',
    ],
    [
      seq(
        /^\s*(?:(?:public|private|protected|internal|static|final|abstract|override|virtual|async|synchronized)\s+)+/,
        /[\w<>[\],.?\s]+?\s+(\w+)\s*\([^;]*$/,
      ),
      'method',
    ],
  ],
  c: [
    [/^\s*(?:typedef\s+)?(struct|class|union|enum|namespace)\s+(\w+)[^;]*$/, ''],
    [/^(?:[A-Za-z_][\w:<>,*&\s]*?[\s*&])?([A-Za-z_][\w:~]*)\s*\([^;]*$/, 'function'],
  ],
  ruby: [
    [/^\s*(class|module)\s+([\w:]+)/, ''],
    [/^\s*def\s+([\w.?!=]+)/, 'method'],
  ],
  php: [
    [/^\s*(?:(?:abstract|final)\s+)?(class|interface|trait|enum)\s+(\w+)/, ''],
    [/^\s*(?:(?:public|private|protected|static|abstract|final)\s+)*function\s+(\w+)/, 'function'],
  ],
  markdown: [],
};

export function languageFamily(path: string): Family | undefined {
  return FAMILIES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
}

export function outline(path: string, text: string): OutlineSymbol[] {
  const family = languageFamily(path);
  if (!family) return [];
  const lines = text.split('\n');
  if (family === 'markdown') return headings(lines, text.endsWith('\n') ? lines.length - 1 : lines.length);
  const found: OutlineSymbol[] = [];
  const depths = family === 'python' || family === 'ruby' ? undefined : braceDepths(lines);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // `#` starts a comment, not a Rust attribute (`#[`) or a private method (`#name() {`).
    if (line.length > 400 || !/\S/.test(line) || /^\s*(\/\/|\*|\/\*|#(?![[\w]))/.test(line)) continue;
    for (const [pattern, kind] of PATTERNS[family]) {
      const match = pattern.exec(line);
      if (!match) continue;
      const name = (kind ? match[1] : match[2]).trim();
      if (!name || NOT_NAMES.has(name)) break;
      const endLine = depths ? braceEnd(lines, depths, i) : indentEnd(lines, i);
      found.push({
        name,
        kind: kind || match[1],
        line: i + 1,
        endLine: endLine + 1,
        depth: 0,
        signature: signature(line),
      });
      break;
    }
  }
  return nest(found);
}

/**
 * Brace depth before each line; strings and line comments skipped
 * (roughly: an outline, not a parser). Linear in the text.
 */
function braceDepths(lines: readonly string[]): Int32Array {
  const depths = new Int32Array(lines.length + 1);
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    depths[i] = depth;
    const line = lines[i];
    let quote = 0;
    for (let j = 0; j < line.length; j++) {
      const code = line.charCodeAt(j);
      if (quote) {
        if (code === 92) j++;
        else if (code === quote) quote = 0;
      } else if (code === 34 || code === 39 || code === 96) quote = code;
      else if (code === 47 && line.charCodeAt(j + 1) === 47) break;
      else if (code === 123) depth++;
      else if (code === 125 && depth > 0) depth--;
    }
  }
  depths[lines.length] = depth;
  return depths;
}

function braceEnd(lines: readonly string[], depths: Int32Array, start: number): number {
  const base = depths[start];
  let opened = false;
  for (let i = start; i < lines.length; i++) {
    if (depths[i + 1] > base) opened = true;
    if (opened && depths[i + 1] <= base) return i;
    if (opened) continue;
    // One-line bodies, and declarations without a body (`type X = …;`, a prototype).
    if (lines[i].includes('{') || /;\s*$/.test(lines[i])) return i;
    if (i >= start + 3) return start;
  }
  return opened ? lines.length - 1 : start;
}

function indentEnd(lines: readonly string[], start: number): number {
  const indent = lines[start].search(/\S/);
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    if (!/\S/.test(lines[i])) continue;
    const at = lines[i].search(/\S/);
    // A closing `)` or `end` at the declaration's own indentation belongs to it; one further out does not.
    if (at < indent || (at === indent && !/^\s*(\)|end\b)/.test(lines[i]))) break;
    end = i;
  }
  return end;
}

function headings(lines: readonly string[], lineCount: number): OutlineSymbol[] {
  const found: { name: string; level: number; line: number }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) found.push({ name: match[2], level: match[1].length, line: i + 1 });
  });
  return found.map((heading, i) => {
    const next = found.slice(i + 1).find((other) => other.level <= heading.level);
    return {
      name: heading.name,
      kind: 'heading',
      line: heading.line,
      endLine: next ? next.line - 1 : lineCount,
      depth: heading.level - 1,
      signature: `${'#'.repeat(heading.level)} ${heading.name}`,
    };
  });
}

/** Depth from containment: a symbol inside another's span is one level deeper. */
function nest(symbols: OutlineSymbol[]): OutlineSymbol[] {
  const open: OutlineSymbol[] = [];
  return symbols.map((symbol) => {
    while (open.length && open[open.length - 1].endLine < symbol.line) open.pop();
    const nested = { ...symbol, depth: open.length };
    open.push(nested);
    return nested;
  });
}

function signature(line: string): string {
  const trimmed = line.trim().replace(/\s*\{\s*$/, '');
  return trimmed.length > 160 ? `${trimmed.slice(0, 157)}…` : trimmed;
}
