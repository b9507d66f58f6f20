/**
 * The project's instruction files and custom slash commands, read from the workspace
 * through the access policy (a secret or ignored file is never loaded) and from the
 * user's own file in the extension's global storage. Files are read again whenever
 * their size or modification time changes, so an edited QWEN.md counts from the next
 * request on. In an untrusted workspace nothing from the workspace is read until the
 * user clicks Load (or trusts it): instruction files are the easiest prompt injection.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { AccessDecider } from './workspace/accessService';
import {
  assembleInstructions,
  INSTRUCTION_BUDGET,
  type InstructionFile,
  type InstructionItem,
  instructionKey,
} from '../core/instructions/assemble';
import {
  COMMANDS_FOLDER,
  type InstructionCandidate,
  instructionCandidates,
  RULES_FOLDER,
  USER_FILE_NAME,
} from '../core/instructions/discovery';
import type { SystemPromptParts } from '../core/instructions/prompt';
import type { TokenCounter } from '../core/context/tokens/tokenCounter';
import { type CustomCommand, parseCommandFile } from '../core/slash/customCommands';
import type { WorkspaceRoot } from '../core/edits';

/** Larger files are not instructions anyone wrote by hand; they are not read. */
const MAX_FILE_BYTES = 512 * 1024;

export interface InstructionsDeps {
  readonly access: AccessDecider;
  readonly roots: () => WorkspaceRoot[];
  /** The model's token counter (the project tokenizer for Qwen). */
  counter(model: string): Promise<TokenCounter>;
  /** Folder of the user-level file (the extension's global storage). */
  readonly userFolder: vscode.Uri;
  readonly isTrusted: () => boolean;
  readonly budget?: number;
  log(line: string): void;
}

type Read =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly missing: true }
  | { readonly ok: false; readonly missing: false; readonly reason: string };

interface CachedText {
  readonly stamp: string;
  readonly text: string;
}

export class InstructionsService {
  /** The user pressed Load in an untrusted workspace: its files count for this window. */
  private loadedAnyway = false;
  private readonly cache = new Map<string, CachedText>();

  constructor(private readonly deps: InstructionsDeps) {}

  /** True when workspace files may be read now. */
  get workspaceAllowed(): boolean {
    return this.deps.isTrusted() || this.loadedAnyway;
  }

  loadAnyway(): void {
    this.loadedAnyway = true;
  }

  get userFile(): vscode.Uri {
    return vscode.Uri.joinPath(this.deps.userFolder, USER_FILE_NAME);
  }

  /** The system prompt's instruction section and its ledger rows, for `model`. */
  async assemble(model: string): Promise<{ text: string; items: InstructionItem[] }> {
    const files = await this.files();
    const counter = await this.deps.counter(model);
    const assembled = assembleInstructions(files.loaded, counter, this.deps.budget ?? INSTRUCTION_BUDGET);
    return { text: assembled.text, items: [...assembled.items, ...files.skipped] };
  }

  /** `base(instructions)` is the whole system prompt; the result carries the rows for the ledger. */
  async systemPrompt(model: string, base: (instructions: string) => string): Promise<SystemPromptParts> {
    try {
      const { text, items } = await this.assemble(model);
      return { text: base(text), instructions: items };
    } catch (error) {
      this.deps.log(`instructions: could not be read: ${String(error)}`);
      return { text: base(''), instructions: [] };
    }
  }

  /** Instruction files and command files in the workspace that were not read because it is untrusted. */
  async withheld(): Promise<string[]> {
    if (this.workspaceAllowed) return [];
    const candidates = await this.candidates();
    const commands = await this.commandFiles();
    const out: string[] = [];
    for (const candidate of candidates)
      if (candidate.source !== 'user' && (await exists(this.absolute(candidate)))) out.push(this.title(candidate));
    for (const command of commands) out.push(command.title);
    return out;
  }

  /** Custom commands from each root's `.qcoder/commands/*.md`; `problems` names files that could not be used. */
  async commands(): Promise<{ commands: CustomCommand[]; problems: string[] }> {
    if (!this.workspaceAllowed) return { commands: [], problems: [] };
    const commands: CustomCommand[] = [];
    const problems: string[] = [];
    for (const file of await this.commandFiles()) {
      const read = await this.read(file.root, file.relative);
      if (!read.ok) {
        if (!read.missing) problems.push(`${file.title}: ${read.reason}`);
        continue;
      }
      const parsed = parseCommandFile(nodePath.posix.basename(file.relative), read.text, file.title);
      if (!parsed.ok) problems.push(parsed.problem);
      else if (!commands.some((command) => command.name === parsed.command.name)) commands.push(parsed.command);
    }
    return { commands, problems };
  }

