/**
 * Checkpoints: the bytes of every file a turn's edit touched, taken right before it lands,
 * kept in the workspace's storage folder so "Undo this turn" still works after a reload.
 * A file the turn created is recorded as "did not exist". The hash of each file after the
 * edit tells whether someone changed it since, in which case undo asks before overwriting.
 */
import * as vscode from 'vscode';
import { nodeSessionFiles } from '../../core/session/nodeFiles';
import { checkpointSweeper, type TemporarySweeper } from '../../core/session/temporaries';
import type { ReviewView } from '../../core/protocol';
import { sha256 } from '../../core/review/texts';
import { exists, openDocument } from '../workspacePaths';

export interface PreImage {
  readonly uri: string;
  readonly display: string;
  readonly existed: boolean;
  /** Base64 of the bytes on disk before the edit. */
  readonly bytes?: string;
  /** The editor buffer's text when it had unsaved changes. */
  readonly unsaved?: string;
  /** SHA-256 of the bytes after the edit landed; null: the edit left no file there. */
  after?: string | null;
}

export interface Checkpoint {
  readonly id: string;
  readonly createdAt: number;
  readonly files: PreImage[];
}

interface IndexEntry {
  readonly id: string;
  readonly createdAt: number;
  undone?: boolean;
  /** The review card, so it can be drawn again after a reload. */
  view: ReviewView;
  /** Without a storage folder the checkpoint itself lives here. */
  inline?: Checkpoint;
}

const INDEX_KEY = 'qcoder.checkpoints';
const KEEP = 20;

export async function captureFiles(files: readonly { uri: vscode.Uri; display: string }[]): Promise<PreImage[]> {
  const images: PreImage[] = [];
  const seen = new Set<string>();
  for (const { uri, display } of files) {
    if (seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    const existed = await exists(uri);
    const document = openDocument(uri);
    images.push({
      uri: uri.toString(),
      display,
      existed,
      ...(existed ? { bytes: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('base64') } : {}),
      ...(document?.isDirty ? { unsaved: document.getText() } : {}),
    });
  }
  return images;
}

/** The hash of what is at `uri` now (null: nothing). */
export async function currentHash(uri: vscode.Uri): Promise<string | null> {
  return (await exists(uri)) ? sha256(await vscode.workspace.fs.readFile(uri)) : null;
}

/** Keeps only the files the edit really changed, and records how each looks now. */
export async function sealImages(images: readonly PreImage[]): Promise<PreImage[]> {
  const kept: PreImage[] = [];
  for (const image of images) {
    const after = await currentHash(vscode.Uri.parse(image.uri));
    const before = image.bytes === undefined ? null : sha256(Buffer.from(image.bytes, 'base64'));
    if (after === before && image.unsaved === undefined) continue;
    kept.push({ ...image, after });
  }
  return kept;
}

export class CheckpointStore {
  /** Temporary files of checkpoint writes a kill cut short (see temporaries.ts); none off a local disk. */
  private readonly temporaries: TemporarySweeper | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly folder: vscode.Uri | undefined,
  ) {
    if (folder?.scheme === 'file')
      this.temporaries = checkpointSweeper(vscode.Uri.joinPath(folder, 'checkpoints').fsPath);
  }

  private get index(): IndexEntry[] {
    return this.memento.get<IndexEntry[]>(INDEX_KEY) ?? [];
  }

  private fileOf(id: string): vscode.Uri | undefined {
    return this.folder && vscode.Uri.joinPath(this.folder, 'checkpoints', `${id.replace(/[^\w-]/g, '_')}.json`);
  }

  async save(checkpoint: Checkpoint, view: ReviewView): Promise<void> {
    const file = this.fileOf(checkpoint.id);
    if (file) await writeWhole(file, JSON.stringify(checkpoint));
    this.temporaries?.sweepYoung();
    const entries = [
      ...this.index.filter((entry) => entry.id !== checkpoint.id),
      { id: checkpoint.id, createdAt: checkpoint.createdAt, view, ...(file ? {} : { inline: checkpoint }) },
    ];
    const dropped = entries.splice(0, Math.max(0, entries.length - KEEP));
    await this.memento.update(INDEX_KEY, entries);
    for (const entry of dropped) {
      const old = this.fileOf(entry.id);
      if (old) await vscode.workspace.fs.delete(old).then(undefined, () => undefined);
    }
  }

  async load(id: string): Promise<Checkpoint | undefined> {
    const entry = this.index.find((candidate) => candidate.id === id);
    if (!entry) return undefined;
    if (entry.inline) return entry.inline;
    const file = this.fileOf(id);
    if (!file) return undefined;
    try {
      return JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8')) as Checkpoint;
    } catch {
      return undefined;
    }
  }

  /** The newest checkpoint not yet undone. */
  latest(): string | undefined {
    return this.index.filter((entry) => !entry.undone).at(-1)?.id;
  }

  isUndone(id: string): boolean {
    return this.index.find((entry) => entry.id === id)?.undone === true;
  }

  views(): ReviewView[] {
    return this.index.map((entry) => entry.view);
  }

  async update(id: string, view: ReviewView, undone?: boolean): Promise<void> {
    const entries = this.index.map((entry) =>
      entry.id === id ? { ...entry, view, ...(undone ? { undone } : {}) } : entry,
    );
    await this.memento.update(INDEX_KEY, entries);
  }
}

/**
 * A checkpoint written whole or not at all: on a local disk through a temporary file, fsync
 * and rename (as sessions are), so a crash mid-write cannot leave a torn file that undo
 * cannot read; elsewhere (a virtual file system) through VS Code's own write.
 */
async function writeWhole(file: vscode.Uri, text: string): Promise<void> {
  const folder = vscode.Uri.joinPath(file, '..');
  if (file.scheme === 'file') return nodeSessionFiles(folder.fsPath).write(file.path.split('/').pop()!, text);
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
}
