/**
 * What one look at a previewed page found, and its text for the model: errors first (they are
 * what the agent must fix), then what was blocked or failed, whether anything was drawn, the
 * title and the visible text, within a token budget counted with the model's tokenizer.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';
import { fitTokens } from '../mcp/results';
import type { PixelSummary } from './blank';
import { isBlank } from './blank';

export interface ConsoleEntry {
  /** `error`, `warning`, `log`, … or `pageerror` for an uncaught exception. */
  readonly type: string;
  readonly text: string;
  /** `hexagon.html:23:5`, when known. */
  readonly where?: string;
  /** That line of the source, when the page came from the workspace. */
  readonly line?: string;
  /** The same message repeated (an error in an animation frame comes every frame). */
  count?: number;
}

export interface RequestProblem {
  readonly url: string;
  readonly reason: string;
  /** Blocked by the sandbox (never sent), rather than failed on the way. */
  readonly blocked: boolean;
}

export interface CanvasSummary {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly pixels?: PixelSummary;
}

export interface PreviewReport {
  /** What was done to get here: `opened hexagon.html`, `clicked #reset`. */
  readonly action: string;
  readonly url: string;
  readonly title: string;
  readonly text: string;
  readonly console: readonly ConsoleEntry[];
  readonly requests: readonly RequestProblem[];
  readonly page: PixelSummary;
  readonly canvases: readonly CanvasSummary[];
  /** The result of an `evaluate` action, as JSON text. */
  readonly value?: string;
}

/** Console lines shown to the model; the rest are counted. */
const MAX_CONSOLE = 40;

export const errorCount = (report: PreviewReport): number =>
  report.console.filter((entry) => entry.type === 'error' || entry.type === 'pageerror').length;

export function formatReport(report: PreviewReport, counter: TokenCounter, budget: number): string {
  const sections = [
    `Preview of ${report.url} (${report.action}). Title: ${report.title ? JSON.stringify(report.title) : '(none)'}.`,
    consoleSection(report),
    requestSection(report),
    renderSection(report),
  ];
  if (report.value !== undefined) sections.push(`Expression value: ${report.value}`);
  const head = sections.filter(Boolean).join('\n\n');
  const rest = Math.max(200, budget - counter.count(head) - 20);
  const text = report.text.trim() ? fitTokens(report.text.trim(), counter, rest).text : '(no visible text)';
  return `${head}\n\nVisible text:\n${text}`;
}

function consoleSection(report: PreviewReport): string {
  const errors = errorCount(report);
  if (report.console.length === 0) return 'Console: no messages, no errors.';
  const lines = report.console.slice(0, MAX_CONSOLE).map(consoleLine);
  if (report.console.length > MAX_CONSOLE) lines.push(`… and ${report.console.length - MAX_CONSOLE} more messages`);
  const heading = errors === 0 ? 'Console (no errors):' : `Console: ${errors} error${errors === 1 ? '' : 's'}:`;
  return `${heading}\n${lines.join('\n')}`;
}

function consoleLine(entry: ConsoleEntry): string {
  const where = entry.where ? ` at ${entry.where}` : '';
  const source = entry.line !== undefined ? `\n    > ${entry.line.trim()}` : '';
  const times = entry.count && entry.count > 1 ? ` (×${entry.count})` : '';
  return `- [${entry.type}] ${entry.text}${where}${times}${source}`;
}

function requestSection(report: PreviewReport): string {
  if (report.requests.length === 0) return '';
  const lines = report.requests.map(
    (problem) => `- ${problem.blocked ? 'BLOCKED' : 'FAILED'} ${problem.url}: ${problem.reason}`,
  );
  return `Requests that did not load:\n${lines.join('\n')}`;
}

function renderSection(report: PreviewReport): string {
  const page = `Page ${report.page.width}×${report.page.height}: ${drawn(report.page)}.`;
  const canvases = report.canvases.map(
    (canvas) =>
      `Canvas ${canvas.index + 1} (${canvas.width}×${canvas.height}): ` +
      `${canvas.pixels ? drawn(canvas.pixels) : 'not visible on screen'}.`,
  );
  return [page, ...canvases].join('\n');
}

function drawn(pixels: PixelSummary): string {
  if (isBlank(pixels)) return 'BLANK (one colour, nothing drawn)';
  return (
    `drawn (${(pixels.inked * 100).toFixed(1)}% of pixels differ from the background, ` +
    `${pixels.colours >= 1000 ? '1000+' : pixels.colours} colours)`
  );
}
