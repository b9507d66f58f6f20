/**
 * The one answer to "may QCoder read, list, search, pack or change this file?": a file
 * denied here is denied everywhere. `decide` is that answer, on the real path (links
 * followed) and the spelled path alike; `read` is `decide` plus the file's text and its
 * content rules. `check` is the cheap path-only first cut a listing makes before it.
 *
 * How readers and writers use it:
 * - read a file (a tool, the context, a mention, a search hit): `read(path, reader, { op })`,
 *   or `decide(path, op, { text })` when the caller already holds the text; a file whose
 *   text is a secret is denied, so a search shows no line of it;
 * - list: `decide(path, 'list')`, leave out what is denied (`hidden` ones say nothing at all);
 * - change: `decide(path, op)` first, then again with `{ text, newText }` once the new text
 *   is known; `needsApproval` says the user must approve it whatever auto-approve says. A
 *   rename asks for both ends: `rename-from` with the text, `rename-to` with it as `newText`.
 */
import { resolveWorkspacePath } from '../../edits/paths';
import { type AccessDecision, type AccessOp, type DecideOptions, decideOnPaths } from './decision';
import { type DenyRule, HARD_RULES, builtinDenial, isBinaryContent, textDenial } from './builtinRules';
import { GlobSet, IgnoreMatcher } from './ignoreRules';
import { type PathProbe, nodePathProbe, realLocation } from './realPath';
import { NO_EXTRA_PATTERNS, type SecretPatterns } from './secretRules';
import { type FileLocation, FolderSet, type WorkspaceFolder, type WorkspaceReader } from './workspace';

export type { AccessDecision, AccessOp, DecideOptions } from './decision';

export type Verdict =
  | { readonly allowed: true; readonly location: FileLocation }
  | { readonly allowed: false; readonly rule: DenyRule; readonly reason: string };

export type ReadResult =
  | {
      readonly allowed: true;
      readonly location: FileLocation;
      readonly text: string;
      readonly size: number;
      readonly mtimeMs: number;
    }
  | { readonly allowed: false; readonly rule: DenyRule; readonly reason: string };

export interface CheckOptions {
  /** The user named this file (an @-mention): ignore files and built-in noise rules give way; secrets never do. */
  readonly explicit?: boolean;
}

export interface PolicyOptions {
  readonly maxFileBytes?: number;
  /** The user's secret patterns (`compileSecretPatterns` of `qcoder.secrets.extraPatterns`). */
  readonly secrets?: SecretPatterns;
  /** How real paths are found; Node's file system unless a test says otherwise. */
  readonly probe?: PathProbe;
}

/** Ignore state of one workspace folder. */
export class FolderRules {
  readonly gitignore = new IgnoreMatcher();
  readonly qcoderignore = new IgnoreMatcher();
  exclude: GlobSet;
  /** Paths git itself listed as not ignored; git's word beats ours for them. */
  gitListed: ReadonlySet<string> | undefined;

  constructor(
    readonly folder: WorkspaceFolder,
    excludeGlobs: readonly string[] = [],
  ) {
    this.exclude = new GlobSet(excludeGlobs);
  }
}

export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

export class AccessPolicy {
  private readonly rules = new Map<WorkspaceFolder, FolderRules>();
  private readonly maxFileBytes: number;
  private readonly probe: PathProbe;
  private realRoots: Promise<readonly (string | undefined)[]> | undefined;
  secrets: SecretPatterns;

  constructor(
    readonly folders: FolderSet,
    rules: readonly FolderRules[],
    options: PolicyOptions | number = {},
  ) {
    const given = typeof options === 'number' ? { maxFileBytes: options } : options;
    this.maxFileBytes = given.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.probe = given.probe ?? nodePathProbe;
    this.secrets = given.secrets ?? NO_EXTRA_PATTERNS;
    for (const folder of folders.folders)
      this.rules.set(folder, rules.find((r) => r.folder === folder) ?? new FolderRules(folder));
  }

  rulesOf(folder: WorkspaceFolder): FolderRules {
    const found = this.rules.get(folder);
    if (!found) throw new Error(`not a workspace folder: ${folder.root}`);
    return found;
  }

  /** Path rules only: absolute path or display path. */
  check(path: string, options: CheckOptions = {}): Verdict {
    const location = this.folders.locate(path);
    if (!location)
      return { allowed: false, rule: 'outside-workspace', reason: `${path} is outside the workspace folders` };
    const denial = this.denial(location.folder, location.rel, options);
    return denial ? { allowed: false, ...denial } : { allowed: true, location };
  }

  /** Path rules for a folder-relative path, as the walk sees it. */
  checkRelative(
    folder: WorkspaceFolder,
    rel: string,
    options: CheckOptions = {},
  ): { rule: DenyRule; reason: string } | undefined {
    return this.denial(folder, rel, options);
  }

  /**
   * The access decision for `path` (absolute, or a display path) and `op`, on the spelled
   * path and the real one. Pass `text` (what the file holds now) for the content rules and
   * `newText` (what a write would leave there) for the package.json scripts rule.
   */
  async decide(path: string, op: AccessOp, options: DecideOptions = {}): Promise<AccessDecision> {
    const location = this.folders.locate(path);
    if (!location)
      return { allowed: false, rule: 'outside-workspace', reason: `${path} is outside the workspace folders` };
    return decideOnPaths(this.pathRules(), location, op, options);
  }

