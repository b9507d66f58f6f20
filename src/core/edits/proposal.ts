/**
 * Proposals: a change to one file computed against a known base text (hash and, from the
 * host, document version), with hunks for per-hunk review. `rebase` carries a proposal over
 * to a text that changed since, or refuses.
 */
import { applyEdits, type Region } from './apply';
import { applyHunks, computeHunks } from './hunks';
import { contentHash, lineAtBody, normalizeEol, splitKeepingEol, toTextModel, withEol } from './text';
import type { Edit, EditProblem, Hunk, Proposal, ProposalResult, Refusal, RefusalKind } from './types';

export function refuse(kind: RefusalKind, message: string, problems?: readonly EditProblem[]): Refusal {
  return problems ? { ok: false, kind, message, problems } : { ok: false, kind, message };
}

/** Applies an `edit_file` call to `currentText`; all edits land or none. */
export function computeProposal(path: string, currentText: string, version: number | undefined, edits: readonly Edit[]): ProposalResult {
  if (edits.length === 0) return refuse('invalid_arguments', `No change was made to ${path}: edits is empty.`);
  const applied = applyEdits(currentText, edits);
  if (!applied.ok) return refuse(applied.problems[0].kind, describeProblems(path, applied.problems, edits.length), applied.problems);
  if (applied.newText === currentText) {
    return refuse('no_change', `No change was made to ${path}: new_text gives the same file as before${edits.length > 1 ? ' for every edit' : ''}.`);
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
  const lines = problems.map((problem) => `- edit ${problem.edit + 1}${total > 1 ? ` of ${total}` : ''}: ${problem.detail}.`);
  const together = total > 1 ? ' The edits of one call apply together or not at all: fix these and send the whole call again.' : '';
  return `No change was made to ${path}.${together}\n${lines.join('\n')}`;
}

/**
 * Applies a `write_file` call. An existing file keeps its BOM, its dominant line ending and
 * whether it ends with a newline; a new file is written as given.
 */
export function computeWriteProposal(path: string, currentText: string | undefined, content: string, version?: number): ProposalResult {
  const created = currentText === undefined;
  const base = toTextModel(currentText ?? '');
  let newText = content;
  if (!created) {
    const { eol, bom, finalNewline } = base.facts;
    let body = withEol(normalizeEol(content.replace(/^\uFEFF/, '')), eol);
    if (base.body !== '') {
      if (finalNewline && body !== '' && !body.endsWith('\n')) body += eol;
      if (!finalNewline) body = body.replace(/\r?\n$/, '');
    }
    newText = (bom ? '\uFEFF' : '') + body;
  }
  if (!created && newText === currentText) return refuse('no_change', `No change was made to ${path}: content is the same as the file.`);
  const region: Region = { firstLine: 0, endLine: base.lines.length, oldText: base.body, newText: newText.slice(base.bomLength && newText.startsWith('\uFEFF') ? 1 : 0) };
  return {
    ok: true,
    kind: 'write',
    path,
    baseHash: contentHash(currentText ?? ''),
    ...(version !== undefined ? { baseVersion: version } : {}),
    created,
    newText,
    hunks: computeHunks(base, [region]),
    matches: [],
    facts: created ? toTextModel(newText).facts : base.facts,
  };
}

/** Whether the proposal was computed on exactly this text (and version, when both are known). */
export function isCurrent(proposal: Proposal, currentText: string, version?: number): boolean {
  if (version !== undefined && proposal.baseVersion !== undefined && version === proposal.baseVersion) return true;
  return contentHash(currentText) === proposal.baseHash;
}

/**
 * Moves a proposal onto `currentText`, which changed since the proposal was made: each hunk
 * is found again by its own lines with the unchanged lines around it, once and in order,
 * or the whole proposal is refused as stale (the model should read the file again).
 */
export function rebase(proposal: Proposal, currentText: string, version?: number): ProposalResult {
  if (contentHash(currentText) === proposal.baseHash) return version === undefined ? proposal : { ...proposal, baseVersion: version };
  const model = toTextModel(currentText);
  const hunks: Hunk[] = [];
  let cursor = model.bomLength;
  let delta = 0;
  for (const hunk of proposal.hunks) {
    const start = relocate(currentText, hunk, cursor);
    if (start === undefined) {
      return refuse('stale', `${proposal.path} changed since this edit was proposed, and the lines around change ${hunk.id + 1} (old line ${hunk.oldStart + 1}) are no longer there as they were. Read the file again and propose the edit anew.`);
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
  return {
    ...proposal,
    baseHash: contentHash(currentText),
    ...(version !== undefined ? { baseVersion: version } : {}),
    newText: applyHunks(currentText, hunks),
    hunks,
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
