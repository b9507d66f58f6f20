/**
 * The user's MCP servers as one set of tools for the agent. A server starts only when it may:
 * user servers when first needed; workspace servers (a cloned repository can define them) only
 * after the user approved that exact definition, and never in an untrusted workspace.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { definitionHash, type McpServerConfig } from './config';
import { McpConnection, type ServerStatus } from './connection';
import { nameTools, type NamedTool } from './names';
import { reduceSchema } from './schema';

export type Blocked = 'disabled' | 'needs approval' | 'untrusted workspace';

export interface ServerEntry {
  readonly config: McpServerConfig;
  /** Why it does not start; undefined when it may. */
  readonly blocked?: Blocked;
  readonly status: ServerStatus;
}

export interface OfferedTool extends NamedTool {
  /** The function name the model sees. */
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

export interface ManagerDeps {
  log(server: string, line: string): void;
  /** Whether the user approved this workspace definition (by its hash). */
  isApproved(hash: string): boolean;
  isTrusted(): boolean;
  readonly startTimeoutMs?: number;
  readonly callTimeoutMs?: number;
  onDidChange?(): void;
}

/** A server that failed is not started again by the agent's refresh for this long (a call or Restart still does). */
const RETRY_AFTER_MS = 60_000;

export class McpManager {
  private readonly connections = new Map<string, McpConnection>();
  private offered = new Map<string, OfferedTool>();

  constructor(private readonly deps: ManagerDeps) {}

  /** Replaces the definitions; a server whose definition changed is stopped (and asks again if it must). */
  setServers(servers: readonly McpServerConfig[]): void {
    const next = new Map(servers.map((server) => [server.name, server]));
    for (const [name, connection] of this.connections) {
      const config = next.get(name);
      if (!config || config.written !== connection.config.written || config.origin !== connection.config.origin) {
        void connection.stop();
        this.connections.delete(name);
      }
    }
    for (const server of servers) {
      if (!this.connections.has(server.name))
        this.connections.set(
          server.name,
          new McpConnection(server, {
            log: (line) => this.deps.log(server.name, line),
            startTimeoutMs: this.deps.startTimeoutMs,
            callTimeoutMs: this.deps.callTimeoutMs,
            onDidChange: () => this.deps.onDidChange?.(),
          }),
        );
    }
    this.deps.onDidChange?.();
  }

  get entries(): ServerEntry[] {
    return [...this.connections.values()].map((connection) => {
      const blocked = this.blocked(connection.config);
      return { config: connection.config, status: connection.status, ...(blocked ? { blocked } : {}) };
    });
  }

  blocked(config: McpServerConfig): Blocked | undefined {
    if (config.disabled) return 'disabled';
    if (config.origin === 'workspace') {
      if (!this.deps.isTrusted()) return 'untrusted workspace';
      if (!this.deps.isApproved(definitionHash(config))) return 'needs approval';
    }
    return undefined;
  }

  /**
   * Starts every server that may run (in parallel, each bounded by its timeout) and names their
   * tools for the model. A server that fails to start is left out and shows as failed in the status
   * list; one that crashed keeps its last tools on offer, and calling one starts it again.
   */
  async tools(reserved: ReadonlySet<string>): Promise<OfferedTool[]> {
    const runnable = [...this.connections.values()].filter((connection) => !this.blocked(connection.config));
    const retryable = runnable.filter((connection) => !connection.failedWithin(RETRY_AFTER_MS));
    await Promise.all(retryable.map((connection) => connection.start().catch(() => undefined)));
    const found: (NamedTool & { description: string; inputSchema: unknown })[] = [];
    for (const connection of runnable)
      for (const tool of connection.tools) found.push({ server: connection.config.name, tool: tool.name, ...tool });
    const naming = nameTools(found, reserved);
    for (const { tool, reason } of naming.refused)
      this.deps.log(tool.server, `tool "${tool.tool}" not offered: ${reason}`);
    this.offered = new Map(
      [...naming.byName].map(([name, named]) => {
        const source = found.find((tool) => tool.server === named.server && tool.tool === named.tool)!;
        return [
          name,
          {
            ...named,
            name,
            description: source.description,
            parameters: reduceSchema(source.inputSchema),
          },
        ];
      }),
    );
    return [...this.offered.values()];
  }

  /** The offered tool behind a model-facing name (from the last `tools()` call). */
  tool(name: string): OfferedTool | undefined {
    return this.offered.get(name);
  }

  async call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const tool = this.offered.get(name);
    if (!tool) throw new Error(`there is no MCP tool "${name}".`);
    const connection = this.connections.get(tool.server);
    if (!connection) throw new Error(`the MCP server "${tool.server}" was removed from the settings.`);
    const blocked = this.blocked(connection.config);
    if (blocked) throw new Error(`the MCP server "${tool.server}" cannot run: ${blocked}.`);
    return connection.callTool(tool.tool, args, signal);
  }

  /**
   * The running clients of the servers that may run and offer `capability`, starting them as any use
   * does; a server that fails is skipped (it shows as failed in the status list).
   */
  async *readyClients(capability: 'resources' | 'prompts'): AsyncGenerator<{ server: string; client: Client }> {
    for (const connection of this.connections.values()) {
      if (this.blocked(connection.config)) continue;
      const client = await connection.ready().catch(() => undefined);
      if (client?.getServerCapabilities()?.[capability]) yield { server: connection.config.name, client };
    }
  }

  connection(server: string): McpConnection | undefined {
    return this.connections.get(server);
  }

  async restart(server: string): Promise<void> {
    const connection = this.connections.get(server);
    if (!connection) return;
    await connection.stop();
    if (!this.blocked(connection.config)) await connection.start();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.stop()));
    this.connections.clear();
  }
}
