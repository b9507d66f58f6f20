/** MarkupFilter's finer rules: what counts as code, what is layout, what is held back and let go. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FenceTracker, MarkupFilter } from '../../src/core/model/markupFilter';
import type { MarkupCall } from '../../src/core/model/qwenToolCalls';

const CALL = '<tool_call>\n<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>\n</tool_call>';
/** The same call on one line, as it would be written inside inline code. */
const LINE_CALL = '<tool_call><function=read_file><parameter=path>a.ts</parameter></function></tool_call>';

/** Pushes `pieces` (and ends the stream unless told not to); returns the text shown, the reasoning and the calls. */
function run(pieces: readonly string[], end = true) {
  const filter = new MarkupFilter();
  const calls: MarkupCall[] = [];
  let reasoning = '';
  const sink = {
    reasoning: (text: string) => {
      reasoning += text;
    },
    call: (call: MarkupCall) => calls.push(call),
  };
  for (const piece of pieces) filter.push(piece, sink);
  if (end) filter.end(sink);
  return { shown: filter.pieces.join(''), pieces: filter.pieces, reasoning, calls, filter, sink };
}

function fenced(pieces: readonly string[]): boolean {
  const tracker = new FenceTracker();
  for (const piece of pieces) tracker.feed(piece);
  return tracker.inFence;
}

describe('FenceTracker', () => {
  it('opens and closes on ``` and ~~~ lines indented by at most three spaces', () => {
    assert.equal(fenced(['```ts\n']), true);
    assert.equal(fenced(['~~~\n']), true);
    assert.equal(fenced(['   ```\n']), true);
    assert.equal(fenced(['    ```\n']), false, 'four spaces: an indented code line, not a fence');
    assert.equal(fenced(['```\ncode\n```\n']), false);
    assert.equal(fenced(['``\n']), false);
    assert.equal(fenced(['text ```\n']), false, 'a fence starts the line');
    assert.equal(fenced(['ab ~~~\n']), false, 'a tilde fence starts the line too');
    assert.equal(fenced(['\t```\n']), false);
  });

  it('decides a line only once, however it is cut', () => {
    assert.equal(fenced(['`', '`', '`', 'ts\n']), true);
    assert.equal(fenced([' ', ' ', '`', '``\n']), true);
    assert.equal(fenced(['```', '\nx\n', '``', '`']), false);
    assert.equal(fenced(['a```\n', '```']), true, 'the second line opens a fence');
    assert.equal(fenced(['```x```\n']), true, 'the rest of a decided line does not count');
    assert.equal(fenced(['ab', 'c```\n']), false);
    assert.equal(fenced(['```\n\n']), true, 'an empty line decides nothing');
  });
});

