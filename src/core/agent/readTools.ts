/** The tools that look at the workspace without changing it: they run without asking. */
import { failed, numberArg, type ReadOnlyTool, stringArg } from './tool';
import type { SearchHit } from './workspace';

const MAX_READ_LINES = 2000;
const MAX_LINE_CHARS = 2000;

export const readFileTool: ReadOnlyTool = {
  schema: {
    name: 'read_file',
    description:
      'Read a text file of the workspace. Returns numbered lines ("12| text"); the numbers are not part of the ' +
      'file. Use start_line/end_line for large files.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Workspace-relative path.' },
        start_line: { type: 'integer', description: '1-based first line (default 1).' },
        end_line: { type: 'integer', description: '1-based last line, inclusive.' },
      },
      required: ['path'],
    },
  },
  title: (args) => `Read ${stringArg(args, 'path') ?? '?'}`,
  async run(args, { workspace }) {
    const path = stringArg(args, 'path');
    if (!path) return failed('read_file needs a "path".');
    const result = await workspace.readText(path);
    if (!result.ok) return failed(result.reason);
    const lines = result.text.split(/\r?\n/);
    if (lines.length > 1 && lines.at(-1) === '') lines.pop();
    const start = Math.max(1, numberArg(args, 'start_line') ?? 1);
    const requestedEnd = numberArg(args, 'end_line') ?? lines.length;
    const end = Math.min(lines.length, requestedEnd, start + MAX_READ_LINES - 1);
    if (start > lines.length && lines.length > 0)
      return failed(`${path} has ${lines.length} lines; start_line ${start} is past the end.`);
    const width = String(end).length;
    const body = lines
      .slice(start - 1, end)
      .map(
        (line, i) =>
          `${String(start + i).padStart(width)}| ` +
          `${line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut]` : line}`,
      )
      .join('\n');
    const more =
      end < lines.length ? `\n[${lines.length - end} more lines; read again with start_line=${end + 1}]` : '';
    return {
      content: `${path} (lines ${start}-${end} of ${lines.length})\n${body}${more}`,
      summary: `${end - start + 1} of ${lines.length} lines`,
    };
  },
};

export const listFilesTool: ReadOnlyTool = {
  schema: {
    name: 'list_files',
    description: 'List workspace files (ignored and secret files are left out).',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Folder to list, workspace-relative (default: the whole workspace).' },
        glob: { type: 'string', description: 'Optional glob filter, e.g. "**/*.ts".' },
      },
    },
  },
  title: (args) =>
    `List ${stringArg(args, 'path') || 'workspace'}${stringArg(args, 'glob') ? ` (${stringArg(args, 'glob')})` : ''}`,
  async run(args, { workspace }) {
    const { paths, truncated, reason } = await workspace.listFiles({
      under: stringArg(args, 'path'),
      glob: stringArg(args, 'glob'),
      limit: 500,
    });
    if (reason) return failed(reason);
    if (paths.length === 0) return { content: 'No files matched.', summary: 'no files' };
    return {
      content: paths.join('\n') + (truncated ? '\n[more files not shown; narrow with path or glob]' : ''),
      summary: `${paths.length}${truncated ? '+' : ''} files`,
    };
  },
};

export const searchTool: ReadOnlyTool = {
  schema: {
    name: 'search_files',
    description:
      'Search file contents with a regular expression (ripgrep syntax). Returns "path:line: text" for matching ' +
      'lines and "path-line- text" for context lines.',
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Regular expression.' },
        glob: { type: 'string', description: 'Optional glob to restrict files, e.g. "src/**/*.ts".' },
        context_lines: { type: 'integer', description: 'Lines to show before and after each match (0-10, default 0).' },
      },
      required: ['pattern'],
    },
  },
  title: (args) => `Search ${JSON.stringify(stringArg(args, 'pattern') ?? '')}`,
  async run(args, { workspace, signal }) {
    const pattern = stringArg(args, 'pattern');
    if (!pattern) return failed('search_files needs a "pattern".');
    const contextLines = Math.max(0, Math.min(10, numberArg(args, 'context_lines') ?? 0));
    const result = await workspace.search({ pattern, glob: stringArg(args, 'glob'), contextLines, limit: 200, signal });
    if (!result.ok) return failed(result.reason);
    const { hits, truncated, note } = result;
    const tail =
      (truncated ? '\n[more matches not shown; narrow with a pattern or glob]' : '') + (note ? `\n[${note}]` : '');
    if (hits.length === 0) return { content: `No matches for ${pattern}.${tail}`, summary: 'no matches' };
    const matches = hits.filter((hit) => !hit.context).length;
    return {
      content: hits.map(formatHit).join('\n') + tail,
      summary: `${matches}${truncated ? '+' : ''} matches`,
    };
  },
};

const formatHit = (hit: SearchHit): string =>
  `${hit.path}${hit.context ? '-' : ':'}${hit.line}${hit.context ? '-' : ':'} ${hit.text.slice(0, 300)}`;

export const readOnlyTools: readonly ReadOnlyTool[] = [readFileTool, listFilesTool, searchTool];
