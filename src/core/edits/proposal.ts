/**
 * Proposals: a change to one file computed against a known base text (hash and, from the
 * host, document version), with hunks for per-hunk review. `rebase` carries a proposal over
 * to a text that changed since, or refuses.
 */
import { applyEdits, type Region } from './apply';
import { applyHunks, computeHunks } from './hunks';
import { contentHash, lineAtBody, normalizeEol, splitKeepingEol, toTextModel, withEol, type TextModel } from './text';
import type { Edit, EditProblem, Hunk, Proposal, ProposalResult, Refusal, RefusalKind, TextFacts } from './types';

export function refuse(kind: RefusalKind, message: string, problems?: readonly EditProblem[]): Refusal {
  return problems ? { ok: false, kind, message, problems } : { ok: false, kind, message };
}

/** Applies an `edit_file` call to `currentText`; all edits land or none. */
export function computeProposal(
  path: string,
  currentText: string,
  version: number | undefined,
  edits: readonly Edit[],
): ProposalResult {
  if (edits.length === 0) return refuse('invalid_arguments', `No change was made to ${path}: edits is empty.`);
  const applied = applyEdits(currentText, edits);
  if (!applied.ok)
    return refuse(applied.problems[0].kind, describeProblems(path, applied.problems, edits.length), applied.problems);
  if (applied.newText === currentText) {
    return refuse(
      'no_change',
      `No change was made to ${path}: new_text gives the same file as ` +
        `before${edits.length > 1 ? ' for every edit' : ''}.`,
    );
  }
  return {
    ok: true,
    kind: 'edit',
    path,
    baseHash: contentHash(currentText),
    ...(version !== undefined ? { baseVersion: version } : {}),
    created: false,
    newText: applied.newText,
    hunks: computeHunks(applied.model, applied.regions),
    matches: applied.matches,
    facts: applied.model.facts,
  };
}

function describeProblems(path: string, problems: readonly EditProblem[], total: number): string {
  const lines = problems.map(
    (problem) => `- edit ${problem.edit + 1}${total > 1 ? ` of ${total}` : ''}: ${problem.detail}.`,
  );
  const together =
    total > 1 ? ' The edits of one call apply together or not at all: fix these and send the whole call again.' : '';
  return `No change was made to ${path}.${together}\n${lines.join('\n')}`;
}

/**
 * Applies a `write_file` call. An existing file keeps its BOM, its dominant line ending and
 * whether it ends with a newline; a new file is written as given.
 */
export function computeWriteProposal(
  path: string,
  currentText: string | undefined,
  content: string,
  version?: number,
): ProposalResult {
  if (currentText === undefined) {
    return wholeText('write', path, toTextModel(''), content, version, toTextModel(content).facts);
  }
  const base = toTextModel(currentText);
  const { eol, bom, finalNewline } = base.facts;
  let body = withEol(normalizeEol(content.replace(/^\uFEFF/, '')), eol);
  if (base.body !== '') {
    if (finalNewline && body !== '' && !body.endsWith('\n')) body += eol;
    if (!finalNewline) body = body.replace(/\r?\n$/, '');
  }
  if ((bom ? '\uFEFF' : '') + body === currentText)
    return refuse('no_change', `No change was made to ${path}: content is the same as the file.`);
  return wholeText('write', path, base, body, version);
}

/**
 * The proposal that turns `baseText` into `newText`, split into hunks of whole lines. Lines
 * are compared byte for byte, terminators included, so every line the two texts share keeps
 * its own bytes and ending: a file with mixed line endings, or a change to the final newline,
 * comes out hunk by hunk like any other change. The BOM is the base's (it belongs to the
 * encoding, not to a line: no hunk adds or removes one).
 */
export function diffProposal(path: string, baseText: string, newText: string, version?: number): ProposalResult {
  const base = toTextModel(baseText);
  const body = newText.charCodeAt(0) === 0xfeff ? newText.slice(1) : newText;
  if (body === base.body)
    return refuse('no_change', `No change was made to ${path}: the new text is the same as the file.`);
  return wholeText('edit', path, base, body, version);
}

