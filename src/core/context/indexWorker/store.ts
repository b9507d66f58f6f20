/**
 * The index worker's store file: what each file contributed to the lexical index, with the
 * size and time it had when read, so a reopened workspace reads only what changed since.
 * v8's serializer keeps the maps as they are (no JSON detour). A file written by another
 * version, by other tokenization rules, or cut short is ignored and the index rebuilt.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import writeFileAtomic from 'write-file-atomic';
import { countTokens, pathTokens } from '../rank/codeTokens';
import { type AnalysedFile, analyseFile } from '../rank/lexicalDocuments';

/** Bump when the store's layout changes; changes to tokenization are caught by the fingerprint. */
const STORE_VERSION = 2;
const SAMPLE =
  'class HTTPAdapter(BaseAdapter):\n    def send_request(self, url_2):\n        return ' +
  'parse_url(url_2)\nconst totalCount = 1;\nfrom .models import Request\nimport pkg.hooks as hooks\n';

/** How this build tokenises a sample: a store written under other rules does not match. */
export function tokenFingerprint(): string {
  const analysed = analyseFile('pkg/http_adapter.py', SAMPLE);
  return JSON.stringify([
    [...analysed.content],
    [...analysed.defined],
    analysed.imports,
    [...countTokens('registerHookURLs')],
    [...pathTokens('src/a-b/c.d.ts')],
  ]);
}

export interface StoredFile {
  readonly path: string;
  readonly abs: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Absent for a file read but not indexed (binary, too large). */
  readonly analysed?: AnalysedFile;
}

type Row = [
  string,
  string,
  number,
  number,
  Map<string, number> | null,
  Map<string, number[]> | null,
  (readonly string[])[] | null,
];

export async function writeStore(file: string, files: Iterable<StoredFile>): Promise<void> {
  const rows: Row[] = [];
  for (const entry of files)
    rows.push([
      entry.path,
      entry.abs,
      entry.size,
      entry.mtimeMs,
      (entry.analysed?.content as Map<string, number> | undefined) ?? null,
      (entry.analysed?.defined as Map<string, number[]> | undefined) ?? null,
      (entry.analysed?.imports as (readonly string[])[] | undefined) ?? null,
    ]);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, serialize({ version: STORE_VERSION, tokens: tokenFingerprint(), rows }));
}

export type LoadedStore = { readonly files: StoredFile[] } | { readonly ignored: string };

/** The stored files, or why the store cannot be used (missing, unreadable, another version, damaged). */
export async function readStore(file: string): Promise<LoadedStore> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ignored: code === 'ENOENT' ? 'no store yet' : `the store could not be read (${code ?? String(error)})` };
  }
  let stored: unknown;
  try {
    stored = deserialize(bytes);
  } catch {
    return { ignored: 'the store is damaged' };
  }
  if (!isRecord(stored) || stored.version !== STORE_VERSION) return { ignored: 'the store is from another version' };
  if (stored.tokens !== tokenFingerprint()) return { ignored: 'the store was written under other tokenization rules' };
  if (!Array.isArray(stored.rows) || !stored.rows.every(isRow)) return { ignored: 'the store is damaged' };
  return { files: (stored.rows as Row[]).map(fromRow) };
}

function fromRow([path, abs, size, mtimeMs, content, defined, imports]: Row): StoredFile {
  return content && defined && imports
    ? { path, abs, size, mtimeMs, analysed: { content, defined, imports } }
    : { path, abs, size, mtimeMs };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isRow(value: unknown): value is Row {
  if (!Array.isArray(value) || value.length !== 7) return false;
  const [path, abs, size, mtimeMs, content, defined, imports] = value as unknown[];
  return (
    typeof path === 'string' &&
    typeof abs === 'string' &&
    typeof size === 'number' &&
    typeof mtimeMs === 'number' &&
    (content === null || content instanceof Map) &&
    (defined === null || defined instanceof Map) &&
    (imports === null || (Array.isArray(imports) && imports.every(isPlaces)))
  );
}

function isPlaces(value: unknown): boolean {
  return Array.isArray(value) && value.every((place) => typeof place === 'string');
}