  private async files(): Promise<{ loaded: InstructionFile[]; skipped: InstructionItem[] }> {
    const loaded: InstructionFile[] = [];
    const skipped: InstructionItem[] = [];
    const allowed = this.workspaceAllowed;
    for (const candidate of await this.candidates()) {
      const title = this.title(candidate);
      if (!allowed && candidate.source !== 'user') {
        if (await exists(this.absolute(candidate)))
          skipped.push(notLoaded(candidate, title, 'not loaded: untrusted workspace'));
        continue;
      }
      const read = await this.readCandidate(candidate);
      if (read.ok) loaded.push({ ...candidate, title, text: read.text });
      else if (!read.missing) skipped.push(notLoaded(candidate, title, `not loaded: ${read.reason}`));
    }
    return { loaded, skipped };
  }

  private async candidates(): Promise<InstructionCandidate[]> {
    const roots = this.deps.roots();
    const rules = new Map<string, string[]>();
    for (const root of roots) rules.set(root.name, await listMarkdown(nodePath.join(root.path, RULES_FOLDER)));
    return instructionCandidates({
      roots: roots.map((root) => root.name),
      activeFile: this.activeFile(roots),
      rules,
      user: true,
    });
  }

  private async commandFiles(): Promise<{ root: WorkspaceRoot; relative: string; title: string }[]> {
    const roots = this.deps.roots();
    const out: { root: WorkspaceRoot; relative: string; title: string }[] = [];
    for (const root of roots)
      for (const name of await listMarkdown(nodePath.join(root.path, COMMANDS_FOLDER))) {
        const relative = `${COMMANDS_FOLDER}/${name}`;
        out.push({ root, relative, title: roots.length > 1 ? `${root.name}/${relative}` : relative });
      }
    return out;
  }

  private activeFile(roots: readonly WorkspaceRoot[]): { root: string; relative: string } | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme !== 'file') return undefined;
    for (const root of roots) {
      const relative = nodePath.relative(root.path, uri.fsPath);
      if (relative && !relative.startsWith('..') && !nodePath.isAbsolute(relative))
        return { root: root.name, relative: relative.split(nodePath.sep).join('/') };
    }
    return undefined;
  }

  private title(candidate: InstructionCandidate): string {
    if (candidate.source === 'user') return `your ${USER_FILE_NAME} (all workspaces)`;
    return this.deps.roots().length > 1 ? `${candidate.root}/${candidate.relative}` : candidate.relative;
  }

  private absolute(candidate: InstructionCandidate): string {
    if (candidate.source === 'user') return this.userFile.fsPath;
    const root = this.deps.roots().find((each) => each.name === candidate.root);
    return root ? nodePath.join(root.path, candidate.relative) : '';
  }

  private async readCandidate(candidate: InstructionCandidate): Promise<Read> {
    if (candidate.source === 'user') return this.readCached(this.userFile.fsPath, async () => undefined);
    const root = this.deps.roots().find((each) => each.name === candidate.root);
    if (!root) return { ok: false, missing: true };
    return this.read(root, candidate.relative);
  }

  /** A workspace file through the access policy: its path and its content are checked. */
  private read(root: WorkspaceRoot, relative: string): Promise<Read> {
    return this.readCached(nodePath.join(root.path, relative), async (text) => {
      const decision = await this.deps.access.decide(root, relative, 'read', { text });
      if (decision.allowed) return undefined;
      return decision.hidden ? 'the secret rules keep it from the model' : (decision.reason ?? 'access denied');
    });
  }

  /** The file's text, read again only when its size or modification time changed; `denied` is asked every time. */
  private async readCached(path: string, denied: (text: string) => Promise<string | undefined>): Promise<Read> {
    let stamp: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) return { ok: false, missing: true };
      if (info.size > MAX_FILE_BYTES)
        return { ok: false, missing: false, reason: `larger than ${MAX_FILE_BYTES / 1024} KB` };
      stamp = `${info.size}:${info.mtimeMs}`;
    } catch {
      return { ok: false, missing: true };
    }
    try {
      const cached = this.cache.get(path);
      const text = cached?.stamp === stamp ? cached.text : await readFile(path, 'utf8');
      this.cache.set(path, { stamp, text });
      const reason = await denied(text);
      return reason ? { ok: false, missing: false, reason } : { ok: true, text };
    } catch (error) {
      return { ok: false, missing: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

function notLoaded(candidate: InstructionCandidate, title: string, note: string): InstructionItem {
  return { key: instructionKey(candidate), title, tokens: 0, included: false, note };
}

async function exists(path: string): Promise<boolean> {
  if (!path) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The `.md` file names in a folder (none when it is missing). */
async function listMarkdown(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && /\.md$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