/**
 * A proposal that replaces the whole body of `base` by `body`, diffed into hunks; the BOM
 * stays as it was. `createdFacts`: the file does not exist yet, and these are the new text's.
 */
function wholeText(
  kind: Proposal['kind'],
  path: string,
  base: TextModel,
  body: string,
  version: number | undefined,
  createdFacts?: TextFacts,
): Proposal {
  const region: Region = { firstLine: 0, endLine: base.lines.length, oldText: base.body, newText: body };
  return {
    ok: true,
    kind,
    path,
    baseHash: contentHash(base.raw),
    ...(version !== undefined ? { baseVersion: version } : {}),
    created: createdFacts !== undefined,
    newText: base.raw.slice(0, base.bomLength) + body,
    hunks: computeHunks(base, [region]),
    matches: [],
    facts: createdFacts ?? base.facts,
  };
}

/**
 * Whether the proposal was computed on exactly this text: its hash decides. A document's
 * version is no proof of sameness (versions start again when a document is closed and
 * reopened), only a quick "no": a different version means the document was edited since.
 * That "no" may be too cautious (an edit undone, a reopened file): `rebase` finds the text
 * unchanged and keeps the hunks where they are.
 */
export function isCurrent(proposal: Proposal, currentText: string, version?: number): boolean {
  if (version !== undefined && proposal.baseVersion !== undefined && version !== proposal.baseVersion) return false;
  return contentHash(currentText) === proposal.baseHash;
}

/**
 * Moves a proposal onto `currentText`, which changed since the proposal was made: each hunk
 * is found again by its own lines with the unchanged lines around it, once and in order,
 * or the whole proposal is refused as stale (the model should read the file again).
 */
export function rebase(proposal: Proposal, currentText: string, version?: number): ProposalResult {
  const baseHash = contentHash(currentText);
  if (baseHash === proposal.baseHash) return version === undefined ? proposal : { ...proposal, baseVersion: version };
  const model = toTextModel(currentText);
  const hunks: Hunk[] = [];
  let cursor = model.bomLength;
  let delta = 0;
  for (const hunk of proposal.hunks) {
    const start = relocate(currentText, hunk, cursor);
    if (start === undefined) {
      return refuse(
        'stale',
        `${proposal.path} changed since this edit was proposed, and the lines around change ` +
          `${hunk.id + 1} (old line ${hunk.oldStart + 1}) are no longer there as they were. Read the file ` +
          `again and propose the edit anew.`,
      );
    }
    const bodyStart = start - model.bomLength;
    const line = lineAtBody(model, bodyStart);
    hunks.push({
      ...hunk,
      oldStart: line,
      newStart: line + delta,
      start,
      end: start + hunk.oldText.length,
      before: model.body.slice(model.bodyStarts[Math.max(0, line - 3)], bodyStart),
      after: afterContext(model.body, bodyStart + hunk.oldText.length),
    });
    delta += splitKeepingEol(hunk.newText).length - splitKeepingEol(hunk.oldText).length;
    cursor = start + hunk.oldText.length;
  }
  // Spelled out rather than spread: the old base's version must not outlive it.
  return {
    ok: true,
    kind: proposal.kind,
    path: proposal.path,
    baseHash,
    ...(version !== undefined ? { baseVersion: version } : {}),
    created: proposal.created,
    newText: applyHunks(currentText, hunks),
    hunks,
    matches: proposal.matches,
    facts: model.facts,
  };
}

/** The hunk's start in `text` at or after `from`, if its lines and context occur exactly once there. */
function relocate(text: string, hunk: Hunk, from: number): number | undefined {
  const needle = hunk.before + hunk.oldText + hunk.after;
  if (needle === '') return undefined;
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) return undefined;
  const start = at + hunk.before.length;
  if (start < from) return undefined;
  // A hunk starts at the start of a line.
  return start === 0 || text[start - 1] === '\n' || (start === 1 && text[0] === '\uFEFF') ? start : undefined;
}

function afterContext(body: string, end: number): string {
  let cursor = end;
  for (let k = 0; k < 3 && cursor < body.length; k++) {
    const newline = body.indexOf('\n', cursor);
    cursor = newline < 0 ? body.length : newline + 1;
  }
  return body.slice(end, cursor);
}
