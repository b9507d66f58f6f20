/**
 * `@file:` and `@folder:` mentions resolved through the access policy: an explicit mention
 * may name an ignored file, never a secret. The editor's resolver and `qcoder context` use
 * these, so both attach the same thing for the same words.
 */
import type { Mention, WorkspaceIndex } from '../context';
import type { ParsedMention } from './mentions';

const MAX_FOLDER_FILES = 300;

/** The file as a mention, or why it cannot be attached. */
export async function resolveFileMention(mention: ParsedMention, index: WorkspaceIndex): Promise<Mention | string> {
  // Reads it too: a missing, binary, huge or credential-holding file is refused here, by the same rules as everywhere.
  const read = await index.policy.read(mention.path ?? '', index.reader, { explicit: true });
  if (!read.allowed) return read.reason;
  const display = index.folders.display(read.location.folder, read.location.rel);
  return { kind: 'file', path: display, ...(mention.range ? { range: mention.range } : {}) };
}

/** The folder's allowed files as a listing, or why there is none. */
export function resolveFolderMention(mention: ParsedMention, index: WorkspaceIndex): Mention | string {
  const prefix = (mention.path ?? '').replace(/^\.\/?/, '').replace(/\/?$/, '/');
  const files = prefix === '/' ? [...index.paths()] : [...index.paths()].filter((path) => path.startsWith(prefix));
  if (!files.length) return `no files QCoder may read are in ${prefix}`;
  const listed = files.slice(0, MAX_FOLDER_FILES);
  const more = files.length > listed.length ? `\n… and ${files.length - listed.length} more` : '';
  return {
    kind: 'text',
    id: `folder:${prefix}`,
    title: `folder ${prefix} (${files.length} files)`,
    text: `Files in ${prefix}:\n${listed.join('\n')}${more}`,
    reason: '@folder',
  };
}
