/** One `qcoder context` call as the extension makes it (same prompt, tools and packing), for the benchmark. */
import { readOnlyTools } from '../../src/core/agent/readTools';
import { parseMentions } from '../../src/core/chat/mentions';
import { WorkspaceContext } from '../../src/core/chat/workspaceContext';
import type { BuiltContext, TokenCounter, WorkspaceIndex } from '../../src/core/context';
import { fileToolSchemas } from '../../src/core/edits/schemas';
import { systemPrompt } from '../../src/core/prompts/system';

export async function contextFor(
  index: WorkspaceIndex,
  counter: TokenCounter,
  query: string,
  window: number,
  /** Retrieved budget; undefined fills the window. */
  retrieved: number | undefined,
): Promise<BuiltContext> {
  const context = new WorkspaceContext({
    index: async () => index,
    counter: async () => counter,
    window: async () => ({ tokens: window, detail: 'benchmark' }),
    resolve: async () => ({ mentions: [], problems: [] }),
    signals: (mentions) => ({ mentions }),
    retrievedTokens: () => retrieved,
    log: () => undefined,
  });
  await context.prepare({
    text: query,
    mentions: parseMentions(query),
    system: systemPrompt({ workspaceName: index.folders.folders[0]?.name, tools: true }),
    tools: [...readOnlyTools.map((tool) => tool.schema), ...fileToolSchemas],
    history: [{ role: 'user', content: query }],
    step: 1,
    model: 'qwen3-coder-plus',
    baseUrl: '',
    summarise: async () => '',
    signal: new AbortController().signal,
  });
  const built = context.current();
  if (!built) throw new Error('the context could not be built');
  return built;
}
