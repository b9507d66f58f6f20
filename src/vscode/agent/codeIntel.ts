/**
 * The agent's code tools over VS Code's language services: the Problems panel's diagnostics and
 * the workspace symbol, definition and reference providers. A file named by the model is resolved
 * and checked the way read_file does it and opened first (language servers answer for open
 * documents); every file in an answer passes the access decision on its name and its content
 * before the core shows it. A language server that has not answered yet is said to be starting.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type {
  CodeIntel,
  CodeLocation,
  CodePosition,
  IntelResult,
  LineRange,
  Problem,
  Severity,
} from '../../core/agent/codeIntel';
import { isInside, type WorkspaceRoot } from '../../core/edits';
import { type AccessDecider, refusal } from '../workspace/accessService';
import { displayPath, locate, readCurrent, workspaceRoots } from '../workspacePaths';

/** How long a newly opened file waits for its first diagnostics. */
const DIAGNOSTICS_WAIT_MS = 4000;
/** A provider that returned nothing for a language never heard from is asked again this often. */
const COLD_RETRIES = 3;
const COLD_RETRY_MS = 1500;
/** File texts read for the access check are reused for line previews for this long. */
const TEXT_CACHE_MS = 10_000;

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export class VsCodeCodeIntel implements CodeIntel {
  /** Languages whose providers have answered with something at least once. */
  private readonly answered = new Set<string>();
  private readonly texts = new Map<string, { text: string; at: number }>();

  constructor(
    private readonly access: AccessDecider,
    private readonly roots: () => WorkspaceRoot[] = workspaceRoots,
  ) {}

  async problems(path?: string): Promise<IntelResult<Problem>> {
    if (!path) {
      const items = vscode.languages.getDiagnostics().flatMap(([uri, list]) => problemsOf(uri, list));
      return {
        ok: true,
        items,
        note:
          'diagnostics come from the files the language servers have checked (usually the open ' +
          'ones); give a path to check one file',
      };
    }
    const opened = await this.open(path);
    if (!opened.ok) return opened;
    const { uri, document } = opened;
    let list = vscode.languages.getDiagnostics(uri);
    let note: string | undefined;
    if (list.length === 0 && !inTab(uri)) {
      // Language servers (TypeScript's among them) check only the files shown in a tab: show it, keep the focus.
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
      const reported = await diagnosticsChanged(uri, DIAGNOSTICS_WAIT_MS);
      list = vscode.languages.getDiagnostics(uri);
      if (!reported && list.length === 0)
        note = `no language server has reported on ${path} yet; it may still be starting (try again in a few seconds)`;
    }
    return { ok: true, items: problemsOf(uri, list), ...(note ? { note } : {}) };
  }

  async symbols(query: string): Promise<IntelResult<CodeLocation>> {
    const found = await this.cold('*', () =>
      vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>(
        'vscode.executeWorkspaceSymbolProvider',
        query,
      ),
    );
    const items = (found.items ?? [])
      .filter((symbol) => symbol.location.uri.scheme === 'file')
      .map((symbol): CodeLocation => ({
        file: symbol.location.uri.fsPath,
        range: lineRange(symbol.location.range),
        name: symbol.name,
        kind: vscode.SymbolKind[symbol.kind]?.toLowerCase(),
        ...(symbol.containerName ? { container: symbol.containerName } : {}),
      }));
    // Language servers search the projects they have loaded, which are those of the open files.
    const note =
      found.note ??
      (items.length === 0
        ? 'symbols come from the projects whose files are open; open or read one and ask again'
        : undefined);
    return { ok: true, items, ...(note ? { note } : {}) };
  }

  async definitions(at: CodePosition): Promise<IntelResult<CodeLocation>> {
    const opened = await this.open(at.path);
    if (!opened.ok) return opened;
    const found = await this.cold(opened.document.languageId, () =>
      vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(
        'vscode.executeDefinitionProvider',
        opened.uri,
        position(at),
      ),
    );
    return { ok: true, items: locations(found.items ?? []), ...(found.note ? { note: found.note } : {}) };
  }

  async references(at: CodePosition, includeDeclaration: boolean): Promise<IntelResult<CodeLocation>> {
    const opened = await this.open(at.path);
    if (!opened.ok) return opened;
    const found = await this.cold(opened.document.languageId, () =>
      vscode.commands.executeCommand<vscode.Location[] | undefined>(
        'vscode.executeReferenceProvider',
        opened.uri,
        position(at),
      ),
    );
    let items = locations(found.items ?? []);
    if (!includeDeclaration && items.length > 0) {
      // The command always includes the declaration: leave out what the definition provider names.
      const definitions = await this.definitions(at);
      const declared = new Set(definitions.ok ? definitions.items.map(startKey) : []);
      items = items.filter((item) => !declared.has(startKey(item)));
    }
    return { ok: true, items, ...(found.note ? { note: found.note } : {}) };
  }

  /** Allowed by name and by content (a file holding a credential is not shown either). */
  async displayPath(file: string): Promise<string | undefined> {
    const roots = this.roots();
    const root = roots.find((each) => isInside(each.path, file));
    if (!root) return undefined;
    const relative = nodePath.relative(root.path, file).split(nodePath.sep).join('/');
    if (!(await this.access.decide(root, relative, 'search')).allowed) return undefined;
    const current = await readCurrent(vscode.Uri.file(file), relative);
    if (!current.exists || !current.ok) return undefined;
    if (refusal(await this.access.decide(root, relative, 'search', { text: current.text }))) return undefined;
    this.remember(file, current.text);
    return displayPath(root, relative, roots);
  }

  async lineText(file: string, line: number): Promise<string | undefined> {
    const cached = this.texts.get(file);
    if (!cached || Date.now() - cached.at > TEXT_CACHE_MS) return undefined;
    return cached.text.split(/\r?\n/)[line - 1];
  }

  private remember(file: string, text: string): void {
    const now = Date.now();
    for (const [key, value] of this.texts) if (now - value.at > TEXT_CACHE_MS) this.texts.delete(key);
    this.texts.set(file, { text, at: now });
  }

  /** Resolves the model's path like read_file (access rules included) and opens the document. */
  private async open(
    path: string,
  ): Promise<{ ok: true; uri: vscode.Uri; document: vscode.TextDocument } | { ok: false; reason: string }> {
    const located = await locate(
      path,
      async (root, relative) => refusal(await this.access.decide(root, relative, 'read')),
      this.roots(),
    );
    if (!located.ok) return { ok: false, reason: located.message };
    try {
      const document = await vscode.workspace.openTextDocument(located.uri);
      const denied = refusal(
        await this.access.decide(located.root, located.location.relative, 'read', { text: document.getText() }),
      );
      if (denied) return { ok: false, reason: `${located.location.display} is off limits to QCoder: ${denied}.` };
      return { ok: true, uri: located.uri, document };
    } catch (error) {
      return { ok: false, reason: `${located.location.display} could not be opened: ${String(error)}` };
    }
  }

  /**
   * Asks a provider; while the language has never answered, an empty answer is asked again a few
   * times (its server may be loading the project) and then reported as possibly still starting.
   */
  private async cold<T>(
    language: string,
    ask: () => Thenable<T[] | undefined>,
  ): Promise<{ items?: T[]; note?: string }> {
    for (let attempt = 0; ; attempt++) {
      const items = await ask();
      if (items && items.length > 0) {
        this.answered.add(language);
        return { items };
      }
      if (this.answered.has(language)) return { items: [] };
      if (attempt >= COLD_RETRIES)
        return {
          items: [],
          note:
            `no language server has answered yet${language === '*' ? '' : ` for ${language}`}; it may still be ` +
            `starting (try again in a few seconds), or none is installed for these files`,
        };
      await new Promise((resolve) => setTimeout(resolve, COLD_RETRY_MS));
    }
  }
}

