import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'qcoder.qcoder';
const commands = ['qcoder.setApiKey', 'qcoder.clearApiKey', 'qcoder.newChat', 'qcoder.focusChat'];

describe('smoke', () => {
  it('the extension is installed', () => {
    assert.ok(vscode.extensions.getExtension(extensionId), `${extensionId} not found`);
  });

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers its commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = commands.filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
  });
});
