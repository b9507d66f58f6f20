/**
 * The agent's read tools over the core's own workspace index, the way the CLI and the host
 * give them files: every read through the access policy's `read` (size cap, binary check,
 * content rules), listing from the index, search through the core's ripgrep runner.
 */
import { grep } from '../../src/core/agent/grep';
import type { ReadResult, SearchResult, WorkspaceAccess } from '../../src/core/agent/workspace';
import type { WorkspaceIndex } from '../../src/core/context';

export function indexAccess(index: WorkspaceIndex, rgPath: string | undefined): WorkspaceAccess {
  return {
    async readText(path): Promise<ReadResult> {
      const read = await index.policy.read(path, index.reader, { op: 'read' });
      return read.allowed ? { ok: true, text: read.text } : { ok: false, reason: read.reason };
    },
    async listFiles({ under, limit }) {
      const prefix = under ? `${under.replace(/\/$/, '')}/` : '';
      const paths: string[] = [];
      for (const path of index.paths()) {
        if (!path.startsWith(prefix)) continue;
        if (paths.length === limit) return { paths, truncated: true };
        paths.push(path);
      }
      return { paths, truncated: false };
    },
    async search({ pattern, glob, contextLines, limit, signal }): Promise<SearchResult> {
      if (!rgPath) return { ok: false, reason: 'no ripgrep' };
      const root = index.folders.folders[0].root;
      const found = await grep({
        rgPath,
        cwd: root,
        pattern,
        glob,
        contextLines,
        maxMatches: limit,
        timeoutMs: 10_000,
        signal,
      });
      if (!found.ok) return { ok: false, reason: found.message };
      const hits = [];
      for (const line of found.lines) {
        if (!(await index.policy.decide(line.path, 'search')).allowed) continue;
        hits.push({ path: line.path, line: line.line, text: line.text, ...(line.match ? {} : { context: true }) });
      }
      return { ok: true, hits, truncated: found.truncated };
    },
  };
}
