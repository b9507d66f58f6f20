/**
 * `qcoder context`: ranks and packs workspace context for a query through the same
 * `WorkspaceContext` the extension's chat uses, and prints what went in, why and what it
 * cost, or (`--messages`) exactly the messages the extension would send.
 */
import { existsSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readOnlyTools } from '../core/agent/readTools';
import { agentTools, NO_CODE_INTEL, UNSHOWN_TODOS, withAgentPrompt } from '../core/agent/agentTools';
import { DEFAULT_MODE } from '../core/agent/modes';
import { resolveFileMention, resolveFolderMention } from '../core/chat/mentionFiles';
import { type ParsedMention, parseMentions } from '../core/chat/mentions';
import { WorkspaceContext, type WorkspaceContextHost } from '../core/chat/workspaceContext';
import {
  DEFAULT_RETRIEVED_TOKENS,
  DEFAULT_WINDOW,
  type Mention,
  NodeWorkspaceReader,
  TokenCounters,
  WorkspaceIndex,
  qwenVocabularyCandidates,
} from '../core/context';
import { fileToolSchemas } from '../core/edits/schemas';
import { commandToolSchemas } from '../core/agent/commands/runTools';
import { findBrowser } from '../core/preview/browserPath';
import { previewToolSchema } from '../core/preview/previewTool';
import { systemPrompt } from '../core/prompts/system';
import { report, table } from './contextReport';
import { projectInstructions } from './instructions';

const HELP = `usage: qcoder context --root DIR --query "…" [options]

  --root DIR        workspace folder (repeat for a multi-root workspace)
  --query TEXT      what the user asks; @file: and @folder: mentions in it are attached as in the chat
  --budget N        the model's context window in tokens (default 262144)
  --reserve N       tokens kept for the answer (default: window/8, at most 32768)
  --retrieved N     most tokens retrieved files may add (default 24000, as qcoder.context.retrievedTokens;
                    0: fill the window; @codebase in the query does the same)
  --model ID        model id; Qwen models count exactly, others are estimated (default qwen3-coder-plus)
  --active FILE     the active editor's file
  --mention PATH    an @-mentioned file (repeatable)
  --workspace NAME  the workspace's name in the system prompt (default: the root's folder name)
  --system TEXT     system prompt (default: the extension's, with the project's QWEN.md, AGENTS.md and
                    .qcoder/rules/*.md as the extension loads them)
  --rg PATH         ripgrep binary (default: rg on PATH)
  --no-git          do not list through git
  --json            print the ledger as JSON
  --messages        print the messages the extension would send, as JSON
  --prompt          print those messages as text
`;

