import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onFirstLine, onLastLine, PromptHistory } from '../../src/webview/promptHistory';

describe('prompt history (Up/Down in the input)', () => {
  it('Up walks back from the newest prompt; Down returns to what was being typed', () => {
    const history = new PromptHistory();
    history.reset(['first', 'second']);
    history.add('third');
    assert.equal(history.previous('draft in progress'), 'third');
    assert.equal(history.previous('third'), 'second');
    assert.equal(history.previous('second'), 'first');
    assert.equal(history.previous('first'), undefined, 'nothing older');
    assert.equal(history.next(), 'second');
    assert.equal(history.next(), 'third');
    assert.equal(history.next(), 'draft in progress');
    assert.equal(history.next(), undefined, 'not browsing any more');
  });

  it('a repeated prompt is kept once, at its latest place; blanks are not kept', () => {
    const history = new PromptHistory();
    history.reset(['a', 'b', ' ', 'a']);
    assert.equal(history.previous(''), 'a');
    assert.equal(history.previous('a'), 'b');
    assert.equal(history.previous('b'), undefined);
  });

  it('typing ends browsing: the next Up starts at the newest again', () => {
    const history = new PromptHistory();
    history.reset(['one', 'two']);
    history.previous('');
    history.previous('two');
    history.edited();
    assert.equal(history.previous('one, changed'), 'two');
  });

  it('recalls only from the first line (Up) or the last line (Down) of a multi-line input', () => {
    const text = 'line one\nline two';
    assert.equal(onFirstLine(text, 3, 3), true);
    assert.equal(onFirstLine(text, 12, 12), false);
    assert.equal(onFirstLine(text, 0, 4), false, 'a selection moves, it does not recall');
    assert.equal(onLastLine(text, 12, 12), true);
    assert.equal(onLastLine(text, 3, 3), false);
  });
});
