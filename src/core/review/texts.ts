/**
 * Text facts the review needs and VS Code hides: an editor buffer has no BOM (it is part of
 * the encoding) and may have unified mixed line endings, so a file read from disk and the
 * same file's document are compared in a form where those differences vanish.
 */
import { createHash } from 'node:crypto';

const BOM = '\uFEFF';

/** The text without a leading BOM and with every CRLF as LF. */
export function comparable(text: string): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  return body.includes('\r\n') ? body.replace(/\r\n/g, '\n') : body;
}

/** Whether two texts are the same file content as a document shows it. */
export const equivalent = (a: string, b: string): boolean => a === b || comparable(a) === comparable(b);

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** UTF-8 only, exactly: text that would not write back to the same bytes is refused, not mangled. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return { ok: false, reason: 'is a binary file' };
  const text = Buffer.from(bytes).toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) {
    return { ok: false, reason: 'is not UTF-8 text (QCoder edits UTF-8 files only)' };
  }
  return { ok: true, text };
}

export const encodeUtf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Lines as a person counts them: '' has none, a final newline does not start another. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}
