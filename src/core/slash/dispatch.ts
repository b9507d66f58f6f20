/**
 * Slash commands typed at the start of a chat message: the built-ins act (a new chat,
 * compaction, a mode, an editor command) or become the message to send (`/init`); custom
 * ones from `.qcoder/commands/*.md` expand into the message as written. A `/word` that is
 * no command says which commands exist instead of going to the model.
 */
import { type CustomCommand, expandCommand } from './customCommands';

export interface SlashCommandInfo {
  readonly name: string;
  readonly description: string;
  readonly argumentHint?: string;
  readonly builtin: boolean;
}

export const BUILTIN_COMMANDS: readonly SlashCommandInfo[] = [
  { name: 'new', description: 'Start a new chat', builtin: true },
  { name: 'compact', description: 'Summarise this chat and go on in a new one from the summary', builtin: true },
  { name: 'explain', description: 'Explain the file in the active editor', builtin: true },
  { name: 'tests', description: 'Generate tests for the active editor', builtin: true },
  { name: 'init', description: 'Draft an AGENTS.md for this project (as an edit to review)', builtin: true },
  {
    name: 'plan',
    description: 'Switch to Plan mode (read-only), then send the rest',
    argumentHint: '[message]',
    builtin: true,
  },
  { name: 'help', description: 'List the slash commands', builtin: true },
];

/** What the chat does with a message. */
export type SlashOutcome =
  /** Send this text as the user's message. */
  | { readonly kind: 'send'; readonly text: string }
  /** Done here; `note` is shown in the chat (not sent to the model). */
  | { readonly kind: 'done'; readonly note?: string };

/** What the built-ins need from the editor and the chat. */
export interface SlashHost {
  readonly trusted: boolean;
  newChat(): Promise<void>;
  /** Compacts the conversation now; resolves to what the chat should say about it. */
  compact(): Promise<string>;
  runCommand(command: 'qcoder.explainFile' | 'qcoder.generateTests'): Promise<void>;
  setMode(mode: 'plan'): Promise<void>;
  /** The custom commands the chat may use (none in an untrusted workspace until loaded). */
  customCommands(): Promise<{ readonly commands: readonly CustomCommand[]; readonly problems: readonly string[] }>;
}

const SLASH = /^\/([a-z0-9][a-z0-9._:-]*)(?:[ \t\r\n]+([\s\S]*))?$/i;

/** `/name rest` → its parts; undefined for text that is not a command (`/usr/bin/env`, `/ hi`). */
export function parseSlash(text: string): { readonly name: string; readonly args: string } | undefined {
  const match = SLASH.exec(text.trimEnd());
  return match ? { name: match[1], args: (match[2] ?? '').trim() } : undefined;
}

/** Every command the user can type, built-ins first, for the completion menu and `/help`. */
export function slashCommandList(custom: readonly CustomCommand[]): SlashCommandInfo[] {
  const builtin = new Set(BUILTIN_COMMANDS.map((command) => command.name));
  const extra = custom
    .filter((command) => !builtin.has(command.name))
    .map((command) => ({
      name: command.name,
      description: command.description,
      ...(command.argumentHint ? { argumentHint: command.argumentHint } : {}),
      builtin: false,
    }));
  return [...BUILTIN_COMMANDS, ...extra];
}

export function describeCommands(list: readonly SlashCommandInfo[]): string {
  return list
    .map(
      (command) =>
        `- \`/${command.name}${command.argumentHint ? ` ${command.argumentHint}` : ''}\` — ${command.description}`,
    )
    .join('\n');
}

/** The message `/init` sends: the model reads the project and proposes AGENTS.md with the edit tools. */
export const INIT_PROMPT = [
  'Draft an AGENTS.md file at the root of this workspace for coding agents working on this project.',
  'First look at the project with your read tools: the README, the package or build files, the folder layout, ' +
    'the test setup, the lint and format configuration.',
  'Then write AGENTS.md with write_file (if it already exists, read it and improve it with edit_file instead). ' +
    'Keep it short and concrete, in Markdown:',
  '- what the project is, in two or three sentences;',
  '- how to build, run, test and lint it (the exact commands);',
  '- the layout: the main folders and what lives where;',
  '- the conventions a contributor must follow (style, naming, tests, anything the configuration enforces).',
  'Only write what you found in the files; do not guess. The user reviews the file before it is written.',
].join('\n');

export async function runSlash(text: string, host: SlashHost): Promise<SlashOutcome | undefined> {
  const parsed = parseSlash(text);
  if (!parsed) return undefined;
  const { name, args } = parsed;
  switch (name.toLowerCase()) {
    case 'new':
      await host.newChat();
      return { kind: 'done' };
    case 'compact':
      return { kind: 'done', note: await host.compact() };
    case 'explain':
      await host.runCommand('qcoder.explainFile');
      return { kind: 'done' };
    case 'tests':
      await host.runCommand('qcoder.generateTests');
      return { kind: 'done' };
    case 'init':
      if (!host.trusted)
        return {
          kind: 'done',
          note:
            '/init writes AGENTS.md through an edit, and edits are off in an untrusted ' +
            'workspace. Trust the workspace first.',
        };
      return { kind: 'send', text: args ? `${INIT_PROMPT}\n\nAlso: ${args}` : INIT_PROMPT };
    case 'plan':
      await host.setMode('plan');
      return args
        ? { kind: 'send', text: args }
        : { kind: 'done', note: 'Plan mode: the agent reads and plans, and changes nothing.' };
    case 'help':
      return {
        kind: 'done',
        note: `Slash commands:\n\n${describeCommands(slashCommandList((await host.customCommands()).commands))}`,
      };
  }
  const { commands, problems } = await host.customCommands();
  const custom = commands.find((command) => command.name === name);
  if (custom)
    return { kind: 'send', text: custom.expand ? await custom.expand(args) : expandCommand(custom.body, args) };
  const also = problems.length
    ? `\n\nSome command files could not be read:\n${problems.map((line) => `- ${line}`).join('\n')}`
    : '';
  return {
    kind: 'done',
    note:
      `There is no command /${name}. The commands are:\n\n` +
      `${describeCommands(slashCommandList(commands))}${also}\n\nTo send text that starts ` +
      `with "/", put a space before it.`,
  };
}