describe('MarkupFilter: code is not markup', () => {
  it('takes a call after a fence closed, and leaves one inside a tilde fence', () => {
    const after = run(['```\nx\n```\n', CALL]);
    assert.equal(after.calls.length, 1);
    assert.equal(after.shown, '```\nx\n```\n');
    const tilde = run(['~~~\n', CALL, '\n~~~']);
    assert.equal(tilde.calls.length, 0);
    assert.equal(tilde.shown, `~~~\n${CALL}\n~~~`);
  });

  it('counts backticks on the current line only', () => {
    assert.equal(run(['`a` and `b` ', LINE_CALL]).calls.length, 1, 'even backticks: outside code');
    assert.equal(run(['one ` tick\n', LINE_CALL]).calls.length, 1, 'a backtick on an earlier line');
    assert.equal(run(['see `', LINE_CALL]).calls.length, 0);
    assert.equal(run(['x\nsee ', '`', ' and ', LINE_CALL]).calls.length, 0, 'ticks spread over pieces');
    assert.equal(run(['x`\nsee ', 'and ', LINE_CALL]).calls.length, 1, 'the tick is on the line before');
    assert.equal(run(['x\nsee ``', LINE_CALL]).calls.length, 1);
  });

  it('looks back only so far for an open backtick on a very long line', () => {
    const long = run(['`', 'x'.repeat(5000), LINE_CALL]);
    assert.equal(long.calls.length, 1, 'a backtick 5,000 characters back is forgotten');
    const near = run(['`', 'x'.repeat(3000), LINE_CALL]);
    assert.equal(near.calls.length, 0);
    const split = run(['`', ...Array.from({ length: 30 }, () => 'x'.repeat(100)), LINE_CALL]);
    assert.equal(split.calls.length, 0, '3,000 characters in pieces');
  });

  it('stops at the first line break going back, whichever piece it is in', () => {
    assert.equal(run(['a ` b', '\nc ', LINE_CALL]).calls.length, 1);
    assert.equal(run(['a ` b', 'x\nc ', LINE_CALL]).calls.length, 1);
  });

  it('looks back exactly 4,000 characters of earlier pieces', () => {
    // Hermes style: no inner tag that the look-back could meet again further on.
    const hermes = '<tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>';
    assert.equal(run(['`', 'x'.repeat(4000), hermes]).calls.length, 1);
    assert.equal(run(['`', 'x'.repeat(3999), hermes]).calls.length, 0);
  });

  it('shows a tag inside inline code at once, without holding it back', () => {
    assert.equal(run(['see `<tool_call> x'], false).shown, 'see `<tool_call> x');
  });

  it('feeds the fence tracker the pieces pushed after a join', () => {
    const { filter, sink } = run(['x\n', '```\n', CALL, '\n```\n'], false);
    filter.compact(0);
    filter.push('y\n', sink);
    filter.push('```\n', sink);
    filter.push(LINE_CALL, sink);
    filter.end(sink);
    assert.equal(filter.pieces.join(''), `x\n\`\`\`\n${CALL}\n\`\`\`\ny\n\`\`\`\n${LINE_CALL}`);
  });

  it('keeps fences right when shown pieces were joined between pushes', () => {
    const { filter, sink } = run(['```\n', 'code\n'], false);
    assert.equal(filter.compact(0), '```\ncode\n');
    assert.deepEqual(filter.pieces, ['```\ncode\n']);
    filter.push(CALL, sink);
    filter.push('\n```\n', sink);
    filter.push(CALL, sink);
    filter.end(sink);
    assert.equal(filter.pieces.join(''), `\`\`\`\ncode\n${CALL}\n\`\`\`\n`);
  });

  it('joins only the pieces from the given one on, and hands back a single piece as it is', () => {
    const { filter, sink } = run(['a\n', 'b\n', 'c\n'], false);
    assert.equal(filter.compact(2), 'c\n');
    assert.equal(filter.compact(1), 'b\nc\n');
    assert.deepEqual(filter.pieces, ['a\n', 'b\nc\n']);
    filter.push('```\n', sink);
    filter.push('d', sink);
    assert.equal(filter.compact(1), 'b\nc\n```\nd');
    filter.push(CALL, sink);
    assert.equal(filter.pieces.join(''), `a\nb\nc\n\`\`\`\nd${CALL}`, 'still inside the fence');
  });

  it('keeps counting fences from where it was after a join behind it', () => {
    const { filter, sink } = run(['x\n', '```\n'], false);
    filter.push(CALL, sink); // feeds the fence tracker up to here
    filter.push('\n```\n', sink);
    filter.compact(0);
    filter.push(CALL, sink);
    filter.end(sink);
    assert.equal(filter.pieces.join(''), `x\n\`\`\`\n${CALL}\n\`\`\`\n`);
  });
});

