/**
 * The agent's code tools over the editor's language services: problems, symbols, definitions and
 * references. Results name files by workspace-relative path and 1-based line ranges, are capped
 * so a big project does not flood the window, and leave out every file the access rules deny
 * (a secret's symbols are not even counted by name).
 */
import type { CodeIntel, CodeLocation, CodePosition, IntelResult, LineRange, Problem, Severity } from './codeIntel';
import { SEVERITIES } from './codeIntel';
import { failed, numberArg, type ReadOnlyTool, stringArg, type ToolOutcome } from './tool';
import type { WorkspaceAccess } from './workspace';

export const MAX_PROBLEMS = 100;
export const MAX_SYMBOLS = 50;
export const MAX_REFERENCES = 100;
const MAX_MESSAGE_CHARS = 300;
const MAX_PREVIEW_CHARS = 160;
/** How far from the given line a named symbol is looked for (models are often a line or two off). */
const SYMBOL_SEARCH_LINES = 3;

export const formatRange = (range: LineRange): string =>
  range.endLine > range.startLine ? `${range.startLine}-${range.endLine}` : `${range.startLine}`;

/** Items whose files may be shown, with their display paths; how many were left out. */
export async function visible<T extends { readonly file: string }>(
  items: readonly T[],
  intel: Pick<CodeIntel, 'displayPath'>,
): Promise<{ shown: (T & { readonly path: string })[]; hidden: number }> {
  const paths = new Map<string, Promise<string | undefined>>();
  const shown: (T & { path: string })[] = [];
  let hidden = 0;
  for (const item of items) {
    let path = paths.get(item.file);
    if (!path) paths.set(item.file, (path = intel.displayPath(item.file).catch(() => undefined)));
    const display = await path;
    if (display === undefined) hidden++;
    else shown.push({ ...item, path: display });
  }
  return { shown, hidden };
}

const hiddenNote = (hidden: number): string =>
  hidden > 0 ? `\n[${hidden} more in files outside the workspace or off limits to QCoder were left out]` : '';

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function severityAtLeast(minimum: string | undefined): ReadonlySet<Severity> {
  const index = SEVERITIES.indexOf((minimum ?? 'warning') as Severity);
  return new Set(SEVERITIES.slice(0, index < 0 ? 2 : index + 1));
}

/** Problems grouped by file, files with errors first; at most MAX_PROBLEMS lines. */
export function formatProblems(problems: readonly (Problem & { readonly path: string })[]): string {
  const rank = (severity: Severity) => SEVERITIES.indexOf(severity);
  const sorted = [...problems].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) || a.path.localeCompare(b.path) || a.range.startLine - b.range.startLine,
  );
  const kept = sorted.slice(0, MAX_PROBLEMS);
  const files = new Map<string, string[]>();
  for (const problem of kept) {
    const column = problem.range.startColumn ? `:${problem.range.startColumn}` : '';
    const origin = [problem.source, problem.code].filter(Boolean).join(' ');
    const line =
      `  ${problem.range.startLine}${column} ${problem.severity}${origin ? ` [${origin}]` : ''} ` +
      `${oneLine(problem.message, MAX_MESSAGE_CHARS)}`;
    files.set(problem.path, [...(files.get(problem.path) ?? []), line]);
  }
  const body = [...files].map(([path, lines]) => `${path}\n${lines.join('\n')}`).join('\n');
  const more = sorted.length > kept.length ? `\n[${sorted.length - kept.length} more not shown; ask for one path]` : '';
  return body + more;
}

function problemCounts(problems: readonly Problem[]): string {
  const counts = SEVERITIES.map(
    (severity) => [severity, problems.filter((p) => p.severity === severity).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => plural(count, severity));
  return counts.join(', ');
}

export function getProblemsTool(intel: CodeIntel): ReadOnlyTool {
  return {
    schema: {
      name: 'get_problems',
      description:
        'Errors and warnings from the language servers and linters (the Problems panel), ' +
        'for the workspace or one file.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Workspace-relative file (default: every file).' },
          severity: {
            type: 'string',
            enum: [...SEVERITIES],
            description: 'Least severe level shown (default warning).',
          },
        },
      },
    },
    title: (args) => `Problems${stringArg(args, 'path') ? ` in ${stringArg(args, 'path')}` : ''}`,
    async run(args) {
      const path = stringArg(args, 'path');
      const result = await intel.problems(path || undefined);
      if (!result.ok) return failed(result.reason);
      const wanted = severityAtLeast(stringArg(args, 'severity'));
      const { shown, hidden } = await visible(
        result.items.filter((problem) => wanted.has(problem.severity)),
        intel,
      );
      const where = path ? ` in ${path}` : '';
      const note = result.note ? `\n[${result.note}]` : '';
      if (shown.length === 0)
        return { content: `No problems${where}.${note}${hiddenNote(hidden)}`, summary: 'no problems' };
      const fileCount = new Set(shown.map((problem) => problem.path)).size;
      const head =
        `${plural(shown.length, 'problem')} ` +
        `(${problemCounts(shown)})${where}${path ? '' : ` in ${plural(fileCount, 'file')}`}:`;
      return {
        content: `${head}\n${formatProblems(shown)}${note}${hiddenNote(hidden)}`,
        summary: problemCounts(shown),
      };
    },
  };
}

