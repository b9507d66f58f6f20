/**
 * The one answer to "may QCoder read this file?", for the context walk and for every
 * tool that reads: a file denied here is denied everywhere. `check` decides by path
 * (cheap, for listings); `read` also looks at the file itself (size, binary content,
 * credentials, links that leave the workspace) and returns its text when allowed.
 */
import { type DenyRule, HARD_RULES, builtinDenial, isBinaryContent, textDenial } from './builtinRules';
import { GlobSet, IgnoreMatcher } from './ignoreRules';
import { type FileLocation, FolderSet, type WorkspaceFolder, type WorkspaceReader } from './workspace';

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

  constructor(
    readonly folders: FolderSet,
    rules: readonly FolderRules[],
    private readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {
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

  /** Path and content rules; the text when every rule allows it. */
  async read(path: string, reader: WorkspaceReader, options: CheckOptions = {}): Promise<ReadResult> {
    const verdict = this.check(path, options);
    if (!verdict.allowed) return verdict;
    const { location } = verdict;
    const stat = await reader.stat(location.abs);
    if (!stat || stat.isDirectory) return { allowed: false, rule: 'missing', reason: `${location.rel} is not a file` };
    if (reader.realpath) {
      const real = await reader.realpath(location.abs).catch(() => location.abs);
      if (real !== location.abs && !this.folders.contains(real)) {
        return { allowed: false, rule: 'outside-workspace', reason: `${location.rel} links outside the workspace` };
      }
    }
    const open = reader.openDocumentText?.(location.abs);
    if (open === undefined && stat.size > this.maxFileBytes) {
      return {
        allowed: false,
        rule: 'too-large',
        reason: `${location.rel} is ${Math.round(stat.size / 1024)} KB (limit ${Math.round(this.maxFileBytes / 1024)} KB)`,
      };
    }
    let text = open;
    if (text === undefined) {
      const bytes = await reader.readFile(location.abs);
      if (isBinaryContent(bytes))
        return { allowed: false, rule: 'binary', reason: `${location.rel} has binary content` };
      text = new TextDecoder().decode(bytes);
    }
    const denial = textDenial(location.rel, text);
    if (denial) return { allowed: false, ...denial };
    return { allowed: true, location, text, size: stat.size, mtimeMs: stat.mtimeMs };
  }

  private denial(
    folder: WorkspaceFolder,
    rel: string,
    options: CheckOptions,
  ): { rule: DenyRule; reason: string } | undefined {
    const rules = this.rulesOf(folder);
    const builtin = builtinDenial(rel);
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