describe('MarkupFilter: layout and held-back text', () => {
  it('drops the whitespace after a call, including a piece that is only whitespace', () => {
    const { shown, pieces } = run(['Go.', CALL, '\n', '  \n', '  Next.']);
    assert.equal(shown, 'Go.Next.');
    assert.deepEqual(pieces, ['Go.', 'Next.']);
  });

  it('keeps whitespace in text that does not follow a block', () => {
    assert.equal(run(['  a\n', '\n  b ']).shown, '  a\n\n  b ');
  });

  it('allows <think> after leading whitespace, but not after a word', () => {
    const lead = run(['\n\n', '<think>plan</think>', 'answer']);
    assert.equal(lead.reasoning, 'plan');
    assert.equal(lead.shown, '\n\nanswer');
    const late = run(['a', '<think>plan</think>']);
    assert.equal(late.reasoning, '');
    assert.equal(late.shown, 'a<think>plan</think>');
  });

  it('gives held-back text back at the end: a partial tag as text, a partial </think> as reasoning', () => {
    assert.equal(run(['see <tool_c']).shown, 'see <tool_c');
    assert.equal(run(['see <function']).shown, 'see <function');
    const think = run(['<think>plan</thi']);
    assert.equal(think.reasoning, 'plan</thi');
    assert.equal(think.shown, '');
  });

  it('holds back exactly the possible tag starts', () => {
    const held = (text: string) => run([text], false).shown;
    assert.equal(held('a <'), 'a ');
    assert.equal(held('a <tool_call'), 'a ');
    assert.equal(held('a <function'), 'a ');
    assert.equal(held('<thin'), '');
    assert.equal(held(' <thin'), ' ');
    assert.equal(held('a <thin'), 'a <thin', 'not a think tag once text is visible');
    assert.equal(held('a <toolx'), 'a <toolx');
    assert.equal(held('a <tool_call_x'), 'a <tool_call_x');
    assert.equal(held('a <p> <'), 'a <p> ');
  });

  it('streams reasoning as it comes, holding back only a possible </think>', () => {
    const { filter, sink } = run(['<think>'], false);
    const seen: string[] = [];
    const spy = { reasoning: (t: string) => seen.push(t), call: sink.call };
    filter.push('abc</', spy);
    filter.push('th', spy);
    filter.push('x', spy);
    filter.push('</think>', spy);
    filter.push('</think>', spy);
    assert.deepEqual(seen, ['abc', '</thx']);
    assert.equal(filter.pieces.join(''), '</think>');
  });

  it('adds no piece for an empty push, and no reasoning for nothing held at the end', () => {
    const seen: string[] = [];
    const filter = new MarkupFilter();
    const sink = { reasoning: (t: string) => seen.push(t), call: () => undefined };
    filter.push('', sink);
    assert.deepEqual(filter.pieces, []);
    filter.push('<think>abc', sink);
    filter.end(sink);
    assert.deepEqual(seen, ['abc']);
  });

  it('runs a closed call as it is, and marks only a cut one', () => {
    const closed = run([CALL]);
    assert.deepEqual(closed.calls, [
      { name: 'read_file', arguments: { path: 'a.ts' }, rawArguments: '{"path":"a.ts"}' },
    ]);
    const cut = run(['<tool_call>\n<function= get_weather ']);
    assert.deepEqual(
      cut.calls.map((c) => c.name),
      ['get_weather'],
    );
    const prose = run(['<tool_call>\n<function=a\nthen some words']);
    assert.deepEqual(prose.calls, []);
    assert.equal(prose.shown, '<tool_call>\n<function=a\nthen some words');
  });

  it('does not emit an empty reasoning piece for an empty think block', () => {
    const seen: string[] = [];
    const filter = new MarkupFilter();
    const sink = { reasoning: (t: string) => seen.push(t), call: () => undefined };
    filter.push('<think></think>ok', sink);
    assert.deepEqual(seen, []);
    assert.equal(filter.pieces.join(''), 'ok');
  });

  it('gives back a block with no call, and one at the end without its closing tag', () => {
    assert.equal(run(['a<tool_call>just text</tool_call>b']).shown, 'a<tool_call>just text</tool_call>b');
    assert.equal(run(['a<tool_call>just text']).shown, 'a<tool_call>just text');
    assert.equal(run(['a<function=>x</function>b']).shown, 'a<function=>x</function>b');
  });
});
