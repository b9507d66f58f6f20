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

/** Folder-relative POSIX paths that `path`'s imports resolve to, among `exists`. */
export function resolveImports(path: string, text: string, exists: (rel: string) => boolean): string[] {
  const family = languageFamily(path);
  const found = new Set<string>();
  if (family === 'script') {
    for (const spec of scriptSpecifiers(text)) {
      const target = resolveScript(path, spec, exists);
      if (target) found.add(target);
    }
  } else if (family === 'python') {
    for (const target of pythonTargets(path, text, exists)) found.add(target);
  } else if (family === 'c') {
    for (const match of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const target = [joinPath(dirOf(path), match[1]), match[1]].find(exists);
      if (target) found.add(target);
    }
  }
  found.delete(path);
  return [...found].sort();
}

export function scriptSpecifiers(text: string): string[] {
  const specs = new Set<string>();
  for (const pattern of SCRIPT_SPECIFIERS) for (const match of text.matchAll(pattern)) specs.add(match[1]);
  return [...specs];
}

function resolveScript(from: string, spec: string, exists: (rel: string) => boolean): string | undefined {
  let bases: string[];
  if (spec.startsWith('./') || spec.startsWith('../')) bases = [joinPath(dirOf(from), spec)];
  else {
    const alias = ALIASES.find(([prefix]) => spec.startsWith(prefix));
    if (!alias) return undefined;
    bases = alias[1].map((root) => joinPath(root, spec.slice(alias[0].length)));
  }
  for (const base of bases) {
    if (!base) continue;
    const ext = base.slice(base.lastIndexOf('.'));
    const candidates = [
      ...(JS_TO_TS[ext] ?? []).map((ts) => base.slice(0, -ext.length) + ts),
      base,
      ...SCRIPT_EXTENSIONS.map((e) => base + e),
      ...SCRIPT_EXTENSIONS.map((e) => `${base}/index${e}`),
    ];
    const hit = candidates.find(exists);
    if (hit) return hit;
  }
  return undefined;
}

function pythonTargets(from: string, text: string, exists: (rel: string) => boolean): string[] {
  const targets: string[] = [];
  const dir = dirOf(from);
  const tryModule = (base: string, module: string) => {
    const path = joinPath(base, module.replace(/\./g, '/'));
    const hit = path ? [`${path}.py`, `${path}/__init__.py`, `${path}.pyi`].find(exists) : undefined;
    if (hit) targets.push(hit);
    return Boolean(hit);
  };
  const absolute = (module: string) => {
    for (const root of ['', 'src', dir]) if (tryModule(root, module)) return;
  };
  for (const match of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,*]+))/gm)) {
    const [, dots, module, grouped, plain] = match;
    const names = grouped ?? plain ?? '';
    if (!dots) {
      absolute(module);
      continue;
    }
    let base = dir;
    for (let i = 1; i < dots.length; i++) base = dirOf(base);
    if (module) tryModule(base, module);
    else
      for (const name of names
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0])
        .filter(Boolean))
        tryModule(base, name);
  }
  for (const match of text.matchAll(
    /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm,
  )) {
    for (const part of match[1].split(',')) absolute(part.trim().split(/\s+/)[0]);
  }
  return targets;
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
