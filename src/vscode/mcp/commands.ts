/** The MCP commands: the server list with its actions, importing servers, storing a secret for a header. */
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeServer } from '../../core/mcp/config';
import { parseJsonc } from '../../core/mcp/jsonc';
import { importServers, type ImportSource } from '../../core/mcp/importers';
import type { ServerEntry } from '../../core/mcp/manager';
import type { McpService } from './mcpService';

export function registerMcpCommands(service: McpService, context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('qcoder.mcp.showServers', () => showServers(service)),
    vscode.commands.registerCommand('qcoder.mcp.importServers', () => importFromOtherTools(context)),
    vscode.commands.registerCommand('qcoder.mcp.setSecret', () => askSecret(service)),
  );
}

/** One line per server: running with its tool count, starting, failed with the reason, or why it does not start. */
export function statusLine(entry: ServerEntry): string {
  if (entry.blocked) return entry.blocked;
  const status = entry.status;
  switch (status.status) {
    case 'running':
      return `running · ${status.tools.length} tool${status.tools.length === 1 ? '' : 's'}`;
    case 'failed':
      return `failed: ${status.reason}`;
    default:
      return status.status;
  }
}

async function showServers(service: McpService): Promise<void> {
  await service.load();
  service.askForPendingApprovals();
  // Opening the list is a use: the servers that may run start now (each bounded by its timeout).
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting MCP servers…' }, () =>
    service.manager.tools(new Set()),
  );
  const entries = service.manager.entries;
  if (entries.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'No MCP servers yet. Add them to the setting qcoder.mcpServers, or import them from Qwen Code or VS Code.',
      'Open Settings',
      'Import…',
    );
    if (choice === 'Open Settings')
      await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
        revealSetting: { key: 'qcoder.mcpServers' },
      });
    if (choice === 'Import…') await vscode.commands.executeCommand('qcoder.mcp.importServers');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: `${icon(entry)} ${entry.config.name}`,
      description: `${entry.config.origin === 'workspace' ? 'workspace · ' : ''}${statusLine(entry)}`,
      detail: describeServer(entry.config),
      entry,
    })),
    { title: 'QCoder: MCP Servers', placeHolder: 'Pick a server for its actions' },
  );
  if (picked) await serverActions(service, picked.entry);
}

function icon(entry: ServerEntry): string {
  if (entry.blocked) return '$(circle-slash)';
  if (entry.status.status === 'running') return '$(pass-filled)';
  if (entry.status.status === 'failed') return '$(error)';
  if (entry.status.status === 'starting') return '$(loading~spin)';
  return '$(circle-outline)';
}

async function serverActions(service: McpService, entry: ServerEntry): Promise<void> {
  const { name } = entry.config;
  const actions: string[] = [];
  if (entry.blocked === 'needs approval') actions.push('Approve and Start');
  if (!entry.blocked) actions.push(entry.status.status === 'running' ? 'Restart' : 'Start');
  if (entry.status.status === 'running') actions.push('Stop');
  if (entry.config.origin === 'user') actions.push(entry.config.disabled ? 'Enable' : 'Disable');
  actions.push('Show Log');
  const action = await vscode.window.showQuickPick(actions, { title: `MCP server "${name}"` });
  const connection = service.manager.connection(name);
  try {
    if (action === 'Approve and Start') {
      await service.approve(entry.config);
      await service.manager.restart(name);
    } else if (action === 'Start' || action === 'Restart') await service.manager.restart(name);
    else if (action === 'Stop') await connection?.stop();
    else if (action === 'Enable' || action === 'Disable') await setDisabled(name, action === 'Disable');
    else if (action === 'Show Log') service.channel(name).show(true);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
  }
}

async function setDisabled(name: string, disabled: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration('qcoder');
  const current = { ...(config.inspect<Record<string, unknown>>('mcpServers')?.globalValue ?? {}) };
  const entry = current[name];
  if (typeof entry !== 'object' || entry === null) return;
  current[name] = { ...entry, disabled };
  await config.update('mcpServers', current, vscode.ConfigurationTarget.Global);
}

async function importFromOtherTools(context: vscode.ExtensionContext): Promise<void> {
  const candidates = [
    { label: '~/.qwen/settings.json', file: path.join(homedir(), '.qwen', 'settings.json') },
    // The user's VS Code mcp.json sits in the User folder above this extension's global storage.
    { label: "VS Code's mcp.json", file: path.join(context.globalStorageUri.fsPath, '..', '..', 'mcp.json') },
  ];
  const sources: ImportSource[] = [];
  const unreadable: string[] = [];
  for (const candidate of candidates) {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(candidate.file));
    } catch {
      continue; // not there: nothing to import from it
    }
    const json = parseJsonc(new TextDecoder().decode(bytes));
    if (json instanceof Error) unreadable.push(`${candidate.label} is ${json.message}`);
    else sources.push({ label: candidate.label, json });
  }
  if (unreadable.length > 0) void vscode.window.showWarningMessage(`Not imported: ${unreadable.join('; ')}.`);
  if (sources.length === 0) {
    if (unreadable.length > 0) return;
    void vscode.window.showInformationMessage(
      `Nothing to import: neither ${candidates.map((candidate) => candidate.label).join(' nor ')} exists.`,
    );
    return;
  }
  const config = vscode.workspace.getConfiguration('qcoder');
  const result = importServers(config.inspect('mcpServers')?.globalValue, sources);
  if (result.added.length > 0) await config.update('mcpServers', result.merged, vscode.ConfigurationTarget.Global);
  const skipped = result.skipped.length ? ` Notes: ${result.skipped.join('; ')}.` : '';
  void vscode.window.showInformationMessage(
    result.added.length
      ? `Imported ${result.added.length} MCP server${result.added.length === 1 ? '' : 's'}: ` +
          `${result.added.join(', ')}.${skipped}`
      : `No new MCP servers to import.${skipped}`,
  );
}

async function askSecret(service: McpService): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: 'MCP secret name',
    prompt: 'Use it in a server definition as ${secret:NAME} (e.g. in a header).',
    validateInput: (value) => (/^[A-Za-z_][\w.-]*$/.test(value) ? undefined : 'Letters, digits, "_", "-" and "."'),
  });
  if (!name) return;
  const value = await vscode.window.showInputBox({ title: `Value of ${name}`, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  await service.setSecret(name, value);
  void vscode.window.showInformationMessage(`Stored the secret ${name} in VS Code's secret storage.`);
}
