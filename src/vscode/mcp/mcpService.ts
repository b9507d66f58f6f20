/**
 * The MCP servers of this VS Code: the user's `qcoder.mcpServers` (application scope, so a
 * repository cannot add to it) and the workspace's `.qcoder/mcp.json` / `.vscode/mcp.json`,
 * which start only after the user approved that exact definition, never in an untrusted
 * workspace. Each server has its own log in the Output panel.
 */
import * as vscode from 'vscode';
import { definitionHash, describeServer, type McpServerConfig, parseServers } from '../../core/mcp/config';
import { parseJsonc } from '../../core/mcp/jsonc';
import { McpManager } from '../../core/mcp/manager';

export const WORKSPACE_FILES = ['.qcoder/mcp.json', '.vscode/mcp.json'];
const APPROVALS_KEY = 'qcoder.mcp.approvedDefinitions';
const SECRET_PREFIX = 'qcoder.mcp.secret.';

export class McpService implements vscode.Disposable {
  readonly manager: McpManager;
  private readonly logs = new Map<string, vscode.LogOutputChannel>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private problems: string[] = [];
  private loaded: Promise<void> | undefined;
  private stamp = '';
  private readonly asked = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: (line: string) => void,
    options: { startTimeoutMs?: number } = {},
  ) {
    this.manager = new McpManager({
      log: (server, line) => this.channel(server).info(line),
      isApproved: (hash) => this.approvals().includes(hash),
      isTrusted: () => vscode.workspace.isTrusted,
      startTimeoutMs: options.startTimeoutMs,
      onDidChange: () => this.changed.fire(),
    });
    const reload = () => {
      this.loaded = undefined;
      void this.load();
    };
    const watcher = vscode.workspace.createFileSystemWatcher(`**/{${WORKSPACE_FILES.join(',')}}`);
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('qcoder.mcpServers')) reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(reload),
    );
  }

  /**
   * Definitions read, problems logged; nothing is started here. The workspace files are looked at
   * again on every use (their size and time): a file watcher can miss a file written into a folder
   * created a moment before.
   */
  async load(): Promise<void> {
    const stamp = await this.workspaceStamp();
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.loaded = undefined;
    }
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async workspaceStamp(): Promise<string> {
    const parts: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? [])
      for (const file of WORKSPACE_FILES) {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, file)).then(
          (found) => `${found.mtime}:${found.size}`,
          () => '-',
        );
        parts.push(`${folder.uri.toString()}/${file}=${stat}`);
      }
    return parts.join('|');
  }

  get definitionProblems(): readonly string[] {
    return this.problems;
  }

  /** Workspace servers waiting for the user (call `load` first): asks once per definition per session. */
  askForPendingApprovals(): void {
    for (const entry of this.manager.entries) {
      if (entry.blocked !== 'needs approval') continue;
      const hash = definitionHash(entry.config);
      if (this.asked.has(hash)) continue;
      this.asked.add(hash);
      void this.askApproval(entry.config);
    }
  }

  async askApproval(config: McpServerConfig): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      `This workspace defines the MCP server "${config.name}". Starting it runs: ${describeServer(config)}`,
      { modal: false },
      'Allow',
      'Not Now',
    );
    if (choice !== 'Allow') return false;
    await this.approve(config);
    return true;
  }

  /** Remembers this exact definition; a changed one asks again. */
  async approve(config: McpServerConfig): Promise<void> {
    const hash = definitionHash(config);
    await this.context.globalState.update(APPROVALS_KEY, [...new Set([...this.approvals(), hash])]);
    this.log(`MCP: approved the workspace server "${config.name}"`);
    this.changed.fire();
  }

  channel(server: string): vscode.LogOutputChannel {
    let channel = this.logs.get(server);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`QCoder MCP: ${server}`, { log: true });
      this.logs.set(server, channel);
    }
    return channel;
  }

  async setSecret(name: string, value: string): Promise<void> {
    await this.context.secrets.store(SECRET_PREFIX + name, value);
    this.loaded = undefined;
    await this.load();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const channel of this.logs.values()) channel.dispose();
    void this.manager.dispose();
  }

  private approvals(): string[] {
    return this.context.globalState.get<string[]>(APPROVALS_KEY, []);
  }

  private async read(): Promise<void> {
    const user = vscode.workspace.getConfiguration('qcoder').inspect('mcpServers')?.globalValue;
    const secrets = await this.secretsFor(user);
    const servers: McpServerConfig[] = [];
    const problems: string[] = [];
    const userParsed = parseServers(user, 'user', {
      env: (name) => process.env[name],
      secret: (name) => secrets.get(name),
    });
    servers.push(...userParsed.servers);
    problems.push(...userParsed.problems);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const file of WORKSPACE_FILES) {
        const raw = await readJson(vscode.Uri.joinPath(folder.uri, file));
        if (raw === undefined) continue;
        if (raw instanceof Error) {
          problems.push(`${file} in ${folder.name}: ${raw.message}`);
          continue;
        }
        // A workspace file gets no secrets and no environment: it could send them anywhere.
        const parsed = parseServers(raw, 'workspace', { env: () => undefined, workspaceFolder: folder.uri.fsPath });
        for (const server of parsed.servers) {
          if (servers.some((known) => known.name === server.name))
            problems.push(`${file}: the server "${server.name}" is already defined in your settings; yours is used.`);
          else servers.push(server);
        }
        problems.push(...parsed.problems.map((problem) => `${file}: ${problem}`));
      }
    }
    this.problems = problems;
    for (const problem of problems) this.log(`MCP: ${problem}`);
    this.manager.setServers(servers);
  }

  private async secretsFor(raw: unknown): Promise<Map<string, string>> {
    const names = [...JSON.stringify(raw ?? {}).matchAll(/\$\{secret:([A-Za-z_][\w.-]*)\}/g)].map((match) => match[1]);
    const found = new Map<string, string>();
    for (const name of new Set(names)) {
      const value = await this.context.secrets.get(SECRET_PREFIX + name);
      if (value !== undefined) found.set(name, value);
    }
    return found;
  }
}

async function readJson(uri: vscode.Uri): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
  return parseJsonc(new TextDecoder().decode(bytes));
}
