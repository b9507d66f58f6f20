/**
 * The preview's network sandbox: what a previewed page may load. Workspace files come from a
 * made-up origin that is answered from the workspace (no server, no socket); loopback is the
 * agent's own dev server; every other host is blocked before Chromium opens a connection,
 * unless the user allowed that host for the session.
 */

/** The origin workspace pages are served from; `.invalid` never resolves, so nothing leaves by mistake. */
export const WORKSPACE_ORIGIN = 'http://workspace.qcoder.invalid';

export type RequestVerdict =
  | { readonly kind: 'workspace'; readonly path: string }
  | { readonly kind: 'allow' }
  | { readonly kind: 'block'; readonly host: string; readonly reason: string };

/** Schemes Chromium answers from memory: nothing goes out. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Decides one request of a previewed page. `allowed` are hosts the user allowed for the session. */
export function judgeRequest(url: string, allowed: ReadonlySet<string> = new Set()): RequestVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'block', host: url, reason: 'not a valid URL' };
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return { kind: 'allow' };
  if (parsed.origin === WORKSPACE_ORIGIN) return { kind: 'workspace', path: decodeURIComponent(parsed.pathname) };
  if (
    parsed.protocol !== 'http:' &&
    parsed.protocol !== 'https:' &&
    parsed.protocol !== 'ws:' &&
    parsed.protocol !== 'wss:'
  )
    return { kind: 'block', host: parsed.protocol, reason: `${parsed.protocol} URLs are not loaded in the preview` };
  if (isLoopback(parsed.hostname)) return { kind: 'allow' };
  if (allowed.has(parsed.host.toLowerCase()) || allowed.has(parsed.hostname.toLowerCase())) return { kind: 'allow' };
  return { kind: 'block', host: parsed.host, reason: 'outside the workspace and loopback' };
}

/**
 * The address the browser opens for what the model asked: a workspace path, or a loopback URL.
 * Returns a message for the model when the target is neither.
 */
export function previewAddress(target: string): { ok: true; url: string } | { ok: false; message: string } {
  const trimmed = target.trim();
  if (trimmed === '')
    return { ok: false, message: 'give "target": a workspace HTML file or a http://127.0.0.1:PORT URL' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return { ok: false, message: `"${trimmed}" is not a valid URL` };
    }
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopback(parsed.hostname))
      return { ok: true, url: parsed.href };
    const only = 'the preview opens workspace files and loopback pages (http://127.0.0.1:PORT) only';
    return { ok: false, message: `${only}, not ${parsed.origin}` };
  }
  const path = trimmed.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  if (path.split('/').includes('..')) return { ok: false, message: `"${trimmed}" leaves the workspace` };
  return { ok: true, url: `${WORKSPACE_ORIGIN}/${path.split('/').map(encodeURIComponent).join('/')}` };
}

/** The workspace path back from a preview URL, for people and the model ("hexagon.html", not the made-up origin). */
export function displayUrl(url: string): string {
  return url.startsWith(`${WORKSPACE_ORIGIN}/`) ? decodeURIComponent(url.slice(WORKSPACE_ORIGIN.length + 1)) : url;
}
