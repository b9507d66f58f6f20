/**
 * An API key is bound to the endpoint it was given for: the base URL's origin and path
 * (`https://openrouter.ai/api/v1`). A key is sent only where its binding matches; a changed
 * endpoint asks the user first, so a hand-edited base URL cannot carry a key to a server it
 * was not made for. The binding is stored with the key, in one secret, so the two never part.
 */

export interface StoredKey {
  readonly key: string;
  /** The endpoint the key was stored for; undefined for a key stored before keys were bound. */
  readonly endpoint?: string;
}

/** The part of a base URL a key is bound to: scheme, host, port and path; never query, fragment or credentials. */
export function keyEndpoint(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether a key stored for `stored` may go to `baseUrl` without asking. */
export function keyMatches(stored: StoredKey, baseUrl: string): boolean {
  const endpoint = keyEndpoint(baseUrl);
  return endpoint !== undefined && stored.endpoint === endpoint;
}

export function encodeStoredKey(key: string, baseUrl: string): string {
  const endpoint = keyEndpoint(baseUrl);
  return JSON.stringify(endpoint ? { key, endpoint } : { key });
}

/** Reads a stored secret: `{ key, endpoint }`, or a bare key from before binding (no endpoint). */
export function decodeStoredKey(raw: string | undefined): StoredKey | undefined {
  if (!raw) return undefined;
  if (!raw.startsWith('{')) return { key: raw };
  let value: { key?: unknown; endpoint?: unknown };
  try {
    value = JSON.parse(raw) as typeof value; // an object: the text starts with "{"
  } catch {
    return { key: raw }; // not ours: a bare key that happens to start with "{"
  }
  const { key, endpoint } = value;
  if (typeof key !== 'string' || !key) return { key: raw };
  return typeof endpoint === 'string' ? { key, endpoint } : { key };
}
