/** The requests "Explain This File" sends to the chat, and which files of a folder speak for it. */

const STRUCTURE = [
  'Structure the answer under these headings:',
  '1. **Purpose**: what it is for, in two or three sentences.',
  '2. **Main parts**: its main functions, classes or sections, and what each does.',
  '3. **How it is used**: who imports or calls it (see the neighbouring files in the context) and what it depends on.',
  '4. **Pitfalls**: surprising behaviour, edge cases, things that are easy to break.',
].join('\n');

const CITE =
  'Cite the code as `path:line` or `path:start-end` (for example `src/app.ts:12-30`), with the ' +
  'path relative to the workspace.';

/** What the chat bubble shows for an Explain request (the model gets the whole prompt). */
export function explainLabel(path: string, selection?: { start: number; end: number }): string {
  return selection ? `Explain lines ${selection.start}-${selection.end} of ${path}` : `Explain ${path}`;
}

export function explainFilePrompt(path: string): string {
  return `Explain this file: \`${path}\` (pinned in the context).\n\n${STRUCTURE}\n\n${CITE}`;
}

export function explainSelectionPrompt(path: string, selection: { start: number; end: number; text: string }): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(selection.text) + 1));
  return [
    `Explain lines ${selection.start}-${selection.end} of \`${path}\` in the context of the ` +
      `file (pinned in the context):`,
    '',
    fence,
    selection.text,
    fence,
    '',
    STRUCTURE.replace('what it is for', 'what these lines do'),
    '',
    CITE,
  ].join('\n');
}

export function explainFolderPrompt(path: string): string {
  return [
    `Explain the role of the folder \`${path}\` in this project, from its file list and main files: @folder:${path}`,
    '',
    'Say what the folder is for, its main files and what each does, how the rest of the project uses it, and pitfalls.',
    '',
    CITE,
  ].join('\n');
}

const MAIN_NAMES = [
  /^readme(\.\w+)?$/i,
  /^index\.\w+$/i,
  /^main\.\w+$/i,
  /^mod\.rs$/,
  /^lib\.rs$/,
  /^__init__\.py$/,
  /^package\.json$/,
  /^cargo\.toml$/i,
  /^go\.mod$/,
  /^pyproject\.toml$/,
];

/** The folder's files that describe it best: readme and entry points first, else the first few by name. */
export function mainFiles(names: readonly string[], max = 4): string[] {
  const sorted = [...names].sort((a, b) => a.localeCompare(b));
  const main = MAIN_NAMES.flatMap((pattern) => sorted.filter((name) => pattern.test(name)));
  const chosen = [...new Set(main)];
  for (const name of sorted) if (chosen.length < Math.min(max, 3) && !chosen.includes(name)) chosen.push(name);
  return chosen.slice(0, max);
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
