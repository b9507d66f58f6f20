import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type LinkUi, openAnswerLink } from '../../../src/vscode/linkOpener';

/** Records what would have been asked, opened in the browser and warned about. */
function recordingUi(confirm: boolean) {
  const asked: string[] = [];
  const opened: string[] = [];
  const warnings: string[] = [];
  const ui: LinkUi = {
    confirmWeb: (url) => (asked.push(url), Promise.resolve(confirm)),
    openExternal: (url) => (opened.push(url), Promise.resolve(true)),
    warn: (message) => void warnings.push(message),
  };
  return { ui, asked, opened, warnings };
}

describe('links in answers open only through the host', () => {
  beforeEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens a web page only after the user confirmed the URL shown to them', async () => {
    const declined = recordingUi(false);
    await openAnswerLink('https://example.com/docs?q=1', declined.ui);
    assert.deepEqual(declined.asked, ['https://example.com/docs?q=1']);
    assert.deepEqual(declined.opened, []);
    const accepted = recordingUi(true);
    await openAnswerLink('https://example.com/docs?q=1', accepted.ui);
    assert.deepEqual(accepted.opened, ['https://example.com/docs?q=1']);
  });

  it('opens a workspace file in the editor at the line named', async () => {
    const { ui, asked, opened } = recordingUi(true);
    await openAnswerLink('src/cart.ts:3', ui);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.match(editor.document.uri.path, /\/src\/cart\.ts$/);
    assert.equal(editor.selection.active.line, 2);
    assert.deepEqual([asked, opened], [[], []]);
  });

  it('opens nothing else, and says so', async () => {
    for (const href of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', '../x']) {
      const { ui, asked, opened, warnings } = recordingUi(true);
      await openAnswerLink(href, ui);
      assert.deepEqual([asked, opened], [[], []], href);
      assert.equal(warnings.length, 1, href);
      assert.equal(vscode.window.activeTextEditor, undefined, href);
    }
    const missing = recordingUi(true);
    await openAnswerLink('src/no-such-file.ts', missing.ui);
    assert.match(missing.warnings[0] ?? '', /no file "src\/no-such-file\.ts"/);
  });
});
