/**
 * Every file QCoder may use, across all workspace folders, with the policy that
 * decided it. Built once by listing; kept fresh by the host's file watcher through
 * `onDidCreate` / `onDidDelete` / `onDidChange` instead of walking again.
 */
import { breather } from '../../util/breathe';
import { join, sep } from 'node:path';
import { AccessPolicy, DEFAULT_MAX_FILE_BYTES, FolderRules } from './accessPolicy';
import type { DenyRule } from './builtinRules';
import { type FolderListing, type ListStrategy, listFolder } from './listFiles';
import type { SecretPatterns } from './secretRules';
import { type FileLocation, FolderSet, type WorkspaceFolder, type WorkspaceReader } from './workspace';

export interface IndexOptions {
  readonly rgPath?: string;
  /** Use `git ls-files` in git work trees (default true). */
  readonly git?: boolean;
  /** `files.exclude` globs (those set to true), per folder name or for all folders. */
  readonly excludeGlobs?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  readonly maxFileBytes?: number;
  /** The user's secret patterns (`compileSecretPatterns` of `qcoder.secrets.extraPatterns`). */
  readonly secrets?: SecretPatterns;
  readonly signal?: AbortSignal;
}

export interface IndexStats {
  readonly strategies: Readonly<Record<string, ListStrategy>>;
  readonly listed: number;
  readonly allowed: number;
  readonly denied: Readonly<Partial<Record<DenyRule, number>>>;
  readonly ms: number;
}

const IGNORE_FILES = new Set(['.gitignore', '.qcoderignore']);

export class WorkspaceIndex {
  /** Display path → location, in display-path order after a build. */
  private readonly entries = new Map<string, FileLocation>();
  private version = 0;
  private readonly fileListeners = new Set<(displayPath: string) => void>();

  private constructor(
    readonly folders: FolderSet,
    readonly policy: AccessPolicy,
    readonly reader: WorkspaceReader,
    private readonly options: IndexOptions,
    public stats: IndexStats,
  ) {}

