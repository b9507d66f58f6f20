/**
 * What a request says about where to look, rule by rule: the weighted query terms, the
 * identifiers written as code, traceback frames and file names. The reference weights are
 * worked out by hand: a word seen n times weighs min(3, 1 + ln n), a name written as code one more.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestTerms } from '../../src/core/context/rank/request';

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('query terms of a request', () => {
  it('weigh a word by how often it comes, up to three, and drop filler and numbers', () => {
    const request = requestTerms(
      'cache cache cache cache cache cache cache cache widget widget lonely the 404 and 2fa',
    );
    close(request.query.get('cache'), 3); // 1 + ln 8 > 3
    close(request.query.get('widget'), 1 + Math.log(2));
    close(request.query.get('lonely'), 1);
    for (const gone of ['the', 'and', '404', '2fa']) assert.equal(request.query.has(gone), false, gone);
    // A digit inside a word is no number.
    assert.ok(requestTerms('decode utf8 bytes').query.has('utf8'));
  });

  it('add one to a name written as code, whole and once per name', () => {
    const request = requestTerms('Calling `load_config` twice: load_config() then load_config() again');
    // Three mentions (1 + ln 3) and one more as a name written as code.
    close(request.query.get('load_config'), 2 + Math.log(3));
    // Its parts count as words, not as code.
    close(request.query.get('load'), 1 + Math.log(3));
    assert.deepEqual(request.identifiers, ['load_config']);
  });

  it('give a name written as code weight even when the words around it do not', () => {
    const request = requestTerms('`xy_z`');
    close(request.query.get('xy_z'), 2);
  });

  it('remember how each word was first written, for reasons a person reads', () => {
    const request = requestTerms('The ChatEngine and chatengine and CHATENGINE');
    assert.equal(request.spelled.get('chatengine'), 'ChatEngine');
    assert.equal(request.spelled.get('the'), 'The');
  });
});

describe('identifiers written as code', () => {
  it('take backticks, calls, attributes and compound names, in that order, once each', () => {
    const request = requestTerms(
      'The `Widget` breaks when render(x) runs; obj.repaintAll and ctx.plain fail; see parse_header and HTTPServer.',
    );
    assert.deepEqual(request.identifiers, ['Widget', 'render', 'repaintAll', 'parse_header', 'HTTPServer']);
  });

  it('take an attribute before compound words met earlier, and a call with a space before its parenthesis', () => {
    assert.deepEqual(requestTerms('see parse_header and obj.repaintAll').identifiers, ['repaintAll', 'parse_header']);
    assert.deepEqual(requestTerms('when render (x) runs').identifiers, ['render']);
  });

  it('leave out short words and filler even in backticks or calls', () => {
    const request = requestTerms('`ab` and `the` and if(x) and `abc`');
    assert.deepEqual(request.identifiers, ['abc']);
  });

  it('take every word inside one pair of backticks', () => {
    const request = requestTerms('run `client.send(request, timeout)` now');
    assert.deepEqual(request.identifiers, ['client', 'send', 'request', 'timeout']);
  });
});

describe('traceback frames and named files', () => {
  it('read Python frames and path:line locations, once each, with forward slashes', () => {
    const request = requestTerms(
      [
        'Traceback (most recent call last):',
        '  File "C:\\proj\\app\\views.py", line 7, in index',
        '  File "/srv/app/models.py", line 30, in save',
        '  File "/srv/app/models.py", line 30, in save',
        'at src/cart.ts:42 and lib/util.js:9',
      ].join('\n'),
    );
    assert.deepEqual(request.frames, [
      { path: 'C:/proj/app/views.py', line: 7 },
      { path: '/srv/app/models.py', line: 30 },
      { path: 'src/cart.ts', line: 42 },
      { path: 'lib/util.js', line: 9 },
    ]);
  });

  it('list the files a request names, without a leading ./, once each', () => {
    const request = requestTerms(
      'Compare ./src/app.ts with src/app.ts, README.md and setup.cfg; not version 1.2 or foo.bar',
    );
    assert.deepEqual(request.files, ['src/app.ts', 'README.md', 'setup.cfg']);
    // Only a leading ./ goes; one inside a path is the user's spelling.
    assert.deepEqual(requestTerms('see lib/./util.py').files, ['lib/./util.py']);
  });

  it('find nothing in a request without traces or files', () => {
    const request = requestTerms('make the button blue');
    assert.deepEqual(request.frames, []);
    assert.deepEqual(request.files, []);
    assert.deepEqual(request.identifiers, []);
  });
});