/** `function add — src/math.ts:1-3`, or `src/math.ts:3: preview` for a plain location. */
export function formatLocation(location: CodeLocation & { readonly path: string }, preview?: string): string {
  const where = `${location.path}:${formatRange(location.range)}`;
  if (location.name) {
    const name = location.container ? `${location.container}.${location.name}` : location.name;
    return `${location.kind ? `${location.kind} ` : ''}${name} — ${where}`;
  }
  return preview ? `${where}: ${oneLine(preview, MAX_PREVIEW_CHARS)}` : where;
}

export function findSymbolTool(intel: CodeIntel): ReadOnlyTool {
  return {
    schema: {
      name: 'find_symbol',
      description:
        'Find classes, functions, variables and other symbols by name across the workspace (language servers).',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'A name or part of one.' } },
        required: ['query'],
      },
    },
    title: (args) => `Find symbol ${JSON.stringify(stringArg(args, 'query') ?? '')}`,
    async run(args, { signal }) {
      const query = stringArg(args, 'query')?.trim();
      if (!query) return failed('find_symbol needs a "query" (a name or part of one).');
      return listing(await intel.symbols(query, signal), intel, MAX_SYMBOLS, {
        none: `No symbols match "${query}".`,
        head: (count) => `${plural(count, 'symbol')} matching "${query}":`,
        unit: 'symbol',
      });
    },
  };
}

const positionProperties = {
  path: { type: 'string', description: 'Workspace-relative file.' },
  line: { type: 'integer', description: '1-based line.' },
  symbol: { type: 'string', description: 'The name on that line.' },
  column: { type: 'integer', description: '1-based column (instead of symbol).' },
};

export function goToDefinitionTool(intel: CodeIntel): ReadOnlyTool {
  return {
    schema: {
      name: 'go_to_definition',
      description: 'Where the symbol named on a line of a file is defined (language servers).',
      parameters: { type: 'object', properties: positionProperties, required: ['path', 'line'] },
    },
    title: (args) =>
      `Definition of ${stringArg(args, 'symbol') ?? `${stringArg(args, 'path')}:${numberArg(args, 'line')}`}`,
    async run(args, { workspace, signal }) {
      const at = await resolvePosition(args, workspace, 'go_to_definition');
      if (!at.ok) return failed(at.reason);
      return listing(await intel.definitions(at.position, signal), intel, MAX_SYMBOLS, {
        none: `No definition found for ${at.label}.`,
        head: (count) => `${count === 1 ? 'Definition' : `${count} definitions`} of ${at.label}:`,
        unit: 'definition',
        note: at.note,
      });
    },
  };
}

export function findReferencesTool(intel: CodeIntel): ReadOnlyTool {
  return {
    schema: {
      name: 'find_references',
      description: 'Every use of the symbol named on a line of a file (language servers).',
      parameters: {
        type: 'object',
        properties: {
          ...positionProperties,
          include_declaration: { type: 'boolean', description: 'Default true.' },
        },
        required: ['path', 'line'],
      },
    },
    title: (args) =>
      `References to ${stringArg(args, 'symbol') ?? `${stringArg(args, 'path')}:${numberArg(args, 'line')}`}`,
    async run(args, { workspace, signal }) {
      const at = await resolvePosition(args, workspace, 'find_references');
      if (!at.ok) return failed(at.reason);
      const declaration = args.include_declaration !== false;
      return listing(await intel.references(at.position, declaration, signal), intel, MAX_REFERENCES, {
        none: `No references found for ${at.label}.`,
        head: (count) => `${plural(count, 'reference')} to ${at.label}:`,
        unit: 'reference',
        note: at.note,
      });
    },
  };
}

interface ListingWords {
  readonly none: string;
  readonly head: (count: number) => string;
  readonly unit: string;
  readonly note?: string;
}

