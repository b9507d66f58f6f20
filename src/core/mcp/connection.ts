/**
 * One MCP server, through the official SDK: started on first use, watched for crashes (a
 * crashed server is restarted on the next call), its stderr kept for the user, every request
 * bounded by a timeout and cancellable (Stop sends `notifications/cancelled`).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { workingFolderProblem } from '../util/spawnError';
import type { McpServerConfig } from './config';
import { useLinearBuffer } from './readBuffer';

export interface McpToolInfo {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: unknown;
}

export type ServerStatus =
  | { readonly status: 'stopped' }
  | { readonly status: 'starting' }
  | { readonly status: 'running'; readonly tools: readonly McpToolInfo[] }
  | { readonly status: 'failed'; readonly reason: string };

export interface ConnectionOptions {
  /** Each stderr line and lifecycle event, for the server's own log. */
  log(line: string): void;
  readonly startTimeoutMs?: number;
  readonly callTimeoutMs?: number;
  /** Called when the status or the tool list changed. */
  onDidChange?(): void;
}

type Sdk = typeof import('./sdk');
let sdkModule: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdkModule ??= import('./sdk'));

const START_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 120_000;
const STDERR_KEPT = 20;
/** The SDK's own buffer, if it cannot be replaced by the linear one: its cost grows with the square of this. */
const SDK_BUFFER_BYTES = 4 * 1024 * 1024;