  static async build(
    folders: readonly WorkspaceFolder[],
    reader: WorkspaceReader,
    options: IndexOptions = {},
  ): Promise<WorkspaceIndex> {
    const started = performance.now();
    const set = new FolderSet(folders);
    const rules = folders.map((folder) => new FolderRules(folder, excludeFor(folder, options.excludeGlobs)));
    const policy = new AccessPolicy(set, rules, {
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    const listings = await Promise.all(rules.map((folderRules) => listFolder(folderRules, { ...options, reader })));
    const index = new WorkspaceIndex(set, policy, reader, options, {
      strategies: {},
      listed: 0,
      allowed: 0,
      denied: {},
      ms: 0,
    });
    const denied: Partial<Record<DenyRule, number>> = {};
    const breathe = breather();
    let listed = 0;
    for (const [i, listing] of listings.entries()) {
      const folderRules = rules[i];
      if (listing.strategy !== 'walk') await loadIgnoreFiles(folderRules, listing.files, reader);
      if (listing.strategy === 'git') folderRules.gitListed = new Set(listing.files);
      listed += listing.files.length;
      const links = await deniedLinks(policy, reader, folderRules.folder, listing);
      for (const rel of listing.files) {
        await breathe();
        const linkRule = links.get(rel);
        const denial = linkRule ? { rule: linkRule } : policy.checkRelative(folderRules.folder, rel);
        if (denial) denied[denial.rule] = (denied[denial.rule] ?? 0) + 1;
        else
          index.entries.set(set.display(folderRules.folder, rel), {
            folder: folderRules.folder,
            rel,
            abs: absolute(folderRules.folder.root, rel),
          });
      }
    }
    const strategies = Object.fromEntries(listings.map((listing, i) => [folders[i].name, listing.strategy]));
    index.stats = { strategies, listed, allowed: index.entries.size, denied, ms: performance.now() - started };
    return index;
  }

  /** Bumped on every change, so callers can tell a stale ranking. */
  get generation(): number {
    return this.version;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Called with the display path of every file created, changed or deleted (from the host's watcher). */
  onDidChangeFile(listener: (displayPath: string) => void): () => void {
    this.fileListeners.add(listener);
    return () => this.fileListeners.delete(listener);
  }

  private fileChanged(displayPath: string): void {
    for (const listener of this.fileListeners) listener(displayPath);
  }

  /** Display paths of every allowed file. */
  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  get(displayPath: string): FileLocation | undefined {
    return this.entries.get(displayPath);
  }

  has(displayPath: string): boolean {
    return this.entries.has(displayPath);
  }

  /** The display path of an absolute path, if the file is in the index. */
  displayOf(abs: string): string | undefined {
    const location = this.folders.locate(abs);
    if (!location) return undefined;
    const display = this.folders.display(location.folder, location.rel);
    return this.entries.has(display) ? display : undefined;
  }

  async onDidCreate(abs: string): Promise<void> {
    const location = this.folders.locate(abs);
    if (!location) return;
    if (isIgnoreFile(location.rel)) return this.onDidChange(abs);
    const stat = await this.reader.stat(abs);
    if (!stat || stat.isDirectory) return;
    if ((await this.policy.decide(abs, 'list')).allowed) {
      const display = this.folders.display(location.folder, location.rel);
      this.entries.set(display, location);
      this.version++;
      this.fileChanged(display);
    }
  }

  async onDidDelete(abs: string): Promise<void> {
    const location = this.folders.locate(abs);
    if (!location) return;
    const prefix = this.folders.display(location.folder, location.rel);
    if (this.entries.delete(prefix)) this.fileChanged(prefix);
    // A deleted folder takes everything below it. A file's deletion does not look further: 100,000 files deleted
    // one event at a time would otherwise scan the whole index 100,000 times.
    else
      for (const path of [...this.entries.keys()]) {
        if (path.startsWith(`${prefix}/`)) {
          this.entries.delete(path);
          this.fileChanged(path);
        }
      }
    this.version++;
    if (isIgnoreFile(location.rel)) await this.refreshFolder(location.folder);
  }

  /**
   * A file's content changed: listeners (the lexical index) read it again. An ignore file changed: that
   * folder is listed again under the new rules (rare, so a full re-list is fine).
   */
  async onDidChange(abs: string): Promise<void> {
    const location = this.folders.locate(abs);
    if (!location) return;
    if (!isIgnoreFile(location.rel)) {
      const display = this.folders.display(location.folder, location.rel);
      if (this.entries.has(display)) this.fileChanged(display);
      return;
    }
    await this.refreshFolder(location.folder);
  }

  async refreshFolder(folder: WorkspaceFolder): Promise<void> {
    const fresh = new FolderRules(folder, excludeFor(folder, this.options.excludeGlobs));
    const listing = await listFolder(fresh, { ...this.options, reader: this.reader });
    const rules = this.policy.rulesOf(folder);
    rules.gitignore.clear();
    rules.qcoderignore.clear();
    if (listing.strategy === 'walk') {
      rules.gitignore.copyFrom(fresh.gitignore);
      rules.qcoderignore.copyFrom(fresh.qcoderignore);
    } else {
      await loadIgnoreFiles(rules, listing.files, this.reader);
    }
    rules.gitListed = listing.strategy === 'git' ? new Set(listing.files) : undefined;
    for (const [path, entry] of [...this.entries]) if (entry.folder === folder) this.entries.delete(path);
    const links = await deniedLinks(this.policy, this.reader, folder, listing);
    for (const rel of listing.files) {
      if (!links.has(rel) && !this.policy.checkRelative(folder, rel))
        this.entries.set(this.folders.display(folder, rel), { folder, rel, abs: absolute(folder.root, rel) });
    }
    this.version++;
  }
}

const LINK_CHECKS_AT_ONCE = 64;

/**
 * git lists a symbolic link as a file (ripgrep and the walk skip them): each one stays in
 * the index only if what it leads to may be read (path and content rules on the real file),
 * so nothing that reads the index (search, ranking, @-completion) touches a file outside,
 * a folder, or a secret behind a link.
 */
async function deniedLinks(
  policy: AccessPolicy,
  reader: WorkspaceReader,
  folder: WorkspaceFolder,
  listing: FolderListing,
): Promise<Map<string, DenyRule>> {
  const denied = new Map<string, DenyRule>();
  if (listing.strategy !== 'git') return denied;
  let next = 0;
  const worker = async () => {
    while (next < listing.files.length) {
      const rel = listing.files[next++];
      const abs = absolute(folder.root, rel);
      if (!(await policy.isSymbolicLink(abs))) continue;
      const read = await policy.read(abs, reader, { op: 'list' }).catch(() => undefined);
      if (!read?.allowed) denied.set(rel, read?.rule ?? 'unverifiable');
    }
  };
  await Promise.all(Array.from({ length: LINK_CHECKS_AT_ONCE }, worker));
  return denied;
}

/** `join` without normalising: listings are already clean, and this runs for every file. */
function absolute(root: string, rel: string): string {
  return sep === '/' ? `${root.endsWith('/') ? root.slice(0, -1) : root}/${rel}` : join(root, rel);
}

function isIgnoreFile(rel: string): boolean {
  return IGNORE_FILES.has(rel.slice(rel.lastIndexOf('/') + 1));
}

function excludeFor(folder: WorkspaceFolder, globs: IndexOptions['excludeGlobs']): readonly string[] {
  if (!globs) return [];
  if (Array.isArray(globs)) return globs;
  return (globs as Readonly<Record<string, readonly string[]>>)[folder.name] ?? [];
}

/** Reads the ignore files a listing contains (and git's info/exclude) into the folder's rules. */
async function loadIgnoreFiles(rules: FolderRules, files: readonly string[], reader: WorkspaceReader): Promise<void> {
  const found = files.filter(isIgnoreFile);
  const decoder = new TextDecoder();
  const infoExclude = await reader.readFile(join(rules.folder.root, '.git', 'info', 'exclude')).catch(() => undefined);
  const texts = await Promise.all(
    found.map((rel) => reader.readFile(join(rules.folder.root, rel)).catch(() => undefined)),
  );
  for (const [i, rel] of found.entries()) {
    const bytes = texts[i];
    if (!bytes) continue;
    const base = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    const isGit = rel.endsWith('.gitignore');
    const prefix = isGit && base === '' && infoExclude ? `${decoder.decode(infoExclude)}\n` : '';
    (isGit ? rules.gitignore : rules.qcoderignore).set(base, prefix + decoder.decode(bytes));
  }
  if (infoExclude && !found.includes('.gitignore')) rules.gitignore.set('', decoder.decode(infoExclude));
}
