/**
 * The agent's real tools on a real temp workspace, for the malformed-output suite: the core's read
 * tools over the files on disk (through the one access policy), its edit proposal path (landing an
 * accepted change on disk as the host would), run_command with a real process host, and MCP-style
 * tools named by the core's own naming. Every tool is wrapped at its execution seam: the wrapper
 * records what the tool was called with before it runs, so the suite counts executions itself.
 */
import { createHash } from 'node:crypto';
import { cpSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { minimatch } from 'minimatch';
import { agentTools, NO_CODE_INTEL, UNSHOWN_TODOS } from '../../../src/core/agent/agentTools';
import { MemorySessionApprovals } from '../../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../../src/core/agent/commands/runTools';
import type { CommandHost } from '../../../src/core/agent/commands/runTypes';
import type { ChangeDecision, EditBatch, EditService } from '../../../src/core/agent/editService';
import { readOnlyTools } from '../../../src/core/agent/readTools';
import type { ReadOnlyTool } from '../../../src/core/agent/tool';
import {
  type InteractiveTool,
  type ToolCallRecord,
  ToolRunner,
  type ToolSource,
} from '../../../src/core/agent/toolRunner';
import type { ReadResult, SearchHit, SearchResult, WorkspaceAccess } from '../../../src/core/agent/workspace';
import type { AccessPolicy } from '../../../src/core/context';
import { estimatingCounter } from '../../../src/core/context/tokens/tokenCounter';
import { fileToolSchemas } from '../../../src/core/edits/schemas';
import { nameTools } from '../../../src/core/mcp/names';
import type { ToolSchema } from '../../../src/core/model/types';
import { makeSandbox, proposeInCore, type Sandbox } from '../sandbox';

export const CART = resolve(__dirname, '..', '..', 'fixtures', 'agent', 'cart');

/** One call a tool was entered with (or, for edits and commands, that reached review or a process). */
export interface Execution {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** `entered`: the tool's run; `reviewed`: an edit handed to review; `spawned`: a process started. */
  readonly stage: 'entered' | 'reviewed' | 'spawned';
}

/** MCP servers whose tool names collide once sanitised, as `nameTools` names them. */
export const MCP_TOOLS = [
  { server: 'git', tool: 'status' },
  { server: 'git', tool: 'status' },
  { server: 'g it', tool: 'status' },
  { server: 'git', tool: 'status_2' },
  { server: 'read', tool: 'file' },
  { server: 'fs', tool: 'read_file' },
  { server: 'x'.repeat(40), tool: 'y'.repeat(60) },
  { server: 'x'.repeat(40), tool: `${'y'.repeat(60)}z` },
];

const MCP_PARAMETERS = {
  type: 'object',
  properties: { repo: { type: 'string' }, depth: { type: 'integer' } },
  required: ['repo'],
};

export interface Agent {
  readonly runner: ToolRunner;
  readonly sandbox: Sandbox;
  readonly executions: Execution[];
  /** Every schema offered to the model, by name. */
  readonly schemas: ReadonlyMap<string, ToolSchema>;
  /** The MCP tool each offered MCP name reaches. */
  readonly mcpNames: ReadonlyMap<string, { server: string; tool: string }>;
  /** Sets whether the user accepts edits at review (landing them on disk) or rejects them. */
  acceptEdits: boolean;
  /** Answers every question on a card as the user would: reject commands, answer questions. */
  readonly update: (record: ToolCallRecord) => void;
  hash(): string;
  dispose(): Promise<void>;
}

export async function makeAgent(): Promise<Agent> {
  const sandbox = makeSandbox('ws');
  cpSync(CART, sandbox.root, { recursive: true });
  sandbox.write('src/util.js', 'export function add(a, b) {\n  return a + b;\n}\n\nexport const zero = 0;\n');
  sandbox.write('README.md', '# cart\n\nA shopping cart.\n');
  sandbox.write('.env', 'API_TOKEN=sk-test-0000\n');
  const policy = sandbox.policy();
  const executions: Execution[] = [];
  const seen = (tool: string, args: Record<string, unknown>, stage: Execution['stage']) =>
    executions.push({ tool, args: structuredClone(args), stage });
  const host: CommandHost = {
    start: (spec) => {
      seen('run_command', { command: spec.command, cwd: spec.cwd }, 'spawned');
      return new ChildProcessHost().start(spec);
    },
  };
  const commands = new CommandTools({
    host,
    roots: () => [{ name: 'ws', path: sandbox.root }],
    rules: { current: () => ({ allow: [], deny: [] }) },
    session: new MemorySessionApprovals(),
    mode: () => 'ask',
    isTrusted: () => true,
    counter: async () => estimatingCounter,
  });
  const reads = [...readOnlyTools, ...agentTools(NO_CODE_INTEL, UNSHOWN_TODOS)].map((tool) => wrapRead(tool, seen));
  const naming = nameTools(MCP_TOOLS, new Set(['read_file', 'list_files', 'search_files']));
  const mcp: ToolSource = {
    refresh: async () => undefined,
    tools: [...naming.byName.keys()].map((name) => mcpTool(name, seen)),
  };
  const agent: Agent = {
    sandbox,
    executions,
    acceptEdits: false,
    mcpNames: naming.byName,
    schemas: new Map(),
    runner: undefined as unknown as ToolRunner,
    update: (record) => {
      if (!record.prompt) return;
      const prompt = record.prompt;
      const choice = prompt.choices.some((c) => c.id === 'reject') ? 'reject' : prompt.choices[0].id;
      queueMicrotask(() => agent.runner.answer(record.id, { choice, text: 'ok' }));
    },
    hash: () => hashTree(sandbox.root),
    dispose: async () => {
      await commands.dispose();
      sandbox.dispose();
    },
  };
  const edits = new DiskEdits(policy, seen, () => agent.acceptEdits);
  const interactive = commands.tools.map((tool) => wrapInteractive(tool, seen));
  const runner = new ToolRunner(reads, new DiskWorkspace(policy, sandbox.root), edits, interactive, [mcp]);
  Object.assign(agent, { runner, schemas: new Map(runner.schemas.map((schema) => [schema.name, schema])) });
  return agent;
}

type Seen = (tool: string, args: Record<string, unknown>, stage: Execution['stage']) => void;

function wrapRead(tool: ReadOnlyTool, seen: Seen): ReadOnlyTool {
  return {
    schema: tool.schema,
    title: (args) => tool.title(args),
    run: (args, context) => {
      seen(tool.schema.name, args, 'entered');
      return tool.run(args, context);
    },
  };
}

function wrapInteractive(tool: InteractiveTool, seen: Seen): InteractiveTool {
  return {
    schema: tool.schema,
    interactive: true,
    title: (args) => tool.title(args),
    run: (args, context) => {
      seen(tool.schema.name, args, 'entered');
      return tool.run(args, context);
    },
  };
}

function mcpTool(name: string, seen: Seen): InteractiveTool {
  return {
    schema: { name, description: `MCP tool ${name}`, parameters: MCP_PARAMETERS },
    interactive: true,
    title: () => name,
    run: async (args) => {
      seen(name, args, 'entered');
      return { content: `ran ${name}`, summary: 'ran' };
    },
  };
}

/** The core's edit proposals on real files; review lands accepted changes on disk, or rejects them all. */
class DiskEdits implements EditService {
  readonly schemas = fileToolSchemas;
  constructor(
    private readonly policy: AccessPolicy,
    private readonly seen: Seen,
    private readonly accept: () => boolean,
  ) {}
  handles(tool: string): boolean {
    return this.schemas.some((schema) => schema.name === tool);
  }
  title(tool: string, args: Record<string, unknown>): string {
    return `${tool} ${String(args.path ?? args.from ?? '?')}`;
  }
  begin(): EditBatch {
    const changes: { id: string; tool: string; args: Record<string, unknown>; land?: () => Promise<void> }[] = [];
    return {
      propose: async (tool, args) => {
        const proposed = await proposeInCore(this.policy, tool, args);
        if (!proposed.proposed) return { ok: false, message: proposed.message ?? 'refused' };
        const change = { id: `c${changes.length}`, path: String(args.path ?? args.from), description: tool };
        changes.push({ id: change.id, tool, args, land: proposed.land });
        return { ok: true, change };
      },
      review: async () => {
        const decisions: ChangeDecision[] = [];
        for (const change of changes) {
          this.seen(change.tool, change.args, 'reviewed');
          const accepted = this.accept();
          if (accepted) await change.land?.();
          decisions.push({
            changeId: change.id,
            status: accepted ? 'accepted' : 'rejected',
            message: accepted ? 'Applied.' : 'The user rejected the change.',
            summary: accepted ? 'accepted' : 'rejected',
          });
        }
        return decisions;
      },
    };
  }
}

/** The read side of the workspace over the real files, through the one access policy. */
class DiskWorkspace implements WorkspaceAccess {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly root: string,
  ) {}

  async readText(path: string): Promise<ReadResult> {
    const first = await this.policy.decideInput(path, 'read');
    if (!first.allowed) return { ok: false, reason: first.reason ?? 'refused' };
    if (!first.exists) return { ok: false, reason: `${path} does not exist.` };
    const text = await fs.readFile(first.location!.abs, 'utf8').catch((error: Error) => error);
    if (text instanceof Error) return { ok: false, reason: text.message };
    const second = await this.policy.decideInput(path, 'read', { text });
    return second.allowed ? { ok: true, text } : { ok: false, reason: second.reason ?? 'refused' };
  }

  async listFiles(options: { under?: string; glob?: string; limit: number }) {
    const paths: string[] = [];
    for (const path of listTree(this.root)) {
      if (options.under && !path.startsWith(`${options.under.replace(/\/+$/, '')}/`)) continue;
      if (options.glob && !minimatch(path, options.glob)) continue;
      if ((await this.policy.decideInput(path, 'list')).allowed) paths.push(path);
    }
    return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
  }

  async search(options: { pattern: string; glob?: string; limit: number }): Promise<SearchResult> {
    let regex: RegExp;
    try {
      regex = new RegExp(options.pattern);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    const hits: SearchHit[] = [];
    for (const path of (await this.listFiles({ glob: options.glob, limit: 10_000 })).paths) {
      const read = await this.readText(path);
      if (!read.ok) continue;
      read.text.split('\n').forEach((text, i) => {
        if (regex.test(text)) hits.push({ path, line: i + 1, text });
      });
    }
    return { ok: true, hits: hits.slice(0, options.limit), truncated: hits.length > options.limit };
  }
}

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else out.push(relative(root, abs).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** SHA-256 over every file's path and bytes. */
export function hashTree(root: string): string {
  const hash = createHash('sha256');
  for (const path of listTree(root))
    hash
      .update(`${path}\0`)
      .update(readFileSync(join(root, path)))
      .update('\0');
  return hash.digest('hex');
}
