/**
 * A failed answer as the chat shows it: a sentence in plain words first, the exact text
 * (error codes, host:port, the server's own words) behind "Details", and the one action
 * that can help. It reads the message text (`model/errors.ts` wrote it) rather than an
 * error kind because that text is what sessions keep on disk: an old failed answer shows
 * the same way after a reload.
 */

export type ErrorAction = 'setApiKey' | 'chooseProvider' | 'retry' | 'none';

export interface PlainError {
  readonly summary: string;
  /** The full original text, when it says more than the summary. */
  readonly details?: string;
  readonly action: ErrorAction;
}

interface Rule {
  readonly test: RegExp;
  readonly summary: string;
  readonly action: ErrorAction;
}

const RULES: readonly Rule[] = [
  {
    test: /rejected the API key|\(401\)|no API key|API key is (missing|not set)/i,
    summary: 'The model server did not accept the API key.',
    action: 'setApiKey',
  },
  {
    test: /out of credits|\(402\)/i,
    summary: 'The account behind this API key has no credits left.',
    action: 'none',
  },
  {
    test: /refused access \(403\)/i,
    summary: 'This API key may not use this model.',
    action: 'setApiKey',
  },
  {
    test: /answered 404|does not exist there/i,
    summary: 'The server does not know this model or address.',
    action: 'chooseProvider',
  },
  {
    test: /Could not connect|connection refused|host not found|ECONNREFUSED|ENOTFOUND/i,
    summary: 'QCoder could not reach the model server. Is it running?',
    action: 'chooseProvider',
  },
  {
    test: /broke off|UND_ERR|ECONNRESET|terminated|premature close/i,
    summary: 'The connection to the model server broke off before the answer was complete.',
    action: 'retry',
  },
  { test: /rate limiting|\(429\)/i, summary: 'The server is busy with too many requests.', action: 'retry' },
  { test: /gave up waiting|timed out|\(408\)/i, summary: 'The model took too long to answer.', action: 'retry' },
  {
    test: /longer than the model's context window/i,
    summary: "The conversation no longer fits in the model's memory. Start a new chat.",
    action: 'none',
  },
  { test: /server error \(5\d\d\)|reported an error/i, summary: 'The model server had a problem.', action: 'retry' },
];

/** Words a person understands for `text`; unknown texts keep their own words and offer Retry. */
export function plainError(text: string | undefined): PlainError {
  const original = (text ?? '').trim();
  if (!original) return { summary: 'The answer failed.', action: 'retry' };
  const rule = RULES.find((candidate) => candidate.test.test(original));
  if (!rule) return { summary: original, action: 'retry' };
  return { summary: rule.summary, details: original, action: rule.action };
}
