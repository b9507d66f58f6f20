/**
 * `.gitignore` semantics (also used for `.qcoderignore`) on top of `minimatch`:
 * nested files apply below their own folder, later lines and deeper files win, `!`
 * re-includes, a trailing `/` matches folders only, and nothing inside an ignored
 * folder can be re-included. Paths are POSIX, relative to the workspace folder.
 */
import { Minimatch } from 'minimatch';

interface Rule {
  readonly negated: boolean;
  readonly dirOnly: boolean;
  /** Tested against the basename when the pattern has no slash, else against the path below `base`. */
  readonly basename: boolean;
  readonly regex: RegExp;
}

interface RuleSet {
  /** Folder of the ignore file, '' for the workspace root. */
  readonly base: string;
  readonly rules: readonly Rule[];
}

export function parseIgnoreFile(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (!line) continue;
    const basename = !line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const regex = new Minimatch(line, {
      dot: true,
      noext: true,
      nobrace: true,
      nonegate: true,
      nocomment: true,
    }).makeRe();
    if (regex) rules.push({ negated, dirOnly, basename, regex });
  }
  return rules;
}

/** All ignore files of one kind in one workspace folder. */
export class IgnoreMatcher {
  private readonly sets = new Map<string, RuleSet>();
  private readonly dirCache = new Map<string, boolean>();
  private readonly rulesCache = new Map<string, readonly [RuleSet, Rule][]>();

  get size(): number {
    return this.sets.size;
  }

  /** Adds (or replaces) the rules of the ignore file in folder `base` ('' = root). */
  set(base: string, text: string): void {
    const rules = parseIgnoreFile(text);
    if (rules.length) this.sets.set(base, { base, rules });
    else this.sets.delete(base);
    this.dirCache.clear();
    this.rulesCache.clear();
  }

  clear(): void {
    this.sets.clear();
    this.dirCache.clear();
    this.rulesCache.clear();
  }

  copyFrom(other: IgnoreMatcher): void {
    for (const [base, set] of other.sets) this.sets.set(base, set);
    this.dirCache.clear();
    this.rulesCache.clear();
  }

  delete(base: string): void {
    if (this.sets.delete(base)) {
      this.dirCache.clear();
      this.rulesCache.clear();
    }
  }

  /** True when `path` (a file, or a folder when `isDir`) is ignored, itself or through a folder above it. */
  ignores(path: string, isDir = false): boolean {
    if (this.sets.size === 0) return false;
    const slash = path.lastIndexOf('/');
    if (slash > 0 && this.dirIgnored(path.slice(0, slash))) return true;
    return isDir ? this.dirIgnored(path) : this.decide(path, false);
  }

  private dirIgnored(dir: string): boolean {
    let known = this.dirCache.get(dir);
    if (known === undefined) {
      const slash = dir.lastIndexOf('/');
      known = (slash > 0 && this.dirIgnored(dir.slice(0, slash))) || this.decide(dir, true);
      this.dirCache.set(dir, known);
    }
    return known;
  }

  /** The last matching rule decides; rules of deeper files come later. */
  private decide(path: string, isDir: boolean): boolean {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    const applicable = this.rulesFor(slash < 0 ? '' : path.slice(0, slash));
    for (let i = applicable.length - 1; i >= 0; i--) {
      const [set, rule] = applicable[i];
      if (rule.dirOnly && !isDir) continue;
      const subject = rule.basename ? name : set.base ? path.slice(set.base.length + 1) : path;
      if (rule.regex.test(subject)) return !rule.negated;
    }
    return false;
  }

  /** Rules of every ignore file at or above `dir`, shallowest first. */
  private rulesFor(dir: string): readonly [RuleSet, Rule][] {
    let rules = this.rulesCache.get(dir);
    if (!rules) {
      const slash = dir.lastIndexOf('/');
      const above = dir === '' ? [] : this.rulesFor(slash < 0 ? '' : dir.slice(0, slash));
      const own = this.sets.get(dir);
      rules = own ? [...above, ...own.rules.map((rule): [RuleSet, Rule] => [own, rule])] : above;
      this.rulesCache.set(dir, rules);
    }
    return rules;
  }
}

/** VS Code-style globs (`files.exclude`, `search.exclude`): matched against the folder-relative path. */
export class GlobSet {
  private readonly matchers: { readonly glob: string; readonly regex: RegExp }[];

  constructor(globs: readonly string[]) {
    this.matchers = globs.flatMap((glob) => {
      const regex = new Minimatch(glob.replace(/^\.?\//, ''), { dot: true }).makeRe();
      return regex ? [{ glob, regex }] : [];
    });
  }

  /** The glob that matches `path` or one of its folders. */
  match(path: string): string | undefined {
    if (this.matchers.length === 0) return undefined;
    let subject = path;
    for (;;) {
      const hit = this.matchers.find((matcher) => matcher.regex.test(subject));
      if (hit) return hit.glob;
      const slash = subject.lastIndexOf('/');
      if (slash < 0) return undefined;
      subject = subject.slice(0, slash);
    }
  }
}
