import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlineDiff } from '../../src/core/inline';

const original = ['function f() {', '  return 1;', '}'];

function streamed(answer: string, pieceSize = 3): InlineDiff {
  const session = new InlineDiff(original);
  for (let i = 0; i < answer.length; i += pieceSize) session.append(answer.slice(i, i + pieceSize));
  return session;
}

describe('inline edit: the review state machine', () => {
  it('streams, then reviews, then is done with the accepted lines', () => {
    const session = streamed('```ts\nfunction f() {\n  return 2;\n}\n```\n');
    assert.equal(session.state, 'streaming');
    assert.deepEqual(session.render().lines, ['function f() {', '  return 1;', '  return 2;', '}']);
    assert.deepEqual(session.finish('typescript'), { kind: 'review', blocks: 1 });
    assert.equal(session.state, 'review');
    session.decideAll('accepted');
    assert.equal(session.state, 'done');
    assert.deepEqual(session.result(), ['function f() {', '  return 2;', '}']);
  });

  it('reports a line only once it is complete', () => {
    const session = new InlineDiff(original);
    assert.equal(session.append('function f() {'), false);
    assert.equal(session.append('\n  ret'), true);
    assert.equal(session.append('urn 1;\n'), true);
    assert.equal(session.append('\n'), true);
  });

  it('is done with the original when rejected, failed, unchanged or answered in prose', () => {
    const rejected = streamed('function f() {\n  return 2;\n}\n');
    rejected.finish();
    rejected.decideAll('rejected');
    assert.deepEqual(rejected.result(), original);

    const failed = streamed('function f() {\n  retu');
    failed.fail();
    assert.deepEqual([failed.state, failed.result()], ['done', original]);

    const same = streamed(original.join('\n'));
    assert.deepEqual(same.finish(), { kind: 'unchanged' });
    assert.deepEqual(same.result(), original);

    const prose = streamed('There is no loop in these lines, so nothing can be unrolled here.');
    assert.equal(prose.finish('typescript').kind, 'message');
    assert.deepEqual(prose.result(), original);
  });

  it('rejecting all while streaming stops with the original', () => {
    const session = streamed('function g() {\n');
    session.decideAll('rejected');
    assert.deepEqual([session.state, session.result()], ['done', original]);
  });

  it('decides block by block and ends when the last one is decided', () => {
    const session = new InlineDiff(['a', 'b', 'c', 'd', 'e']);
    session.append('A\nb\nc\nd\nE\n');
    assert.deepEqual(session.finish(), { kind: 'review', blocks: 2 });
    assert.equal(session.decide(1, 'rejected'), false);
    assert.equal(session.decide(1, 'accepted'), false, 'a decided block stays decided');
    assert.deepEqual(session.render().lines, ['a', 'A', 'b', 'c', 'd', 'e']);
    assert.equal(session.decide(0, 'accepted'), true);
    assert.deepEqual(session.result(), ['A', 'b', 'c', 'd', 'e']);
  });

  it('accept all keeps the blocks rejected one by one', () => {
    const session = new InlineDiff(['a', 'b', 'c']);
    session.append('A\nb\nC\n');
    session.finish();
    session.decide(0, 'rejected');
    session.decideAll('accepted');
    assert.deepEqual(session.result(), ['a', 'b', 'C']);
  });

  it('refining starts a new answer from the same original and hands back the proposal under review', () => {
    const session = new InlineDiff(['a', 'b']);
    session.append('a\nB\n');
    session.finish();
    assert.deepEqual(session.restart(), ['a', 'B']);
    assert.equal(session.state, 'streaming');
    assert.deepEqual(session.render().lines, ['a', 'b']);
    session.append('a\nb!\n');
    session.finish();
    session.decideAll('accepted');
    assert.deepEqual(session.result(), ['a', 'b!']);
  });

  it('refuses what its state does not allow', () => {
    const session = new InlineDiff(['a']);
    assert.throws(() => session.decide(0, 'accepted'), /streaming, not review/);
    assert.throws(() => session.result(), /streaming, not done/);
    session.fail();
    assert.throws(() => session.append('x'), /done, not streaming/);
    assert.throws(() => session.restart(), /start a new one/);
  });
});
