/**
 * Custom slash commands from `.qcoder/commands/*.md`: the file's name is the command
 * (`review.md` → `/review`), its YAML front matter may give `description` and
 * `argument-hint`, and its body is the message, with `$ARGUMENTS` replaced by everything
 * after the command and `$1`…`$9` by the single arguments (quotes group words).
 */
import { parse as parseYaml } from 'yaml';

export interface CustomCommand {
  readonly name: string;
  readonly description: string;
  readonly argumentHint?: string;
  readonly body: string;
  /** Where it came from, for messages (`app/.qcoder/commands/review.md`). */
  readonly origin: string;
  /** Builds the message itself (an MCP prompt asks its server) instead of expanding `body`. */
  readonly expand?: (args: string) => Promise<string>;
}

/** Command names the user can type: letters, digits, `-`, `_`, `.` and `:` after a letter or digit. */
export const COMMAND_NAME = /^[a-z0-9][a-z0-9._:-]*$/i;

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export type ParsedCommand =
  { readonly ok: true; readonly command: CustomCommand } | { readonly ok: false; readonly problem: string };

/** Reads one command file; `fileName` is its name in the commands folder. */
export function parseCommandFile(fileName: string, text: string, origin: string): ParsedCommand {
  const name = fileName.replace(/\.md$/i, '');
  if (!COMMAND_NAME.test(name))
    return { ok: false, problem: `${origin}: "${name}" is not a usable command name (letters, digits, - _ . :)` };
  const match = FRONT_MATTER.exec(text.replace(/^\uFEFF/, ''));
  let meta: unknown = {};
  if (match) {
    try {
      meta = parseYaml(match[1]) ?? {};
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { ok: false, problem: `${origin}: its front matter is not valid YAML (${reason})` };
    }
    if (typeof meta !== 'object' || Array.isArray(meta))
      return { ok: false, problem: `${origin}: its front matter must be "key: value" lines` };
  }
  const fields = meta as Record<string, unknown>;
  const body = (match ? text.replace(/^\uFEFF/, '').slice(match[0].length) : text).trim();
  if (!body) return { ok: false, problem: `${origin}: the command has no text after its front matter` };
  const description = stringField(fields.description) ?? firstLine(body);
  const argumentHint = stringField(fields['argument-hint']);
  return { ok: true, command: { name, description, ...(argumentHint ? { argumentHint } : {}), body, origin } };
}

function stringField(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function firstLine(body: string): string {
  const line = body.split('\n')[0].trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/** Splits arguments as a shell would for plain words: spaces separate, "double" or 'single' quotes group. */
export function splitArguments(text: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) out.push(match[1] ?? match[2] ?? match[3]);
  return out;
}

/**
 * The message a command sends: `$ARGUMENTS` → the whole argument text, `$1`…`$9` → one
 * argument each (empty when not given). With neither in the body, given arguments are
 * appended after a blank line, so they are never silently dropped.
 */
export function expandCommand(body: string, args: string): string {
  const trimmed = args.trim();
  const single = splitArguments(trimmed);
  let used = false;
  const expanded = body.replace(/\$ARGUMENTS\b|\$([1-9])(?![0-9])/g, (_whole, digit: string | undefined) => {
    used = true;
    return digit ? (single[Number(digit) - 1] ?? '') : trimmed;
  });
  return used || !trimmed ? expanded : `${expanded}\n\n${trimmed}`;
}
