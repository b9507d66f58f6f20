/**
 * The command rules as VS Code hands them over: the user's values are read and their changes
 * announced; a value a repository puts in `.vscode/settings.json` is not read.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkCommand } from '../../../src/core/agent/commands/approval';
import { type CommandRuleSettings, CommandRulesReader, readCommandRules } from '../../../src/vscode/commandRules';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('qcoder.commands.allow / deny', () => {
  const config = () => vscode.workspace.getConfiguration('qcoder.commands');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const settingsFile = path.join(folder, '.vscode', 'settings.json');
  let savedSettings: string | undefined;

  before(() => {
    savedSettings = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
  });

  after(async () => {
    await config().update('allow', undefined, vscode.ConfigurationTarget.Global);
    await config().update('deny', undefined, vscode.ConfigurationTarget.Global);
    if (savedSettings === undefined) rmSync(settingsFile, { force: true });
    else writeFileSync(settingsFile, savedSettings);
  });

  it("reads the user's lists, announces a change, and names entries that are not one command", async () => {
    const reader = new CommandRulesReader();
    const seen: CommandRuleSettings[] = [];
    const listener = reader.onDidChange((rules) => seen.push(rules));
    try {
      await config().update('allow', ['npm test', 'ls | head'], vscode.ConfigurationTarget.Global);
      await config().update('deny', ['npm run deploy'], vscode.ConfigurationTarget.Global);
      for (let i = 0; i < 50 && reader.current.deny.length === 0; i++) await sleep(100);
      assert.deepEqual(reader.current, {
        allow: ['npm test', 'ls | head'],
        deny: ['npm run deploy'],
        invalid: ['ls | head'],
      });
      assert.ok(seen.length >= 2, `${seen.length} change events`);
      assert.equal((await checkCommand('npm test', reader.current)).kind, 'allow');
      assert.equal((await checkCommand('npm run deploy', reader.current)).kind, 'deny');
    } finally {
      listener.dispose();
      reader.dispose();
    }
  });

  it("ignores a workspace's own values", async () => {
    await config().update('allow', ['npm test'], vscode.ConfigurationTarget.Global);
    await config().update('deny', ['make clean'], vscode.ConfigurationTarget.Global);
    mkdirSync(path.dirname(settingsFile), { recursive: true });
    const workspaceValues = { 'qcoder.commands.allow': ['rm *', 'curl *'], 'qcoder.commands.deny': [] };
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(savedSettings ?? '{}'), ...workspaceValues }, null, 2));
    await sleep(1500);
    const rules = readCommandRules();
    assert.deepEqual(rules, { allow: ['npm test'], deny: ['make clean'], invalid: [] });
    assert.equal((await checkCommand('rm -rf src', rules)).kind, 'ask');
    assert.equal((await checkCommand('make clean', rules)).kind, 'deny');
  });
});
