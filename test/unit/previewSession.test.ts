/**
 * The preview session on the machine's real Chromium (Debian's /usr/bin/chromium): the hexagon
 * page with a deliberate error reports the error with its source line; the fixed page reports no
 * errors and a drawn canvas; a page that fetches an outside host gets the request blocked before
 * any connection (Chromium's own "blocked by client" error, not a network failure) and listed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { estimatingCounter } from '../../src/core/context';
import { parseAction } from '../../src/core/preview/actions';
import { errorCount, formatReport } from '../../src/core/preview/report';
import { PreviewSession, type PreviewFiles } from '../../src/core/preview/session';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const fixtures = path.join(__dirname, '..', 'fixtures', 'preview');

const files: PreviewFiles = {
  read: async (rel) => {
    const full = path.join(fixtures, rel);
    return existsSync(full) ? { ok: true, bytes: readFileSync(full) } : { ok: false, reason: `${rel} does not exist` };
  },
};

const open = (target: string) => {
  const parsed = parseAction({ target });
  assert.ok(parsed.ok);
  return parsed.action;
};

describe(
  'preview session in headless Chromium',
  { skip: !existsSync(chromium) && 'no Chromium', timeout: 60_000 },
  () => {
    const session = new PreviewSession({ executablePath: chromium, files, allowedHosts: () => new Set() });
    after(() => session.dispose());

    test('the broken hexagon page: the TypeError, where it was thrown and that source line', async () => {
      const { report } = await session.run(open('hexagon-broken.html'));
      assert.equal(report.title, 'Bouncing ball in a spinning hexagon');
      assert.equal(errorCount(report), 1);
      const error = report.console[0];
      assert.equal(error.type, 'pageerror');
      assert.match(error.text, /^TypeError: ctx\.drawHexagon is not a function/);
      assert.match(error.where ?? '', /^hexagon-broken\.html:68:\d+$/);
      assert.equal(error.line?.trim(), 'ctx.drawHexagon(points);');
      const text = formatReport(report, estimatingCounter, 2_000);
      assert.match(text, /Console: 1 error:\n- \[pageerror\] TypeError: ctx\.drawHexagon is not a function/);
      assert.match(text, /> ctx\.drawHexagon\(points\);/);
    });

    test('the fixed page: no errors, the canvas is drawn, the ball moves between looks', async () => {
      const first = await session.run(open('hexagon.html'));
      assert.equal(errorCount(first.report), 0);
      assert.equal(first.report.canvases.length, 1);
      const canvas = first.report.canvases[0];
      assert.deepEqual([canvas.width, canvas.height], [480, 480]);
      assert.ok((canvas.pixels?.inked ?? 0) > 0.005, `canvas inked ${canvas.pixels?.inked}`);
      assert.match(formatReport(first.report, estimatingCounter, 2_000), /Console: no messages, no errors\./);
      const parsed = parseAction({ action: 'evaluate', expression: 'Math.round(ball.y)' });
      assert.ok(parsed.ok);
      const y1 = Number((await session.run(parsed.action)).report.value);
      const y2 = Number((await session.run(parsed.action)).report.value);
      assert.notEqual(y1, y2, 'the ball moves');
    });

    test('evaluate refuses an expression that changes the page', async () => {
      const parsed = parseAction({ action: 'evaluate', expression: 'ball.y = 0' });
      assert.ok(parsed.ok);
      await assert.rejects(session.run(parsed.action), /contains assignment/);
    });

    test('a fetch to an outside host is blocked before any connection and listed; the stylesheet loads', async () => {
      const { report } = await session.run(open('outside.html'));
      assert.deepEqual(
        report.requests.map((request) => [request.url, request.blocked]),
        [['http://203.0.113.7/scores.json', true]],
      );
      // ERR_BLOCKED_BY_CLIENT is Chromium saying the request was cancelled before it went anywhere.
      assert.match(report.text, /offline: Failed to fetch/);
      assert.match(formatReport(report, estimatingCounter, 2_000), /BLOCKED http:\/\/203\.0\.113\.7\/scores\.json/);
      const colour = await session.run({
        kind: 'evaluate',
        expression: 'getComputedStyle(document.querySelector("h1")).color',
      });
      assert.equal(colour.report.value, '"rgb(200, 40, 40)"');
    });
  },
);