function problemsOf(uri: vscode.Uri, list: readonly vscode.Diagnostic[]): Problem[] {
  if (uri.scheme !== 'file') return [];
  return list.map((diagnostic) => ({
    file: uri.fsPath,
    severity: SEVERITY[diagnostic.severity],
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(diagnostic.code !== undefined ? { code: codeOf(diagnostic.code) } : {}),
    range: lineRange(diagnostic.range),
  }));
}

function codeOf(code: NonNullable<vscode.Diagnostic['code']>): string {
  return typeof code === 'object' ? String(code.value) : String(code);
}

const lineRange = (range: vscode.Range): LineRange => ({
  startLine: range.start.line + 1,
  endLine: range.end.line + 1,
  startColumn: range.start.character + 1,
  endColumn: range.end.character + 1,
});

const position = (at: CodePosition) => new vscode.Position(at.line - 1, Math.max(0, at.column - 1));

function locations(found: readonly (vscode.Location | vscode.LocationLink)[]): CodeLocation[] {
  return found
    .map((item) =>
      'targetUri' in item ? { uri: item.targetUri, range: item.targetRange } : { uri: item.uri, range: item.range },
    )
    .filter(({ uri }) => uri.scheme === 'file')
    .map(({ uri, range }) => ({ file: uri.fsPath, range: lineRange(range) }));
}

const startKey = (location: CodeLocation) => `${location.file}:${location.range.startLine}`;

function inTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key),
  );
}

/** Resolves true when `uri`'s diagnostics change within `ms`. */
function diagnosticsChanged(uri: vscode.Uri, ms: number): Promise<boolean> {
  const key = uri.toString();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(false);
    }, ms);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((each) => each.toString() === key)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(true);
    });
  });
}
