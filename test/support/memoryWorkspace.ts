import type { ReadResult, SearchHit, SearchResult, WorkspaceAccess } from '../../src/core/agent/workspace';

/** A workspace in a Map, for the agent's unit tests; `.env` files are denied like the real rules do. */
export class MemoryWorkspace implements WorkspaceAccess {
  readonly files: Map<string, string>;
  constructor(files: Record<string, string>) {
    this.files = new Map(Object.entries(files));
  }
  async readText(path: string): Promise<ReadResult> {
    if (path.startsWith('/') || path.split('/').includes('..'))
      return { ok: false, reason: `${path} is outside the workspace.` };
    if (/(^|\/)\.env/.test(path)) return { ok: false, reason: `${path} is a secrets file; QCoder does not read it.` };
    const text = this.files.get(path);
    return text === undefined ? { ok: false, reason: `${path} does not exist.` } : { ok: true, text };
  }
  async listFiles(options: { under?: string; limit: number }): Promise<{ paths: string[]; truncated: boolean }> {
    const all = [...this.files.keys()]
      .filter((p) => !options.under || p.startsWith(`${options.under.replace(/\/$/, '')}/`))
      .sort();
    return { paths: all.slice(0, options.limit), truncated: all.length > options.limit };
  }
  async search(options: { pattern: string; limit: number }): Promise<SearchResult> {
    const regex = new RegExp(options.pattern);
    const hits: SearchHit[] = [];
    for (const [path, text] of [...this.files].sort()) {
      text.split('\n').forEach((line, i) => {
        if (regex.test(line)) hits.push({ path, line: i + 1, text: line });
      });
    }
    return { ok: true, hits: hits.slice(0, options.limit), truncated: hits.length > options.limit };
  }
}
