/**
 * A pasted issue carries the repository's own issue form: "Steps to reproduce the
 * behavior", "Expected behavior", "- OS:", "Python version:". Those words are in every
 * report the project gets, so they say nothing about this one, yet they are rare in the
 * code and match the template itself and the docs that quote it, and push the code out.
 * The lines of the request's prose that the form printed are left out, and a form's label
 * before a value (`- OS: Linux`) leaves the value. Only whole lines are matched, never
 * single words: a word the form happens to use (`autodoc`, `conf.py`) still counts where
 * the reporter wrote it, and code blocks are left as they are.
 */
import { closesFence, fenceRun } from './requestParts';

/** GitHub's issue templates and issue forms (Markdown or YAML), and a lone `ISSUE_TEMPLATE.md`. */
export const ISSUE_TEMPLATE_PATH =
  /(^|\/)\.github\/ISSUE_TEMPLATE(\/[^/]+\.(md|ya?ml)|\.md)$|(^|\/)ISSUE_TEMPLATE\.md$/i;

export interface IssueForm {
  /** Normalised lines the forms print (a trailing colon dropped). */
  readonly lines: ReadonlySet<string>;
  /** Normalised labels the forms print before a value (`os` of `- OS: [e.g. Linux]`); a line is a label too. */
  readonly labels: ReadonlySet<string>;
}

/** The keys of an issue form (YAML) or a template's front matter whose values a reporter sees. */
const SHOWN_KEYS = new Set(['name', 'about', 'title', 'label', 'description', 'placeholder', 'value']);
/** A key, after its indentation and a list item's dash (together the key's column), and its value. */
const KEY_LINE = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*:(?:\s+|$)(.*)$/;

/** Lower case, letters, digits and colons only, single spaces, no trailing colon. */
export function normaliseLine(line: string): string {
  return line
    .toLowerCase()
    .replace(/[^a-z0-9:]+/g, ' ')
    .replace(/\s*:\s*/g, ': ')
    .trim()
    .replace(/:$/, '');
}

/** What a reporter sees of one template: a YAML form's shown values, or a Markdown template past its front matter. */
export function shownText(path: string, text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (/\.ya?ml$/i.test(path)) return shownValues(lines);
  if (lines[0].trim() !== '---') return lines;
  const end = lines.indexOf('---', 1);
  if (end < 0) return lines;
  return [...shownValues(lines.slice(1, end)), ...lines.slice(end + 1)];
}

/**
 * The values of the shown keys, block scalars (`|`, `>-`) with their lines: those indented past
 * the key's column, across blank lines (a form's Markdown has paragraphs).
 */
function shownValues(lines: readonly string[]): string[] {
  const out: string[] = [];
  let block: number | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (block !== undefined && indent > block) {
      out.push(line);
      continue;
    }
    block = undefined;
    const key = KEY_LINE.exec(line);
    if (!key || !SHOWN_KEYS.has(key[2])) continue;
    const value = key[3].trim();
    if (/^[|>][+-]?$/.test(value)) block = key[1].length;
    else out.push(value.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

/** The lines and labels of the repository's issue forms (`templates`: path and text of each). */
export function issueForm(templates: readonly { path: string; text: string }[]): IssueForm {
  const lines = new Set<string>();
  const labels = new Set<string>();
  for (const { path, text } of templates)
    for (const raw of shownText(path, text)) {
      const line = normaliseLine(raw);
      // One short word ("bug", "n a") would match too much of what a person writes.
      if (!/[a-z]{2}\S* \S*[a-z]|[a-z]{5}/.test(line)) continue;
      lines.add(line);
      const colon = line.indexOf(':');
      if (colon > 0) labels.add(line.slice(0, colon));
    }
  return { lines, labels };
}

/** The request without the prose lines its issue form printed, and without the form's labels before values. */
export function withoutForm(text: string, form: IssueForm): string {
  if (!form.lines.size) return text;
  let fence = '';
  const kept: string[] = [];
  for (const raw of text.split('\n')) {
    const run = fenceRun(raw);
    if (fence) {
      if (closesFence(fence, run)) fence = '';
      kept.push(raw);
      continue;
    }
    if (run) {
      fence = run;
      kept.push(raw);
      continue;
    }
    const line = normaliseLine(raw);
    if (form.lines.has(line) || form.labels.has(line)) continue;
    // A form's line before a colon is a label too: `- Python version: 3.12`, `**Describe the bug**: …`.
    const colon = raw.indexOf(':');
    const label = colon > 0 ? normaliseLine(raw.slice(0, colon)) : '';
    if (label && (form.labels.has(label) || form.lines.has(label))) kept.push(raw.slice(colon + 1));
    else kept.push(raw);
  }
  return kept.join('\n');
}
