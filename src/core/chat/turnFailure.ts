/**
 * How a failed or stopped answer ends. Stop wins over whatever error the abort caused; an error
 * that is not the model client's own counts as a malformed reply; a refusal the tools can explain
 * (a tool schema the server would not take) carries the explanation; and the text is redacted
 * before it is shown or logged, since a server may echo the API key back in its error.
 */
import type { ToolRunner } from '../agent/toolRunner';
import { ModelError } from '../model/errors';

export interface TurnFailure {
  /** How the reply ends. */
  readonly status: 'stopped' | 'error';
  /** What the reply says went wrong (none when stopped). */
  readonly error?: string;
  /** The line for the log (none when stopped). */
  readonly log?: string;
}

export function turnFailure(
  error: unknown,
  aborted: boolean,
  tools: ToolRunner | undefined,
  redact: (text: string) => string,
): TurnFailure {
  const failure = modelError(error, aborted);
  if (failure.kind === 'aborted') return { status: 'stopped' };
  const refusal = tools?.explainRefusal(failure.message);
  const message = redact(refusal ? `${failure.message}\n\n${refusal}` : failure.message);
  return { status: 'error', error: message, log: `request failed (${failure.kind}): ${message}` };
}

function modelError(error: unknown, aborted: boolean): ModelError {
  if (aborted) return new ModelError('aborted', 'stopped');
  return error instanceof ModelError ? error : new ModelError('malformed', String(error));
}
