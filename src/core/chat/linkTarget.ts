/**
 * What a link in a model answer may open, decided by the host (the webview only reports the
 * click): a web page over http(s), after the user confirms the URL, or a file of the workspace,
 * by a relative path with an optional line (`src/a.ts:12`, `src/a.ts#L12`). Anything else
 * (`javascript:`, `command:`, `file:`, absolute paths, `..`) opens nothing.
 */

export type LinkTarget =
  | { readonly kind: 'web'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string; readonly line?: number; readonly endLine?: number }
  | { readonly kind: 'refused'; readonly reason: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINE_FRAGMENT = /#L(\d+)(?:C\d+)?(?:-L?(\d+)(?:C\d+)?)?$/i;
const LINE_SUFFIX = /:(\d+)(?::\d+)?$/;

export function linkTarget(href: string): LinkTarget {
  const text = href.trim();
  if (!text) return { kind: 'refused', reason: 'the link is empty' };
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme && !/^[a-z]$/i.test(scheme)) return webTarget(text, scheme);
  return fileTarget(text);
}

function webTarget(text: string, scheme: string): LinkTarget {
  if (scheme !== 'http' && scheme !== 'https')
    return { kind: 'refused', reason: `links with the scheme "${scheme}:" are not opened` };
  try {
    // An http(s) URL without a host does not parse, so a parsed one always names a server.
    return { kind: 'web', url: new URL(text).href };
  } catch {
    return { kind: 'refused', reason: 'the link is not a valid URL' };
  }
}

function fileTarget(text: string): LinkTarget {
  let spelled = text;
  let line: number | undefined;
  let endLine: number | undefined;
  const fragment = LINE_FRAGMENT.exec(spelled) ?? LINE_SUFFIX.exec(spelled);
  if (fragment) {
    line = Number(fragment[1]);
    // `#L10-L40`: the range, when it runs forward.
    if (fragment[2] && Number(fragment[2]) > line) endLine = Number(fragment[2]);
    spelled = spelled.slice(0, fragment.index);
  }
  spelled = spelled.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(spelled);
  } catch {
    return { kind: 'refused', reason: 'the path is not valid' };
  }
  if (/^[a-z]:/i.test(decoded) || /^[/\\]/.test(decoded))
    return { kind: 'refused', reason: 'absolute paths are not opened' };
  if (decoded.includes('\0')) return { kind: 'refused', reason: 'the path is not valid' };
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment && segment !== '.');
  if (segments.length === 0) return { kind: 'refused', reason: 'the link names no file' };
  if (segments.includes('..')) return { kind: 'refused', reason: 'paths outside the workspace are not opened' };
  const path = segments.join('/');
  if (!line) return { kind: 'file', path };
  return endLine ? { kind: 'file', path, line, endLine } : { kind: 'file', path, line };
}