async function listing(
  result: IntelResult<CodeLocation>,
  intel: CodeIntel,
  max: number,
  words: ListingWords,
): Promise<ToolOutcome> {
  if (!result.ok) return failed(result.reason);
  const { shown, hidden } = await visible(result.items, intel);
  const notes = [words.note, result.note]
    .filter(Boolean)
    .map((note) => `\n[${note}]`)
    .join('');
  if (shown.length === 0)
    return { content: `${words.none}${notes}${hiddenNote(hidden)}`, summary: `no ${words.unit}s` };
  const sorted = sortLocations(shown);
  const kept = sorted.slice(0, max);
  const lines = await Promise.all(
    kept.map(async (location) =>
      formatLocation(
        location,
        location.name ? undefined : await intel.lineText?.(location.file, location.range.startLine),
      ),
    ),
  );
  const more = sorted.length > kept.length ? `\n[${sorted.length - kept.length} more not shown]` : '';
  return {
    content: `${words.head(sorted.length)}\n${lines.join('\n')}${more}${notes}${hiddenNote(hidden)}`,
    summary: plural(sorted.length, words.unit),
  };
}

/** Unique by path and line, in path then line order (symbols keep the server's ranking). */
function sortLocations<T extends CodeLocation & { readonly path: string }>(locations: readonly T[]): T[] {
  const seen = new Set<string>();
  const unique = locations.filter((location) => {
    const key = `${location.path}:${location.range.startLine}:${location.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.some((location) => location.name)) return unique;
  return unique.sort((a, b) => a.path.localeCompare(b.path) || a.range.startLine - b.range.startLine);
}

export type ResolvedPosition =
  | { readonly ok: true; readonly position: CodePosition; readonly label: string; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/** The model's path, line and symbol (or column) as a position; the file is read through the access rules. */
export async function resolvePosition(
  args: Record<string, unknown>,
  workspace: WorkspaceAccess,
  tool: string,
): Promise<ResolvedPosition> {
  const path = stringArg(args, 'path');
  const line = numberArg(args, 'line');
  const symbol = stringArg(args, 'symbol')?.trim();
  const column = numberArg(args, 'column');
  if (!path || line === undefined || line < 1)
    return { ok: false, reason: `${tool} needs a "path" and a 1-based "line".` };
  if (!symbol && (column === undefined || column < 1))
    return { ok: false, reason: `${tool} needs the "symbol" name on line ${line} (or a 1-based "column").` };
  const read = await workspace.readText(path);
  if (!read.ok) return { ok: false, reason: read.reason };
  const lines = read.text.split(/\r?\n/);
  if (line > lines.length)
    return { ok: false, reason: `${path} has ${lines.length} lines; line ${line} is past the end.` };
  if (!symbol) return { ok: true, position: { path, line, column: column! }, label: `${path}:${line}:${column}` };
  const found = findSymbolNear(lines, line, symbol);
  if (!found)
    return {
      ok: false,
      reason:
        `"${symbol}" is not on line ${line} of ${path} (nor within ${SYMBOL_SEARCH_LINES} lines of it). Line ` +
        `${line} reads: ${oneLine(lines[line - 1], MAX_PREVIEW_CHARS)}`,
    };
  const note = found.line === line ? undefined : `"${symbol}" is on line ${found.line}, not ${line}; used that`;
  return {
    ok: true,
    position: { path, line: found.line, column: found.column },
    label: `"${symbol}" (${path}:${found.line})`,
    note,
  };
}

/** The symbol as a whole word on `line` or the nearest line around it; 1-based line and column. */
export function findSymbolNear(
  lines: readonly string[],
  line: number,
  symbol: string,
): { readonly line: number; readonly column: number } | undefined {
  for (let distance = 0; distance <= SYMBOL_SEARCH_LINES; distance++) {
    for (const candidate of distance === 0 ? [line] : [line - distance, line + distance]) {
      const text = lines[candidate - 1];
      if (text === undefined) continue;
      const column = wordIndex(text, symbol);
      if (column >= 0) return { line: candidate, column: column + 1 };
    }
  }
  return undefined;
}

const IDENTIFIER = /[\p{L}\p{N}_$]/u;

function wordIndex(text: string, word: string): number {
  // A dotted or partial name ("this.add", "add(") is looked up by its last identifier part.
  const name = word.replace(/\(.*$/, '').split('.').pop() ?? word;
  if (!name) return -1;
  for (let index = text.indexOf(name); index >= 0; index = text.indexOf(name, index + 1)) {
    const before = text[index - 1];
    const after = text[index + name.length];
    if ((before === undefined || !IDENTIFIER.test(before)) && (after === undefined || !IDENTIFIER.test(after)))
      return index;
  }
  return -1;
}

export function codeTools(intel: CodeIntel): ReadOnlyTool[] {
  return [getProblemsTool(intel), findSymbolTool(intel), goToDefinitionTool(intel), findReferencesTool(intel)];
}

/** What the system prompt says about these tools and todo_write. */
export const CODE_TOOLS_PROMPT = [
  '- Use find_symbol, go_to_definition and find_references to navigate code through the language servers; ' +
    'get_problems shows errors and warnings (check it after your edits).',
  '- For a task of several steps, keep a checklist with todo_write and update it as you go.',
].join('\n');
