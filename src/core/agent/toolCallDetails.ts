/**
 * What a tool card shows besides the tool's name: the one argument that tells two calls apart
 * (the city of two get_weather calls, the path of two read_file calls), and, when the card is
 * expanded, the arguments and the result, cut to a size a webview message carries easily.
 */

export interface ToolCallDetails {
  /** The key argument, one line. */
  readonly detail?: string;
  /** The arguments as pretty JSON (or as the model wrote them when they do not parse). */
  readonly arguments?: string;
  readonly result?: string;
}

/** Argument names that say what a call is about, most telling first. */
const KEY_NAMES = ['path', 'file', 'filePath', 'command', 'query', 'pattern', 'url', 'city', 'location', 'name'];
const DETAIL_LENGTH = 80;
const TEXT_LENGTH = 4000;

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function parse(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The named key argument, else the first short string or number argument. */
export function keyArgument(raw: string): string | undefined {
  const args = parse(raw);
  if (!args) return undefined;
  const named = KEY_NAMES.map((name) => args[name]).find((value) => typeof value === 'string' && value.trim());
  const first = Object.values(args).find(
    (value) => (typeof value === 'string' && value.trim()) || typeof value === 'number',
  );
  const chosen = named ?? first;
  if (chosen === undefined) return undefined;
  return cut(String(chosen).split('\n')[0].trim(), DETAIL_LENGTH);
}

export function toolCallDetails(record: { rawArguments: string; result?: string }): ToolCallDetails {
  const args = parse(record.rawArguments);
  const shown = args ? JSON.stringify(args, null, 2) : record.rawArguments.trim();
  const details: { detail?: string; arguments?: string; result?: string } = {};
  const detail = keyArgument(record.rawArguments);
  if (detail) details.detail = detail;
  if (shown && shown !== '{}') details.arguments = cut(shown, TEXT_LENGTH);
  if (record.result) details.result = cut(record.result, TEXT_LENGTH);
  return details;
}