  /** Whether this absolute path is itself a symbolic link (a listing's entries are decided again if so). */
  isSymbolicLink(abs: string): Promise<boolean> {
    return this.probe.isSymbolicLink(abs);
  }

  /** `decide` for a path as a model or user typed it: relative, absolute or a `file:` URI. */
  async decideInput(input: string, op: AccessOp, options: DecideOptions = {}): Promise<AccessDecision> {
    const roots = this.folders.folders.map((folder) => ({ name: folder.name, path: folder.root }));
    const resolved = resolveWorkspacePath(input, roots);
    if (!resolved.ok) return { allowed: false, rule: 'outside-workspace', reason: resolved.message };
    return this.decide(resolved.absolute, op, options);
  }

  /** Path and content rules (`decide` with `context`, or `mention` when explicit); the text when allowed. */
  async read(
    path: string,
    reader: WorkspaceReader,
    options: CheckOptions & { op?: AccessOp } = {},
  ): Promise<ReadResult> {
    const op = options.op ?? (options.explicit ? 'mention' : 'context');
    const decision = await this.decide(path, op);
    if (!decision.allowed) return denied(decision);
    const location = decision.location!;
    const stat = await reader.stat(location.abs);
    if (!stat || stat.isDirectory) return { allowed: false, rule: 'missing', reason: `${location.rel} is not a file` };
    const open = reader.openDocumentText?.(location.abs);
    if (open === undefined && stat.size > this.maxFileBytes) {
      return {
        allowed: false,
        rule: 'too-large',
        reason:
          `${location.rel} is too large (${sizeText(stat.size)}; QCoder reads files up to ` +
          `${sizeText(this.maxFileBytes)})`,
      };
    }
    let text = open;
    if (text === undefined) {
      const bytes = await reader.readFile(location.abs);
      if (isBinaryContent(bytes))
        return { allowed: false, rule: 'binary', reason: `${location.rel} has binary content` };
      text = new TextDecoder().decode(bytes);
    }
    const content = this.contentDenial(decision, text);
    if (content) return content;
    return { allowed: true, location, text, size: stat.size, mtimeMs: stat.mtimeMs };
  }

  private contentDenial(decision: AccessDecision, text: string): ReadResult | undefined {
    for (const rel of new Set([decision.location!.rel, decision.realRel ?? decision.location!.rel])) {
      const denial = textDenial(rel, text, this.secrets);
      if (denial) return { allowed: false, ...denial };
    }
    return undefined;
  }

  /** What `decideOnPaths` needs of this policy. */
  private pathRules() {
    return {
      denial: (folder: WorkspaceFolder, rel: string, explicit: boolean) => this.denial(folder, rel, { explicit }),
      textDenial: (rel: string, text: string) => textDenial(rel, text, this.secrets),
      real: async (abs: string) => {
        const real = await realLocation(abs, this.probe);
        if (!real.ok) return real;
        return { ...real, location: await this.locateReal(real.real) };
      },
    };
  }

  /** The folder and folder-relative path of a real path, against the folders' own real paths. */
  private async locateReal(real: string): Promise<FileLocation | undefined> {
    this.realRoots ??= Promise.all(
      this.folders.folders.map((folder) => this.probe.realpath(folder.root).catch(() => undefined)),
    );
    const roots = await this.realRoots;
    const folders = this.folders.folders.map((folder, i) => ({ name: folder.name, root: roots[i] }));
    const located = new FolderSet(
      folders.filter((folder): folder is WorkspaceFolder => folder.root !== undefined),
    ).locate(real);
    if (!located) return undefined;
    const folder = this.folders.folders.find((candidate) => candidate.name === located.folder.name)!;
    return { folder, rel: located.rel, abs: located.abs };
  }

  private denial(
    folder: WorkspaceFolder,
    rel: string,
    options: CheckOptions,
  ): { rule: DenyRule; reason: string } | undefined {
    const rules = this.rulesOf(folder);
    const builtin = builtinDenial(rel, this.secrets);
    if (builtin && (HARD_RULES.has(builtin.rule) || !options.explicit)) return builtin;
    if (rules.qcoderignore.ignores(rel)) return { rule: 'qcoderignore', reason: `${rel} is excluded by .qcoderignore` };
    if (options.explicit) return undefined;
    const glob = rules.exclude.match(rel);
    if (glob) return { rule: 'files-exclude', reason: `${rel} matches files.exclude "${glob}"` };
    if (!rules.gitListed?.has(rel) && rules.gitignore.ignores(rel))
      return { rule: 'gitignore', reason: `${rel} is ignored by .gitignore` };
    return undefined;
  }
}

/** A size as a person says it: `900 KB`, `50 MB`, `1 GB`. */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(value < 10 ? 1 : 0))} ${units[unit]}`;
}

/** A denied decision always names its rule and reason. */
function denied(decision: AccessDecision): ReadResult {
  return { allowed: false, rule: decision.rule as DenyRule, reason: decision.reason as string };
}