export class McpConnection {
  private client: Client | undefined;
  private starting: Promise<void> | undefined;
  private current: ServerStatus = { status: 'stopped' };
  /** When the last start failed or the server crashed (ms since epoch). */
  private failedAt = 0;
  /** The tools of the last run: a crashed server keeps offering them, and a call starts it again. */
  private lastTools: readonly McpToolInfo[] = [];
  private readonly stderr: string[] = [];
  /** The SDK's stdio transport refused a message over its buffer limit (it then closes the connection). */
  private oversized: string | undefined;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: ConnectionOptions,
  ) {}

  get status(): ServerStatus {
    return this.current;
  }

  /** The tools to offer: the running server's, or a crashed one's last list. */
  get tools(): readonly McpToolInfo[] {
    return this.current.status === 'running'
      ? this.current.tools
      : this.current.status === 'failed'
        ? this.lastTools
        : [];
  }

  /**
   * Failed less than `ms` ago: the agent's refresh does not try again yet (a hung server would stall every message).
   */
  failedWithin(ms: number, now = Date.now()): boolean {
    return this.current.status === 'failed' && now - this.failedAt < ms;
  }

  /** Starts the server unless it runs; a failed or crashed server is tried again. */
  async start(): Promise<void> {
    if (this.current.status === 'running') return;
    this.starting ??= this.connect().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async callTool(tool: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    await this.start();
    const client = this.requireClient();
    try {
      return await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: this.options.callTimeoutMs ?? CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
      });
    } catch (error) {
      throw new Error(this.explain(error, `calling its tool "${tool}"`));
    }
  }

  /** The client for resources and prompts; starts the server first. */
  async ready(): Promise<Client> {
    await this.start();
    return this.requireClient();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.set({ status: 'stopped' });
    await client?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.set({ status: 'starting' });
    const sdk = await loadSdk();
    const client = new sdk.Client({ name: 'qcoder', version: '0.1.0' }, { capabilities: {} });
    const timeout = this.options.startTimeoutMs ?? START_TIMEOUT_MS;
    try {
      await this.connectTransport(sdk, client, timeout);
      const tools = await this.listTools(client, timeout);
      client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, async () => {
        if (this.client !== client) return;
        const changed = await this.listTools(client, timeout).catch(() => undefined);
        if (changed && this.client === client) this.set({ status: 'running', tools: changed });
      });
      this.client = client;
      this.set({ status: 'running', tools });
      this.options.log(`started: ${tools.length} tools`);
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = this.explain(error, 'while starting');
      this.set({ status: 'failed', reason });
      this.options.log(`failed: ${reason}`);
      throw new Error(reason);
    }
  }

  private async connectTransport(sdk: Sdk, client: Client, timeout: number): Promise<void> {
    const config = this.config;
    if (config.kind === 'stdio') {
      const transport = new sdk.StdioClientTransport({
        command: config.command,
        args: [...config.args],
        // The SDK's default environment is a short safe list: QCoder's own keys never reach the server.
        env: { ...sdk.getDefaultEnvironment(), ...config.env },
        cwd: config.cwd,
        stderr: 'pipe',
        maxBufferSize: SDK_BUFFER_BYTES,
      });
      // Room for a large screenshot (MAX_MESSAGE_BYTES), read in linear time; see readBuffer.ts.
      useLinearBuffer(transport, sdk.deserializeMessage);
      transport.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk.toString('utf8')));
      return this.attach(client, transport, timeout);
    }
    const requestInit = { headers: { ...config.headers } };
    if (config.kind === 'http') {
      try {
        return await this.attach(
          client,
          new sdk.StreamableHTTPClientTransport(new URL(config.url), { requestInit }),
          timeout,
        );
      } catch (error) {
        // A server from before Streamable HTTP answers its POST with 4xx: try the legacy SSE transport once.
        if (!/\b(404|405|400)\b/.test(String(error))) throw error;
        this.options.log('Streamable HTTP refused; trying the legacy SSE transport');
      }
    }
    return this.attach(client, new sdk.SSEClientTransport(new URL(config.url), { requestInit }), timeout);
  }

  private async attach(client: Client, transport: Transport, timeout: number): Promise<void> {
    transport.onerror = (error) => {
      this.options.log(`transport error: ${error.message}`);
      const limit = /ReadBuffer exceeded maximum size of (\d+)/.exec(error.message);
      if (!limit) return;
      this.oversized = `${Math.round(Number(limit[1]) / 1024 / 1024)} MB`;
      // The SDK closes by ending stdin and waiting up to 2 s for an exit; a server still writing megabytes
      // does not read it, and the call would wait that long for its answer. Stopped now, restarted on next use.
      stopProcess((transport as { pid?: number | null }).pid);
    };
    await client.connect(transport, { timeout });
    // Set after connect: the SDK installs its own handlers while connecting and chains ours.
    const closed = client.onclose;
    client.onclose = () => {
      closed?.();
      if (this.client !== client) return;
      this.client = undefined;
      const reason = `the server stopped unexpectedly${this.stderrTail()}`;
      this.options.log(reason);
      this.set({ status: 'failed', reason });
    };
  }

  private async listTools(client: Client, timeout: number): Promise<McpToolInfo[]> {
    if (!client.getServerCapabilities()?.tools) return [];
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      for (const tool of page.tools)
        tools.push({ name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema });
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  private requireClient(): Client {
    if (!this.client) throw new Error(`MCP server "${this.config.name}" is not running.`);
    return this.client;
  }

  private explain(error: unknown, doing: string): string {
    const message = error instanceof Error ? error.message : String(error);
    const name = `MCP server "${this.config.name}"`;
    if (/timed out|RequestTimeout|-32001/i.test(message))
      return `${name} did not answer in time (${doing})${this.stderrTail()}`;
    if (/ENOENT|ENOTDIR/.test(message) && this.config.kind === 'stdio') {
      const folder = this.config.cwd === undefined ? undefined : workingFolderProblem(this.config.cwd);
      return `${name} could not start: ${folder ?? `the command "${this.config.command}" was not found`}`;
    }
    if (/ECONNREFUSED/.test(message)) {
      const where = this.config.kind !== 'stdio' ? this.config.url : '';
      return `${name} refused the connection (is it running at ${where}?)`;
    }
    if (this.oversized) {
      const size = this.oversized;
      this.oversized = undefined;
      return (
        `${name} sent a message larger than ${size} (${doing}), so QCoder closed the connection; ask the tool ` +
        `for less (a filter, a page, a smaller range)`
      );
    }
    if (/Connection closed/i.test(message)) return `${name} closed the connection (${doing})${this.stderrTail()}`;
    return `${name} failed (${doing}): ${message}${this.stderrTail()}`;
  }

  private keepStderr(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.stderr.push(line);
      if (this.stderr.length > STDERR_KEPT) this.stderr.shift();
      this.options.log(line);
    }
  }

  private stderrTail(): string {
    const last = this.stderr.slice(-3).join(' | ');
    return last ? ` (stderr: ${last.length > 300 ? `${last.slice(0, 297)}…` : last})` : '';
  }

  private set(status: ServerStatus): void {
    if (status.status === 'failed') this.failedAt = Date.now();
    if (status.status === 'running') this.lastTools = status.tools;
    this.current = status;
    this.options.onDidChange?.();
  }
}

function stopProcess(pid: number | null | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
