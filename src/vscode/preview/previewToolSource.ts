/**
 * Offers `preview_page` when a Chromium-family browser is on the machine (looked up again before
 * each message: the user may install one or set `qcoder.browser.executablePath`). Without one the
 * agent is not offered the tool, and the log says how to point QCoder at a browser.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { InteractiveTool, ToolSource } from '../../core/agent/toolRunner';
import { findBrowser } from '../../core/preview/browserPath';
import { previewTool, type PreviewToolDeps } from '../../core/preview/previewTool';
import { PreviewSession, type PreviewFiles } from '../../core/preview/session';
import { isTrusted } from '../trust';

export class PreviewToolSource implements ToolSource, vscode.Disposable {
  tools: readonly InteractiveTool[] = [];
  private sessionFor?: { readonly path: string; readonly session: PreviewSession };
  private told?: string;
  private readonly tool: InteractiveTool;
  /** Hosts the user allowed for this VS Code session (from the Preview panel). */
  readonly allowedHosts = new Set<string>();

  constructor(
    private readonly files: PreviewFiles,
    deps: Omit<PreviewToolDeps, 'session'>,
    private readonly log: (line: string) => void,
  ) {
    this.tool = previewTool({ ...deps, session: () => this.session() });
  }

  async refresh(reserved: ReadonlySet<string>): Promise<void> {
    // A previewed page runs the workspace's scripts (and may reach loopback servers): not in Restricted Mode.
    if (!isTrusted()) {
      this.tools = [];
      return;
    }
    const lookup = this.lookup();
    if (lookup.found && !reserved.has(this.tool.schema.name)) {
      this.tools = [this.tool];
      return;
    }
    this.tools = [];
    if (!lookup.found && this.told !== lookup.message) this.log(`preview_page is not offered: ${lookup.message}`);
    if (!lookup.found) this.told = lookup.message;
  }

  /** The session's page, for the panel's Simple Browser button. */
  get url(): string | undefined {
    return this.sessionFor?.session.url;
  }

  dispose(): void {
    void this.sessionFor?.session.dispose();
    this.sessionFor = undefined;
  }

  private lookup() {
    const setting = vscode.workspace.getConfiguration('qcoder').get<string>('browser.executablePath');
    return findBrowser(setting, existsSync);
  }

  private session(): PreviewSession {
    if (!isTrusted()) throw new Error('this workspace is not trusted, so QCoder runs none of its pages');
    const lookup = this.lookup();
    if (!lookup.found) throw new Error(lookup.message);
    if (this.sessionFor?.path !== lookup.path) {
      void this.sessionFor?.session.dispose();
      const session = new PreviewSession({
        executablePath: lookup.path,
        files: this.files,
        allowedHosts: () => this.allowedHosts,
      });
      this.sessionFor = { path: lookup.path, session };
    }
    return this.sessionFor.session;
  }
}
