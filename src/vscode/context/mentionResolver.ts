/**
 * Resolves the @-mentions of a chat message on the host: files and folders through the
 * access policy (an explicit mention may name an ignored file, never a secret), the
 * selection, Problems, the terminal and git from the editor. Every mention that cannot
 * be attached comes back as a problem the user sees, never silently dropped.
 */
import { resolveFileMention, resolveFolderMention } from '../../core/chat/mentionFiles';
import type { ParsedMention } from '../../core/chat/mentions';
import type { Mention, WorkspaceIndex } from '../../core/context';
import { gitDiffMention } from '../workspace/gitDiff';
import { activeEditorSignals, diagnosticSignals } from '../workspace/editorSignals';
import type { TerminalOutputSource } from '../workspace/terminalOutput';
import { readResource } from '../../core/mcp/resources';
import type { McpService } from '../mcp/mcpService';

export interface Resolved {
  mentions: Mention[];
  problems: string[];
}

export async function resolveMentions(
  parsed: readonly ParsedMention[],
  index: WorkspaceIndex,
  terminal: TerminalOutputSource,
  signal: AbortSignal,
  mcp?: McpService,
): Promise<Resolved> {
  const out: Resolved = { mentions: [], problems: [] };
  for (const mention of parsed) {
    const problem =
      mention.kind === 'mcp'
        ? await resolveMcp(mention, mcp, signal, out.mentions)
        : await resolveOne(mention, index, terminal, signal, out.mentions);
    if (problem) out.problems.push(`${mention.raw} was not attached: ${problem}.`);
  }
  return out;
}

async function resolveOne(
  mention: ParsedMention,
  index: WorkspaceIndex,
  terminal: TerminalOutputSource,
  signal: AbortSignal,
  into: Mention[],
): Promise<string | undefined> {
  switch (mention.kind) {
    case 'file':
    case 'folder': {
      const resolved =
        mention.kind === 'file' ? await resolveFileMention(mention, index) : resolveFolderMention(mention, index);
      if (typeof resolved === 'string') return resolved;
      into.push(resolved);
      return undefined;
    }
    case 'selection': {
      const { selection } = activeEditorSignals();
      if (!selection || !selection.text.trim()) return 'nothing is selected in an editor';
      const verdict = index.policy.check(selection.path, { explicit: true });
      if (!verdict.allowed) return verdict.reason;
      into.push({
        kind: 'file',
        path: index.folders.display(verdict.location.folder, verdict.location.rel),
        range: selection.range,
      });
      return undefined;
    }
    case 'problems': {
      const diagnostics = diagnosticSignals().filter((diagnostic) => index.policy.check(diagnostic.path).allowed);
      const lines = diagnostics.map(
        (d) => `${index.displayOf(d.path) ?? d.path}:${d.line}: ${d.severity}: ${d.message}`,
      );
      into.push({
        kind: 'text',
        id: 'problems',
        title: `Problems (${diagnostics.length})`,
        text: lines.join('\n') || 'No errors or warnings in Problems.',
        reason: '@problems',
      });
      return undefined;
    }
    case 'terminal':
      into.push(terminal.mention());
      return undefined;
    case 'git': {
      if (!index.folders.folders.length) return 'no workspace folder is open';
      for (const folder of index.folders.folders) {
        const diff = await gitDiffMention(folder.root, { signal });
        into.push(
          index.folders.folders.length > 1 && diff.kind === 'text'
            ? { ...diff, title: `${diff.title} (${folder.name})` }
            : diff,
        );
      }
      return undefined;
    }
    case 'codebase':
    case 'mcp':
      // Retrieval runs for every message; @codebase lifts its budget
      // to the window (workspaceContext). MCP resolves apart.
      return undefined;
  }
}

/** `@mcp:server:uri`: the resource's text, read from its server (which starts if it may). */
async function resolveMcp(
  mention: ParsedMention,
  mcp: McpService | undefined,
  signal: AbortSignal,
  into: Mention[],
): Promise<string | undefined> {
  if (!mcp) return 'MCP is not available here';
  await mcp.load();
  const resource = await readResource(mcp.manager, mention.path ?? '', signal);
  if (typeof resource === 'string') return resource;
  into.push({ kind: 'text', id: `mcp:${mention.path}`, title: resource.title, text: resource.text, reason: '@mcp' });
  return undefined;
}
