/**
 * The files that import what the request names: once the definition sites of the
 * request's identifiers are known, the modules that import those sites are where the
 * definition is used, and so where a fix often has to follow. Only files that mention
 * the name can import it, so the lexical index narrows the reading to a few dozen.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { ListEntry } from './fuse';
import { resolveImports } from './imports';
import type { LexicalView } from './lexicalSource';

/** Definition sites followed to their importers (the rarest names come first). */
const MAX_SITES = 4;
/** Files that mention a name read to see whether they import its site. */
const MAX_MENTIONING = 60;

export interface DefinitionSite {
  readonly name: string;
  readonly path: string;
}

/** Importers of each site, in the sites' order, then by how well each file matches the name. */
export async function importerEntries(
  index: WorkspaceIndex,
  lexical: LexicalView,
  sites: readonly DefinitionSite[],
): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  const seen = new Set<string>();
  for (const site of sites.slice(0, MAX_SITES))
    for (const path of await importersOf(index, lexical, site.path, site.name, MAX_MENTIONING)) {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ path, reasons: [`imports ${site.name} from ${site.path}`] });
    }
  return out;
}

/**
 * The files that import `path`, among the `limit` that best match `name` (the name an
 * importer has to write: the module's stem, or a symbol it defines), best match first.
 */
export async function importersOf(
  index: WorkspaceIndex,
  lexical: LexicalView,
  path: string,
  name: string,
  limit: number,
): Promise<string[]> {
  const location = index.get(path);
  if (!location) return [];
  const { folder } = location;
  const exists = (rel: string) => index.has(index.folders.display(folder, rel));
  const mentioning = lexical
    .search(new Map([[name.toLowerCase(), 1]]), limit + 1)
    .map((hit) => hit.id)
    .filter((other) => other !== path)
    .slice(0, limit);
  const texts = await Promise.all(mentioning.map((other) => readText(index, other)));
  return mentioning.filter((other, i) => {
    const at = index.get(other);
    const text = texts[i];
    return at?.folder === folder && text !== undefined && resolveImports(at.rel, text, exists).includes(location.rel);
  });
}

/** A file's text through the access policy, or undefined when it may not be read. */
export async function readText(index: WorkspaceIndex, path: string): Promise<string | undefined> {
  const result = await index.policy.read(path, index.reader, { explicit: true });
  return result.allowed ? result.text : undefined;
}