export const command = {
  summary: 'rank and pack workspace context for a query',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        root: { type: 'string', multiple: true },
        query: { type: 'string' },
        budget: { type: 'string' },
        reserve: { type: 'string' },
        retrieved: { type: 'string' },
        model: { type: 'string' },
        active: { type: 'string' },
        mention: { type: 'string', multiple: true },
        workspace: { type: 'string' },
        system: { type: 'string' },
        rg: { type: 'string' },
        'no-git': { type: 'boolean' },
        json: { type: 'boolean' },
        messages: { type: 'boolean' },
        prompt: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (!values.root?.length || values.query === undefined) {
      process.stderr.write(`qcoder context: --root and --query are required\n\n${HELP}`);
      return 2;
    }
    const window = numberOption(values.budget, 'budget') ?? DEFAULT_WINDOW;
    const reserve = numberOption(values.reserve, 'reserve');
    const retrieved =
      values.retrieved === '0' ? 0 : (numberOption(values.retrieved, 'retrieved') ?? DEFAULT_RETRIEVED_TOKENS);
    const roots = values.root.map((root) => resolve(root));
    for (const root of roots) if (!existsSync(root)) throw new Error(`no such folder: ${root}`);
    const started = performance.now();
    const rgPath = values.rg ?? findOnPath('rg');
    const model = values.model ?? 'qwen3-coder-plus';
    const reader = new NodeWorkspaceReader();
    const named = roots.map((root) => ({ name: basename(root), root }));
    const [index, counter] = await Promise.all([
      WorkspaceIndex.build(named, reader, { rgPath, git: !values['no-git'] }),
      new TokenCounters(qwenVocabularyCandidates(__dirname)).forModel(model),
    ]);
    const extra = (values.mention ?? []).map((path): ParsedMention => ({
      kind: 'file',
      path: resolve(path),
      raw: `--mention ${path}`,
    }));
    const active = values.active ? resolve(values.active) : undefined;
    const host: WorkspaceContextHost = {
      index: async () => index,
      counter: async () => counter,
      window: async () => ({ tokens: window, detail: '--budget', reserve }),
      resolve: async (mentions) => resolveMentions([...mentions, ...extra], index),
      signals: (mentions) => ({ activeFile: active, mentions }),
      retrievedTokens: () => retrieved,
      rgPath,
      log: () => undefined,
    };
    const context = new WorkspaceContext(host);
    // As the extension asks it: the same system prompt and tool schemas, the query as the first message.
    const workspaceName = values.workspace ?? (roots.length === 1 ? basename(roots[0]) : undefined);
    const instructions =
      values.system === undefined ? await projectInstructions(named, index, reader, counter, active) : undefined;
    const prepared = await context.prepare({
      text: values.query,
      mentions: parseMentions(values.query),
      system:
        values.system ??
        withAgentPrompt(systemPrompt({ workspaceName, tools: true, instructions: instructions?.text }), DEFAULT_MODE),
      instructions: instructions?.items,
      tools: [
        ...[...readOnlyTools, ...agentTools(NO_CODE_INTEL, UNSHOWN_TODOS)].map((tool) => tool.schema),
        ...fileToolSchemas,
        ...commandToolSchemas(),
        // The extension offers the page preview when a browser is on the machine; so does this.
        ...(findBrowser(undefined, existsSync).found ? [previewToolSchema] : []),
      ],
      history: [{ role: 'user', content: values.query }],
      step: 1,
      model,
      baseUrl: '',
      summarise: async () => {
        throw new Error('no model to summarise with on the command line');
      },
      signal: new AbortController().signal,
    });
    for (const note of prepared.notes) process.stderr.write(`qcoder context: ${note}\n`);
    const built = context.current();
    if (!built) return 1;
    if (values.messages) process.stdout.write(`${JSON.stringify(prepared.messages, null, 2)}\n`);
    else if (values.prompt)
      for (const message of prepared.messages) process.stdout.write(`=== ${message.role}\n${message.content}\n`);
    else if (values.json)
      process.stdout.write(
        `${JSON.stringify(report(built, index, performance.now() - started, instructions?.items), null, 2)}\n`,
      );
    else process.stdout.write(table(built, index, performance.now() - started, instructions?.items));
    return 0;
  },
};

/** `@file:` and `@folder:` as the chat attaches them; the editor's own mentions do not exist here. */
async function resolveMentions(
  parsed: readonly ParsedMention[],
  index: WorkspaceIndex,
): Promise<{ mentions: Mention[]; problems: string[] }> {
  const out: { mentions: Mention[]; problems: string[] } = { mentions: [], problems: [] };
  for (const mention of parsed) {
    if (mention.kind === 'codebase') continue;
    const resolved =
      mention.kind === 'file'
        ? await resolveFileMention(mention, index)
        : mention.kind === 'folder'
          ? resolveFolderMention(mention, index)
          : 'only the editor has it';
    if (typeof resolved === 'string') out.problems.push(`${mention.raw} was not attached: ${resolved}.`);
    else out.mentions.push(resolved);
  }
  return out;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive whole number`);
  return number;
}

function findOnPath(name: string): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, exe))
    .find((path) => path && existsSync(path));
}
