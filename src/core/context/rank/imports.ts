/**
 * Which workspace files a file imports, for TypeScript/JavaScript, Python and C-style
 * includes: specifiers read with regular expressions, resolved against the index the
 * way the toolchains would (extension probing, `index` files, `.js` → `.ts`,
 * `__init__.py`, relative dots). Package imports are not workspace files and are skipped.
 */
import { languageFamily } from './outline';

const SCRIPT_SPECIFIERS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];
const SCRIPT_EXTENSIONS = [
  '.ts',
  '.tsx',
  '.d.ts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.mts',
  '.cts',
  '.vue',
  '.svelte',
  '.json',
];
const JS_TO_TS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
/** Common alias roots (`@/x`, `~/x`) people map to `src/` (folders for `joinPath`: no trailing slash). */
const ALIASES: readonly [string, readonly string[]][] = [
  ['@/', ['src', '']],
  ['~/', ['src', '']],
];

/**
 * One import as the paths it may name, before the file list is known: where to look, in the toolchain's order (the
 * first that resolves wins), each without the extensions a language probes. A place with a leading `/` is taken from
 * the folder's root, any other from the importing file's folder (already joined). Kept in the lexical index, so the
 * files every module imports can be counted without reading them again.
 */
export type ImportSpec = readonly string[];

/** Folder-relative POSIX paths that `path`'s imports resolve to, among `exists`. */
export function resolveImports(path: string, text: string, exists: (rel: string) => boolean): string[] {
  const found = new Set<string>();
  for (const spec of importSpecs(path, text)) {
    const target = resolveSpec(spec, (place) => probe(path, place.replace(/^\//, ''), exists));
    if (target) found.add(target);
  }
  found.delete(path);
  return [...found].sort();
}

/** What `path`'s imports may name (see ImportSpec), in the order they are written; none for other languages. */
export function importSpecs(path: string, text: string): ImportSpec[] {
  const family = languageFamily(path);
  if (family === 'script') return scriptSpecifiers(text).flatMap((spec) => scriptSpec(path, spec));
  if (family === 'python') return pythonSpecs(path, text);
  if (family === 'c')
    return [...text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((match) => [
      joinPath(dirOf(path), match[1]),
      `/${match[1]}`,
    ]);
  return [];
}

/**
 * The file one import names: the first place, in order, where `find` finds a file (given the place with its
 * leading `/` kept, so it can tell the folder's root from the importer's folder).
 */
export function resolveSpec(spec: ImportSpec, find: (place: string) => string | undefined): string | undefined {
  for (const place of spec) {
    const hit = find(place);
    if (hit) return hit;
  }
  return undefined;
}

/** The file at `place` (no leading `/`) with the extensions `from`'s language probes, among `exists`. */
export function probe(from: string, place: string, exists: (path: string) => boolean): string | undefined {
  // Nothing: the import climbs out of the folder.
  if (!place) return undefined;
  const family = languageFamily(from);
  if (family === 'python') return [`${place}.py`, `${place}/__init__.py`, `${place}.pyi`].find(exists);
  if (family !== 'script') return exists(place) ? place : undefined;
  const ext = place.slice(place.lastIndexOf('.'));
  const candidates = [
    ...(JS_TO_TS[ext] ?? []).map((ts) => place.slice(0, -ext.length) + ts),
    place,
    ...SCRIPT_EXTENSIONS.map((e) => place + e),
    ...SCRIPT_EXTENSIONS.map((e) => `${place}/index${e}`),
  ];
  return candidates.find(exists);
}

export function scriptSpecifiers(text: string): string[] {
  const specs = new Set<string>();
  for (const pattern of SCRIPT_SPECIFIERS) for (const match of text.matchAll(pattern)) specs.add(match[1]);
  return [...specs];
}

/** A relative specifier from the importer's folder; an alias (`@/x`) from the roots people map it to. */
function scriptSpec(from: string, spec: string): ImportSpec[] {
  if (spec.startsWith('./') || spec.startsWith('../')) {
    const place = joinPath(dirOf(from), spec);
    return place ? [[place]] : [];
  }
  const alias = ALIASES.find(([prefix]) => spec.startsWith(prefix));
  if (!alias) return [];
  return [alias[1].map((root) => `/${joinPath(root, spec.slice(alias[0].length))}`)];
}

function pythonSpecs(from: string, text: string): ImportSpec[] {
  const specs: ImportSpec[] = [];
  const dir = dirOf(from);
  const module = (base: string, name: string) => joinPath(base, name.replace(/\./g, '/'));
  // An absolute module: from the folder's root, from `src/`, then beside the importer (a script's own folder).
  const absolute = (name: string) => {
    specs.push([`/${module('', name)}`, `/${module('src', name)}`, module(dir, name)]);
  };
  for (const match of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,*]+))/gm)) {
    const [, dots, name, grouped, plain] = match;
    const names = grouped ?? plain ?? '';
    if (!dots) {
      absolute(name);
      continue;
    }
    let base = dir;
    for (let i = 1; i < dots.length; i++) base = dirOf(base);
    if (name) specs.push([module(base, name)]);
    else
      for (const imported of names
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0])
        .filter(Boolean))
        specs.push([module(base, imported)]);
  }
  for (const match of text.matchAll(
    /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm,
  )) {
    for (const part of match[1].split(',')) absolute(part.trim().split(/\s+/)[0]);
  }
  return specs;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** POSIX join that resolves `.` and `..`; empty when it climbs out of the folder. */
export function joinPath(base: string, rel: string): string {
  const parts = base ? base.split('/') : [];
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return '';
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** The name other files use to import this one (`chatEngine` for `src/chatEngine.ts`, the folder for `index.ts`). */
export function importStem(path: string): string {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1).replace(/\.(d\.)?[^.]+$/, '');
  if ((name === 'index' || name === '__init__') && slash > 0)
    return path.slice(path.lastIndexOf('/', slash - 1) + 1, slash);
  return name;
}
