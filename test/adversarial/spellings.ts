/**
 * Ways to spell one workspace-relative path that may reach the same file on some file
 * system: on Linux many of them name another file, but on Windows or macOS (case-insensitive,
 * trailing dots dropped, alternate data streams, 8.3 short names) they are the same file.
 * Each returns undefined where it does not apply.
 */
export type Spelling = (rel: string, root: string) => string | undefined;

const segments = (rel: string, map: (segment: string, i: number) => string) => rel.split('/').map(map).join('/');

/** The Windows 8.3 short name of a long or dotted name (`.vscode` → `VSCODE~1`). */
export function shortName(name: string): string | undefined {
  const valid = /^[A-Za-z0-9_-]{1,8}(\.[A-Za-z0-9_-]{1,3})?$/.test(name);
  if (valid) return undefined;
  const bare = name.replace(/^\.+/, '');
  const dot = bare.lastIndexOf('.');
  const stem = (dot > 0 ? bare.slice(0, dot) : bare).replace(/[^A-Za-z0-9_-]/g, '').toUpperCase();
  const ext = dot > 0 ? bare.slice(dot + 1, dot + 4).toUpperCase() : '';
  return `${stem.slice(0, 6)}~1${ext ? `.${ext}` : ''}`;
}

const swap = (rel: string, from: RegExp, to: string) => (from.test(rel) ? rel.replace(from, to) : undefined);

export const SPELLINGS: Record<string, Spelling> = {
  plain: (rel) => rel,
  'dot-slash': (rel) => `./${rel}`,
  'double-slash': (rel) => rel.replace(/\//g, '//'),
  'dot-slash-double': (rel) => `.//${rel.replace(/\//g, '/./')}`,
  backslash: (rel) => rel.replace(/\//g, '\\'),
  'dot-backslash': (rel) => `.\\${rel.replace(/\//g, '\\')}`,
  upper: (rel) => rel.toUpperCase(),
  'title-case': (rel) => segments(rel, (s) => s.replace(/[a-z]/, (c) => c.toUpperCase())),
  'long-s': (rel) => swap(rel, /s/g, 'ſ'),
  'kelvin-sign': (rel) => swap(rel, /k/gi, 'K'),
  'dotless-i': (rel) => swap(rel, /i/g, 'ı'),
  'full-width-dot': (rel) => swap(rel, /^\./, '．'),
  'file-uri': (rel, root) => `file://${root}/${rel}`,
  'file-uri-encoded': (rel, root) => `file://${root}/${rel.replace(/\./g, '%2e')}`,
  absolute: (rel, root) => `${root}/${rel}`,
  'percent-2e': (rel) => swap(rel, /\./g, '%2e'),
  'percent-2E': (rel) => swap(rel, /\./g, '%2E'),
  'double-encoded': (rel) => swap(rel, /\./g, '%252e'),
  'trailing-dots': (rel) => segments(rel, (s) => `${s}.`),
  'trailing-space': (rel) => segments(rel, (s, i) => (i === 0 ? `${s} ` : s)),
  'data-stream': (rel) => `${rel}::$DATA`,
  'named-stream': (rel) => `${rel}:Zone.Identifier`,
  'short-name': (rel) => {
    const parts = rel.split('/');
    const at = parts.findIndex((part) => shortName(part) !== undefined);
    if (at < 0) return undefined;
    parts[at] = shortName(parts[at])!;
    return parts.join('/');
  },
  'inner-dotdot': (rel) => `src/../${rel}`,
  'deep-dotdot': (rel) => `a/b/../../${rel}`,
};

/** Spellings that name the same file on Linux too: the ones to combine with symbolic links. */
export const POSIX_SPELLINGS: Record<string, Spelling> = {
  plain: SPELLINGS.plain,
  'dot-slash': SPELLINGS['dot-slash'],
  'double-slash': SPELLINGS['double-slash'],
  'dot-slash-double': SPELLINGS['dot-slash-double'],
  'file-uri': SPELLINGS['file-uri'],
  'file-uri-encoded': SPELLINGS['file-uri-encoded'],
  absolute: SPELLINGS.absolute,
  'inner-dotdot': SPELLINGS['inner-dotdot'],
};
