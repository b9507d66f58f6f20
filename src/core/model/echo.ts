/**
 * A call the model made goes back to the server in the next request's history. Servers check that
 * history: vLLM decodes every earlier call's arguments to render its chat template, the OpenAI API
 * checks function names. A malformed call echoed as the model wrote it would make every later
 * request of the conversation fail, so what is echoed is always well formed; the tool message
 * beside it tells the model what it really sent and why it did not run.
 */
import { isRecord, parseToolArguments } from './toolArguments';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The call's arguments as a JSON object's text: as written when they are one, else the repaired or an empty one. */
export function echoedArguments(raw: string): string {
  try {
    if (isRecord(JSON.parse(raw))) return raw;
  } catch {
    // Not JSON as written: the repaired text, or nothing.
  }
  const parsed = parseToolArguments(raw, '');
  return parsed.error ? '{}' : JSON.stringify(parsed.value);
}

/** A function name every server accepts: the model's own when it is one, else its letters, digits, `_` and `-`. */
export function echoedName(name: string): string {
  if (NAME.test(name)) return name;
  const clean = name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  return /[A-Za-z0-9]/.test(clean) ? clean : 'unnamed_tool';
}
