import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { droppedUris } from '../../src/webview/inputBox';

const transfer = (data: Record<string, string>) => (format: string) => data[format] ?? '';

describe('files dropped on the input', () => {
  it('reads a text/uri-list, skipping its comment lines', () => {
    const uris = droppedUris(
      transfer({ 'text/uri-list': '# from the explorer\r\nfile:///w/src/a.ts\r\nfile:///w/b.ts' }),
    );
    assert.deepEqual(uris, ['file:///w/src/a.ts', 'file:///w/b.ts']);
  });

  it("prefers VS Code's own list, and reads its JSON form", () => {
    const data = { 'application/vnd.code.uri-list': 'file:///w/tab.ts', 'text/uri-list': 'file:///w/other.ts' };
    assert.deepEqual(droppedUris(transfer(data)), ['file:///w/tab.ts']);
    assert.deepEqual(droppedUris(transfer({ resourceurls: '["file:///w/x.ts", 3]' })), ['file:///w/x.ts']);
  });

  it('a drop with no file in it gives nothing (plain text is left to the browser)', () => {
    assert.deepEqual(droppedUris(transfer({ 'text/plain': 'hello' })), []);
    assert.deepEqual(droppedUris(transfer({ resourceurls: '[not json' })), []);
  });
});
