/**
 * Workspace Trust. In Restricted Mode QCoder offers the model read-only tools: the edit
 * tools are not in the request and a proposal that arrives anyway is refused (the review
 * flow refuses to land too); commands are refused by the command tool itself; preview_page is not
 * offered (a previewed page runs the workspace's scripts). Instruction
 * files and custom commands are not read until the user clicks Load. The chat shows a
 * banner saying so, with a button to VS Code's trust editor; granting trust lifts all of
 * it at once, without a reload.
 */
import * as vscode from 'vscode';
import type { ChangeDecision, EditBatch, EditService } from '../core/agent/editService';
import type { HostMessage } from '../core/protocol';
import { DisposableStore } from '../core/util/lifecycle';

export const UNTRUSTED_EDIT_REFUSAL =
  'Refused: this workspace is not trusted (VS Code Restricted Mode), so QCoder does not change files here. ' +
  'Tell the user; they can trust the workspace and ask again.';

export const isTrusted = (): boolean => vscode.workspace.isTrusted;

/** The edit service as the agent sees it: no edit tools offered, and every proposal refused, while untrusted. */
export function gateEdits(inner: EditService, trusted: () => boolean = isTrusted): EditService {
  return {
    get schemas() {
      return trusted() ? inner.schemas : [];
    },
    handles: (tool) => inner.handles(tool),
    title: (tool, args) => inner.title(tool, args),
    begin: () => (trusted() ? inner.begin() : refusingBatch()),
  };
}

function refusingBatch(): EditBatch {
  return {
    propose: () => Promise.resolve({ ok: false, message: UNTRUSTED_EDIT_REFUSAL }),
    review: () => Promise.resolve<ChangeDecision[]>([]),
  };
}

export interface TrustBannerDeps {
  post(message: HostMessage): void;
  /** Files not read because the workspace is untrusted (instruction and command files). */
  withheld(): Promise<string[]>;
  readonly onDidViewBecomeReady: vscode.Event<void>;
  log(line: string): void;
}

/** Keeps the chat's trust banner current: on every view load, on a grant, and after Load. */
export class TrustBanner implements vscode.Disposable {
  private readonly store = new DisposableStore();

  constructor(private readonly deps: TrustBannerDeps) {
    this.store.add(deps.onDidViewBecomeReady(() => void this.publish()));
    this.store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.publish()));
  }

  async publish(): Promise<void> {
    const trusted = isTrusted();
    try {
      const withheld = trusted ? [] : await this.deps.withheld();
      this.deps.post({ type: 'trust', trusted, withheld });
    } catch (error) {
      this.deps.log(`trust: could not list the withheld files: ${String(error)}`);
      this.deps.post({ type: 'trust', trusted, withheld: [] });
    }
  }

  /** VS Code's own trust editor (where the user trusts the folder). */
  static manage(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.trust.manage');
  }

  dispose(): void {
    this.store.dispose();
  }
}
