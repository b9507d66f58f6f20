import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandCommand, parseCommandFile, splitArguments } from '../../src/core/slash/customCommands';
import { INIT_PROMPT, parseSlash, runSlash, type SlashHost } from '../../src/core/slash/dispatch';

describe('custom command files', () => {
  it('reads description and argument-hint from the front matter and keeps the body as written', () => {
    const parsed = parseCommandFile(
      'review.md',
      '---\ndescription: Review a file\nargument-hint: <path> [focus]\n---\nReview $1 with care.\nFocus: $2\n',
      '.qcoder/commands/review.md',
    );
    assert.deepEqual(parsed, {
      ok: true,
      command: {
        name: 'review',
        description: 'Review a file',
        argumentHint: '<path> [focus]',
        body: 'Review $1 with care.\nFocus: $2',
        origin: '.qcoder/commands/review.md',
      },
    });
  });

  it('takes the first line as the description without front matter, and names bad files', () => {
    const plain = parseCommandFile('fix.md', 'Fix the failing test.\nThen run it.', 'fix.md');
    assert.equal(plain.ok && plain.command.description, 'Fix the failing test.');
    const broken = parseCommandFile('x.md', '---\ndescription: [unclosed\n---\nbody', 'cmds/x.md');
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? broken.problem : '', /^cmds\/x\.md: its front matter is not valid YAML/);
    const list = parseCommandFile('y.md', '---\n- a\n- b\n---\nbody', 'y.md');
    assert.match(!list.ok ? list.problem : '', /"key: value" lines/);
    const empty = parseCommandFile('z.md', '---\ndescription: d\n---\n', 'z.md');
    assert.match(!empty.ok ? empty.problem : '', /no text/);
    const name = parseCommandFile('has space.md', 'body', 'has space.md');
    assert.match(!name.ok ? name.problem : '', /not a usable command name/);
  });

  it('splits arguments on spaces, with quotes grouping words', () => {
    assert.deepEqual(splitArguments(`src/a.ts "two words" 'single q' last`), [
      'src/a.ts',
      'two words',
      'single q',
      'last',
    ]);
    assert.deepEqual(splitArguments('   '), []);
  });

  it('substitutes $ARGUMENTS and $1…$9, leaves $10 and unknown $NAMES alone, appends unused arguments', () => {
    assert.equal(expandCommand('Do: $ARGUMENTS!', ' a "b c" '), 'Do: a "b c"!');
    assert.equal(expandCommand('first=$1 second=$2 third=$3', 'a "b c"'), 'first=a second=b c third=');
    assert.equal(expandCommand('$10 $HOME $1', 'x'), '$10 $HOME x');
    assert.equal(expandCommand('Explain the build.', 'briefly'), 'Explain the build.\n\nbriefly');
    assert.equal(expandCommand('Explain the build.', ''), 'Explain the build.');
  });
});

function fakeHost(overrides: Partial<SlashHost> = {}): SlashHost & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    trusted: true,
    newChat: async () => void calls.push('newChat'),
    compact: async () => {
      calls.push('compact');
      return 'compacted';
    },
    runCommand: async (command) => void calls.push(command),
    setMode: async (mode) => void calls.push(`mode:${mode}`),
    customCommands: async () => ({
      commands: [{ name: 'review', description: 'Review', body: 'Review $1 now.', origin: 'review.md' }],
      problems: [],
    }),
    ...overrides,
  };
}

describe('slash dispatch', () => {
  it('recognises a command only at the very start, as a word', () => {
    assert.deepEqual(parseSlash('/plan  fix the bug\nplease'), { name: 'plan', args: 'fix the bug\nplease' });
    assert.deepEqual(parseSlash('/new'), { name: 'new', args: '' });
    assert.equal(parseSlash('/usr/bin/env node'), undefined);
    assert.equal(parseSlash(' /new'), undefined);
    assert.equal(parseSlash('hello /new'), undefined);
    assert.equal(parseSlash('/'), undefined);
  });

  it('runs the built-ins through the host', async () => {
    const host = fakeHost();
    assert.deepEqual(await runSlash('/new', host), { kind: 'done' });
    assert.deepEqual(await runSlash('/compact', host), { kind: 'done', note: 'compacted' });
    assert.deepEqual(await runSlash('/explain', host), { kind: 'done' });
    assert.deepEqual(await runSlash('/tests', host), { kind: 'done' });
    assert.deepEqual(await runSlash('/plan add a cache', host), { kind: 'send', text: 'add a cache' });
    assert.equal((await runSlash('/plan', host))?.kind, 'done');
    assert.deepEqual(host.calls, [
      'newChat',
      'compact',
      'qcoder.explainFile',
      'qcoder.generateTests',
      'mode:plan',
      'mode:plan',
    ]);
  });

  it('/init sends the drafting request, and refuses in an untrusted workspace', async () => {
    assert.deepEqual(await runSlash('/init', fakeHost()), { kind: 'send', text: INIT_PROMPT });
    assert.match(INIT_PROMPT, /AGENTS\.md/);
    const refused = await runSlash('/init', fakeHost({ trusted: false }));
    assert.equal(refused?.kind, 'done');
    assert.match(refused?.kind === 'done' ? (refused.note ?? '') : '', /untrusted workspace/);
  });

  it('expands a custom command, and answers an unknown one with the list', async () => {
    assert.deepEqual(await runSlash('/review src/a.ts', fakeHost()), { kind: 'send', text: 'Review src/a.ts now.' });
    assert.equal(await runSlash('no command', fakeHost()), undefined);
    const unknown = await runSlash('/frobnicate x', fakeHost());
    const note = unknown?.kind === 'done' ? (unknown.note ?? '') : '';
    assert.match(note, /^There is no command \/frobnicate\./);
    for (const name of ['/new', '/compact', '/explain', '/tests', '/init', '/plan', '/review'])
      assert.ok(note.includes(`\`${name}`), `${name} listed`);
  });

  it('built-ins win over a custom command of the same name', async () => {
    const host = fakeHost({
      customCommands: async () => ({
        commands: [{ name: 'new', description: 'x', body: 'custom', origin: 'new.md' }],
        problems: [],
      }),
    });
    assert.deepEqual(await runSlash('/new', host), { kind: 'done' });
  });
});
