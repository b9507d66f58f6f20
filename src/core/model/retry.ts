/**
 * When to try a request again: rate limits (429) and server errors (5xx), at most
 * three times, after a jittered exponential backoff or exactly as long as the
 * server's Retry-After asks (unless that is longer than a person would wait).
 */
import type { ModelError } from './errors';
import type { Sleep } from './types';

export const MAX_RETRIES = 3;
/** A Retry-After longer than this is reported instead of waited out. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BASE_DELAY_MS = 1000;

/** Milliseconds to wait before retry number `attempt` (1-based), or undefined: do not retry. */
export function retryDelay(attempt: number, error: ModelError, random: () => number = Math.random): number | undefined {
  if (attempt > MAX_RETRIES || (error.kind !== 'rate-limit' && error.kind !== 'server')) return undefined;
  if (error.retryAfterMs !== undefined) return error.retryAfterMs > MAX_RETRY_AFTER_MS ? undefined : error.retryAfterMs;
  const ceiling = BASE_DELAY_MS * 2 ** (attempt - 1);
  // "Equal jitter": half fixed, half random, so retries from many clients spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A few words for the UI: "rate limited (429)", "server error (503)". */
export function retryReason(error: ModelError): string {
  const what = error.kind === 'rate-limit' ? 'rate limited' : 'server error';
  return error.status ? `${what} (${error.status})` : what;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
