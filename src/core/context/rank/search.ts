/**
 * Which files mention which terms, and on which lines: ripgrep when there is one
 * (fixed strings, case-insensitive, built-in folders pruned), else a scan in JS over
 * the index. Results only ever name files the index allows.
 */
import { BUILD_DIRS, DEPENDENCY_DIRS } from '../files/builtinRules';
import { runProcess } from '../files/process';
import type { WorkspaceIndex } from '../files/workspaceIndex';

export interface FileHits {
  /** Display path. */
  readonly path: string;
  /** Lower-cased term → matches in the file (capped). */
  readonly counts: Map<string, number>;
  /** 1-based lines with a match, ascending, capped. */
  readonly lines: number[];
}

export interface SearchOptions {
  readonly rgPath?: string;
  /** Matching lines read per file (default 40). */
  readonly maxLinesPerFile?: number;
  readonly signal?: AbortSignal;
}

const MAX_OUTPUT_BYTES = 48 * 1024 * 1024;
const MAX_SCAN_BYTES = 512 * 1024;

export async function searchTerms(
  index: WorkspaceIndex,
  terms: readonly string[],
  options: SearchOptions = {},
): Promise<Map<string, FileHits>> {
  const unique = [...new Set(terms.filter((term) => term.length >= 2))];
  if (unique.length === 0 || index.size === 0) return new Map();
  if (options.rgPath) {
    const found = await ripgrepSearch(index, unique, options.rgPath, options);
    if (found) return found;
  }
  return scanSearch(index, unique, options);
}

async function ripgrepSearch(
  index: WorkspaceIndex,
  terms: readonly string[],
  rgPath: string,
  options: SearchOptions,
): Promise<Map<string, FileHits> | undefined> {
  const hits = new Map<string, FileHits>();
  const maxLines = options.maxLinesPerFile ?? 40;
  const prune = [...DEPENDENCY_DIRS, ...BUILD_DIRS].flatMap((name) => ['-g', `!${name}/`]);
  const args = [
    '--only-matching',
    '--line-number',
    '--ignore-case',
    '--fixed-strings',
    '--null',
    '--no-heading',
    '--with-filename',
    '--color',
    'never',
    '--hidden',
    '--no-require-git',
    '--no-ignore-parent',
    '--max-filesize',
    '1M',
    '--max-count',
    String(maxLines),
    ...prune,
    ...terms.flatMap((term) => ['-e', term]),
  ];
  for (const folder of index.folders.folders) {
    const result = await runProcess(rgPath, args, {
      cwd: folder.root,
      signal: options.signal,
      maxBytes: MAX_OUTPUT_BYTES,
      timeoutMs: 20_000,
    });
    if (result.code !== 0 && result.code !== 1 && result.stdout.length === 0) return undefined;
    const output = result.stdout.toString('utf8');
    let start = 0;
    while (start < output.length) {
      let end = output.indexOf('\n', start);
      if (end < 0) end = output.length;
      const nul = output.indexOf('\0', start);
      if (nul > start && nul < end) {
        const rel = output.slice(start, nul).replace(/^\.\//, '');
        const colon = output.indexOf(':', nul);
        const display = index.folders.display(folder, rel);
        if (colon > nul && colon < end && index.has(display)) {
          record(
            hits,
            display,
            Number(output.slice(nul + 1, colon)),
            output.slice(colon + 1, end).toLowerCase(),
            maxLines,
          );
        }
      }
      start = end + 1;
    }
  }
  return hits;
}

function record(hits: Map<string, FileHits>, path: string, line: number, term: string, maxLines: number): void {
  let file = hits.get(path);
  if (!file) {
    file = { path, counts: new Map(), lines: [] };
    hits.set(path, file);
  }
  file.counts.set(term, (file.counts.get(term) ?? 0) + 1);
  if (file.lines.length < maxLines && file.lines[file.lines.length - 1] !== line) file.lines.push(line);
}

async function scanSearch(
  index: WorkspaceIndex,
  terms: readonly string[],
  options: SearchOptions,
): Promise<Map<string, FileHits>> {
  const hits = new Map<string, FileHits>();
  const lowered = terms.map((term) => term.toLowerCase());
  const maxLines = options.maxLinesPerFile ?? 40;
  const paths = [...index.paths()];
  const decoder = new TextDecoder();
  let next = 0;
  const worker = async () => {
    while (next < paths.length && !options.signal?.aborted) {
      const path = paths[next++];
      const location = index.get(path);
      const stat = location && (await index.reader.stat(location.abs));
      if (!location || !stat || stat.size > MAX_SCAN_BYTES) continue;
      const bytes = await index.reader.readFile(location.abs).catch(() => undefined);
      if (!bytes || bytes.subarray(0, 8192).includes(0)) continue;
      const text = decoder.decode(bytes).toLowerCase();
      for (const term of lowered) {
        let line = 1;
        let counted = 0;
        for (
          let at = text.indexOf(term), from = 0;
          at >= 0 && counted < maxLines;
          at = text.indexOf(term, at + term.length)
        ) {
          for (let i = from; i < at; i++) if (text.charCodeAt(i) === 10) line++;
          from = at;
          record(hits, path, line, term, maxLines);
          counted++;
        }
      }
      const file = hits.get(path);
      if (file) file.lines.splice(0, file.lines.length, ...[...new Set(file.lines)].sort((a, b) => a - b));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return hits;
}
