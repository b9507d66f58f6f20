/**
 * The related files a completion shows the model before the current one: what the file
 * imports (the context engine's resolver), then the files edited lately, then the other
 * open files. Each passes the access decision (ignore and secret rules) first; a file it
 * refuses is never read into a prompt.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Snippet } from '../../core/completion/fimFormat';
import { resolveImports } from '../../core/context/rank/imports';
import type { WorkspaceRoot } from '../../core/edits/paths';
import type { AccessDecider } from '../workspace/accessService';
import { refusal } from '../workspace/accessService';
import type { RecentEdits } from '../workspace/editorSignals';
import { workspaceRoots } from '../workspacePaths';

const MAX_FILES = 6;
/** More than the budget ever takes from one file; the packer cuts by tokens. */
const MAX_CHARS = 12_000;
const MAX_FILE_BYTES = 256 * 1024;
const FRESH_MS = 3000;

export interface Located {
  readonly root: WorkspaceRoot;
  /** Folder-relative POSIX path. */
  readonly relative: string;
}

export function locate(uri: vscode.Uri): Located | undefined {
  if (uri.scheme !== 'file') return undefined;
  for (const root of workspaceRoots()) {
    const relative = path.relative(root.path, uri.fsPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative))
      return { root, relative: relative.split(path.sep).join('/') };
  }
  return undefined;
}

export class RelatedFiles {
  private readonly imports = new Map<string, { version: number; paths: string[] }>();
  private readonly recentAnswers = new Map<string, { at: number; snippets: Promise<Snippet[]> }>();
  private readonly allowed = new Map<string, { at: number; allowed: Promise<boolean> }>();

  constructor(
    private readonly access: AccessDecider,
    private readonly recent: RecentEdits,
  ) {}

  /** Whether a file may go into a prompt (remembered for a few seconds: this is asked on every pause). */
  mayRead(place: Located): Promise<boolean> {
    const key = `${place.root.path}\n${place.relative}`;
    const known = this.allowed.get(key);
    if (known && performance.now() - known.at < FRESH_MS) return known.allowed;
    const allowed = this.access
      .decide(place.root, place.relative, 'mention')
      .then((decision) => refusal(decision) === undefined)
      .catch(() => false);
    this.allowed.set(key, { at: performance.now(), allowed });
    return allowed;
  }

  /** The decision with the file's content (content rules see the text that would be sent). */
  private async allows(place: Located, text: string): Promise<boolean> {
    try {
      return refusal(await this.access.decide(place.root, place.relative, 'mention', { text })) === undefined;
    } catch {
      return false;
    }
  }

  snippets(document: vscode.TextDocument): Promise<Snippet[]> {
    const key = document.uri.toString();
    const known = this.recentAnswers.get(key);
    if (known && performance.now() - known.at < FRESH_MS) return known.snippets;
    const snippets = this.gather(document).catch(() => []);
    this.recentAnswers.set(key, { at: performance.now(), snippets });
    return snippets;
  }

  private async gather(document: vscode.TextDocument): Promise<Snippet[]> {
    const here = locate(document.uri);
    if (!here) return [];
    const candidates = new Set<string>();
    for (const rel of this.importsOf(document, here)) candidates.add(path.join(here.root.path, rel));
    for (const file of this.recent.paths()) candidates.add(file);
    for (const open of vscode.workspace.textDocuments) if (open.uri.scheme === 'file') candidates.add(open.uri.fsPath);
    candidates.delete(document.uri.fsPath);
    const out: Snippet[] = [];
    for (const file of candidates) {
      if (out.length >= MAX_FILES) break;
      const place = locate(vscode.Uri.file(file));
      if (!place || place.root.path !== here.root.path) continue;
      const text = await this.text(file);
      if (!text?.trim() || !(await this.allows(place, text))) continue;
      out.push({ path: place.relative, text: text.slice(0, MAX_CHARS) });
    }
    return out;
  }

  private importsOf(document: vscode.TextDocument, here: Located): string[] {
    const key = document.uri.toString();
    const known = this.imports.get(key);
    if (known?.version === document.version) return known.paths;
    const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 400), 0));
    const paths = resolveImports(here.relative, head, (rel) => existsSync(path.join(here.root.path, rel)));
    this.imports.set(key, { version: document.version, paths });
    return paths;
  }

  private async text(file: string): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'file' && doc.uri.fsPath === file);
    if (open) return open.getText();
    try {
      if ((await stat(file)).size > MAX_FILE_BYTES) return undefined;
      return await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  }
}
