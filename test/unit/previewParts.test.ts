/**
 * The preview's pure parts: the sandbox's verdicts, the blank check on real
 * PNG pixels, the evaluate guard, the browser lookup, the report's wording.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { estimatingCounter } from '../../src/core/context';
import { parseAction } from '../../src/core/preview/actions';
import { isBlank, summarisePng } from '../../src/core/preview/blank';
import { findBrowser, NO_BROWSER_MESSAGE } from '../../src/core/preview/browserPath';
import { readOnlyProblem } from '../../src/core/preview/readOnly';
import { formatReport, type PreviewReport } from '../../src/core/preview/report';
import { judgeRequest, previewAddress, WORKSPACE_ORIGIN } from '../../src/core/preview/sandbox';

function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const [r, g, b] = paint(x, y);
      image.data.set([r, g, b, 255], offset);
    }
  return PNG.sync.write(image);
}

describe('preview sandbox', () => {
  test('workspace origin, loopback and memory URLs pass; every other host is blocked unless allowed', () => {
    assert.deepEqual(judgeRequest(`${WORKSPACE_ORIGIN}/games/hex%20agon.html`), {
      kind: 'workspace',
      path: '/games/hex agon.html',
    });
    for (const url of [
      'http://127.0.0.1:5173/',
      'http://localhost:3000/api',
      'http://[::1]:8080/',
      'data:text/plain,hi',
    ])
      assert.equal(judgeRequest(url).kind, 'allow', url);
    for (const url of [
      'https://cdn.example.com/lib.js',
      'http://203.0.113.7/x',
      'http://127.0.0.1.nip.io/',
      'file:///etc/passwd',
    ])
      assert.equal(judgeRequest(url).kind, 'block', url);
    assert.equal(judgeRequest('https://cdn.example.com/lib.js', new Set(['cdn.example.com'])).kind, 'allow');
  });

  test('what the tool opens: workspace paths and loopback URLs, nothing else', () => {
    assert.deepEqual(previewAddress('./demo/index.html'), { ok: true, url: `${WORKSPACE_ORIGIN}/demo/index.html` });
    assert.deepEqual(previewAddress('http://127.0.0.1:5173/app'), { ok: true, url: 'http://127.0.0.1:5173/app' });
    assert.match((previewAddress('../secret.html') as { message: string }).message, /leaves the workspace/);
    assert.match((previewAddress('https://example.com/') as { message: string }).message, /loopback pages/);
  });
});

describe('blank check on screenshot pixels', () => {
  test('one colour is blank; a drawn shape is not; a few specks are still blank', () => {
    assert.ok(isBlank(summarisePng(png(100, 100, () => [27, 34, 48]))));
    const drawn = summarisePng(
      png(100, 100, (x, y) => ((x - 50) ** 2 + (y - 50) ** 2 < 400 ? [255, 179, 71] : [27, 34, 48])),
    );
    assert.ok(!isBlank(drawn));
    assert.ok(Math.abs(drawn.inked - 0.125) < 0.01, String(drawn.inked));
    assert.equal(drawn.colours, 2);
    assert.ok(isBlank(summarisePng(png(100, 100, (x, y) => (x === 3 && y === 3 ? [255, 255, 255] : [0, 0, 0])))));
  });
});

describe('evaluate reads only', () => {
  test('reads pass; writes, calls that act and page methods that change it are refused', () => {
    for (const expression of [
      'ball.y',
      'a === b && c !== d',
      'items.map((x) => x.id)',
      'document.querySelector("a=b").textContent',
      'x >= 2 ? 1 : 0',
    ])
      assert.equal(readOnlyProblem(expression), undefined, expression);
    for (const expression of [
      'ball.y = 0',
      'count++',
      'x += 1',
      'delete window.a',
      'fetch("/x")',
      'document.body.remove()',
      'el.setAttribute("a", "b")',
    ])
      assert.ok(readOnlyProblem(expression), expression);
  });

  test('action arguments are parsed and bounded', () => {
    assert.deepEqual(parseAction({ action: 'wait', ms: 60_000 }), { ok: true, action: { kind: 'wait', ms: 5_000 } });
    assert.deepEqual(parseAction({ action: 'click', x: '10', y: 20 }), {
      ok: true,
      action: { kind: 'click', x: 10, y: 20 },
    });
    assert.deepEqual(parseAction({ action: 'click' }), {
      ok: false,
      message: 'action "click" needs "selector" or "x" and "y"',
    });
    assert.match((parseAction({ action: 'hover' }) as { message: string }).message, /unknown action "hover"/);
  });
});

describe('browser lookup', () => {
  test('the setting first (and says when it is wrong), then CHROME_PATH, then the usual places', () => {
    const on = (paths: string[]) => (path: string) => paths.includes(path);
    assert.deepEqual(findBrowser('/opt/chrome', on(['/opt/chrome']), 'linux', {}), {
      found: true,
      path: '/opt/chrome',
    });
    assert.match(
      (findBrowser('/opt/none', on(['/usr/bin/chromium']), 'linux', {}) as { message: string }).message,
      /no file there/,
    );
    assert.deepEqual(findBrowser(undefined, on(['/usr/bin/chromium']), 'linux', {}), {
      found: true,
      path: '/usr/bin/chromium',
    });
    assert.deepEqual(findBrowser('', on(['/c/chrome']), 'linux', { CHROME_PATH: '/c/chrome' }), {
      found: true,
      path: '/c/chrome',
    });
    const edge = 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe';
    assert.deepEqual(findBrowser(undefined, on([edge]), 'win32', { PROGRAMFILES: 'C:\\Program Files' }), {
      found: true,
      path: edge,
    });
    assert.deepEqual(findBrowser(undefined, on([]), 'darwin', {}), { found: false, message: NO_BROWSER_MESSAGE });
  });
});

describe('report text', () => {
  const base: PreviewReport = {
    action: 'opened page.html',
    url: 'page.html',
    title: 'Page',
    text: 'word '.repeat(5_000),
    console: [{ type: 'error', text: 'boom', where: 'page.html:3:1', line: '  boom();', count: 12 }],
    requests: [{ url: 'https://cdn.example.com/x.js', reason: 'blocked by the preview sandbox', blocked: true }],
    page: { width: 800, height: 600, inked: 0, colours: 1 },
    canvases: [{ index: 0, width: 300, height: 150, pixels: { width: 300, height: 150, inked: 0, colours: 1 } }],
  };

  test('errors with where and the line, blocked requests, blank canvas, and the visible text within the budget', () => {
    const text = formatReport(base, estimatingCounter, 1_000);
    assert.match(text, /Console: 1 error:\n- \[error\] boom at page\.html:3:1 \(×12\)\n {4}> boom\(\);/);
    assert.match(text, /- BLOCKED https:\/\/cdn\.example\.com\/x\.js/);
    assert.match(text, /Canvas 1 \(300×150\): BLANK/);
    assert.ok(estimatingCounter.count(text) <= 1_000, String(estimatingCounter.count(text)));
    assert.match(text, /\[\d+ lines omitted\]|characters of the result cut/);
  });
});
