/**
 * `preview_page`: the agent opens a page it built (a workspace HTML file, or its own dev server
 * on loopback) in a headless browser and sees what a person would: errors with their source
 * lines, requests that failed or were blocked, whether anything was drawn, the visible text —
 * and, for a model that takes images, the screenshot.
 */
import type { InteractiveOutcome, InteractiveTool } from '../agent/toolRunner';
import type { TokenCounter } from '../context/tokens/tokenCounter';
import type { ToolSchema } from '../model/types';
import { describeAction, parseAction } from './actions';
import { isBlank } from './blank';
import { errorCount, formatReport } from './report';
import type { PreviewSession, PreviewShot } from './session';

export const PREVIEW_TOOL = 'preview_page';
/** Tokens the report may take in the conversation (the screenshot is apart). */
export const REPORT_BUDGET = 3_000;

export const previewToolSchema: ToolSchema = {
  name: PREVIEW_TOOL,
  description:
    'Open a web page you built in a headless browser and see what a person would: console errors with their source ' +
    'lines, requests that failed or were blocked, whether the page and each canvas drew anything, the title and ' +
    'visible text, and a screenshot (for models that take images). Open a workspace HTML file by its path, or a page ' +
    'you serve yourself at http://127.0.0.1:PORT (start the server with run_command in the background first). Then ' +
    'act on the same page: click, type, press, scroll, wait, or evaluate a read-only expression; each returns the ' +
    'same report. The page may load workspace files and loopback only; other hosts are blocked and listed.',
  parameters: {
    type: 'object',
    properties: {
      action: {
        type: 'string',
        enum: ['open', 'click', 'type', 'press', 'scroll', 'wait', 'evaluate'],
        description: 'What to do; "open" (the default) loads `target`, the others act on the open page.',
      },
      target: {
        type: 'string',
        description: 'For open: a workspace path (games/hexagon.html) or http://127.0.0.1:PORT/…',
      },
      selector: { type: 'string', description: 'For click and type: a CSS selector.' },
      x: { type: 'number', description: 'For click without a selector: page x in pixels (viewport 800×600).' },
      y: { type: 'number', description: 'For click without a selector: page y in pixels.' },
      text: { type: 'string', description: 'For type: the text.' },
      key: { type: 'string', description: 'For press: a key such as Enter, ArrowLeft, Space.' },
      dy: { type: 'number', description: 'For scroll: pixels down (negative: up).' },
      ms: { type: 'number', description: 'For wait: milliseconds, at most 5000.' },
      expression: { type: 'string', description: 'For evaluate: a JavaScript expression that only reads the page.' },
    },
  },
};

export interface PreviewToolDeps {
  readonly session: () => PreviewSession;
  readonly counter: () => Promise<TokenCounter>;
  /** The model takes images: the screenshot goes with the report. */
  readonly vision: () => boolean;
  /** Every look, for the Preview panel. */
  readonly onShot?: (shot: PreviewShot) => void;
}

export function previewTool(deps: PreviewToolDeps): InteractiveTool {
  return {
    schema: previewToolSchema,
    interactive: true,
    title: (args) => {
      const parsed = parseAction(args);
      return parsed.ok ? `Preview: ${describeAction(parsed.action)}` : 'Preview page';
    },
    run: (args) => runPreview(deps, args),
  };
}

async function runPreview(deps: PreviewToolDeps, args: Record<string, unknown>): Promise<InteractiveOutcome> {
  const parsed = parseAction(args);
  if (!parsed.ok) return { content: `Error: ${parsed.message}.`, summary: parsed.message, isError: true };
  let shot: PreviewShot;
  try {
    shot = await deps.session().run(parsed.action);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { content: `Error: ${describeAction(parsed.action)} failed: ${message}`, summary: message, isError: true };
  }
  deps.onShot?.(shot);
  const { report } = shot;
  let content = formatReport(report, await deps.counter(), REPORT_BUDGET);
  // A tool message cannot carry an image: the chat sends it in a user message after the results.
  const images = deps.vision() ? [`data:image/png;base64,${shot.screenshot.toString('base64')}`] : undefined;
  if (images) content += '\n\nThe screenshot follows in the next message.';
  const errors = errorCount(report);
  const blank = report.canvases.some((canvas) => canvas.pixels && isBlank(canvas.pixels)) || isBlank(report.page);
  const summary = [
    errors === 0 ? 'no errors' : `${errors} error${errors === 1 ? '' : 's'}`,
    report.requests.length ? `${report.requests.length} blocked or failed` : '',
    blank ? 'blank' : 'drawn',
  ]
    .filter(Boolean)
    .join(', ');
  return { content, summary, images };
}
