import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixPrompt, notRunLine, passedLine, failedLine, runOutcome, testRunCall } from '../../src/core/tests';

describe('Generate Tests: reading how the run of the new tests ended', () => {
  it('calls run_command with the command and the project folder, its raw arguments the same JSON', () => {
    const call = testRunCall('run-1', "npx vitest run src/a.test.ts -t 'adds'", '/ws/app');
    assert.equal(call.name, 'run_command');
    assert.deepEqual(call.arguments, { command: "npx vitest run src/a.test.ts -t 'adds'", cwd: '/ws/app' });
    assert.deepEqual(JSON.parse(call.rawArguments), call.arguments);
  });

  it('exit 0 passed; another exit code failed, with the whole result for the model', () => {
    assert.deepEqual(runOutcome({ status: 'done', result: 'Exit code 0 after 1.2 s.\n$ npm test\n\nok' }), {
      kind: 'passed',
    });
    const result = 'Exit code 2 after 0.4 s.\n$ go test ./calc\n(in app, run as a child process)\n\nFAIL';
    assert.deepEqual(runOutcome({ status: 'error', result }), { kind: 'failed', exitCode: 2, output: result });
  });

  it('a rejected, refused, stopped or code-less run, or a busy chat, is "not run" with the reason', () => {
    assert.deepEqual(runOutcome({ status: 'rejected', result: 'The user rejected the command; it was not run.' }), {
      kind: 'not run',
      reason: 'The user rejected the command; it was not run',
    });
    assert.deepEqual(runOutcome({ status: 'error', result: 'Error: no commands in Plan mode.' }), {
      kind: 'not run',
      reason: 'no commands in Plan mode',
    });
    assert.deepEqual(runOutcome({ status: 'error', result: 'Ended by SIGKILL after 3.0 s (no exit code).\n…' }), {
      kind: 'not run',
      reason: 'Ended by SIGKILL after 3.0 s (no exit code)',
    });
    assert.deepEqual(runOutcome({ status: 'skipped' }), { kind: 'not run', reason: 'skipped' });
    assert.deepEqual(runOutcome(undefined), { kind: 'not run', reason: 'the chat was busy answering' });
  });
});

describe('Generate Tests: the one fix request', () => {
  const request = {
    command: 'node --test src/clamp.test.js',
    exitCode: 1,
    output: 'Exit code 1 after 0.3 s.\n✖ clamp\n  10 !== 15\n',
    testFile: 'src/clamp.test.js',
    language: 'javascript' as const,
    code: "test('clamp', () => {\n  assert.equal(clamp(15, 0, 10), 15);\n});",
  };

  it('says which command failed with which code, then the output and the tests, fenced', () => {
    const text = fixPrompt(request);
    assert.ok(
      text.startsWith(
        'The tests you wrote in `src/clamp.test.js` failed: `node --test src/clamp.test.js` exited ' +
          'with 1.\n\n```text\nExit code 1 after 0.3 s.\n✖ clamp\n  10 !== 15\n```\n\nThe tests ' +
          'that were added:\n\n```js\ntest(',
      ),
      text,
    );
    assert.match(text, /Reply with the corrected tests in one `js` code block/);
    assert.match(text, /If the code under test is wrong rather than the tests, say so and give no code block\.$/);
  });

  it('uses a longer fence when the output or the tests hold one', () => {
    const text = fixPrompt({ ...request, output: 'Exit code 1 after 0.1 s.\n```\nin the output\n```' });
    assert.match(text, /\n````text\n/);
    assert.match(text, /\n````js\n/);
  });
});

describe('Generate Tests: what the chat says', () => {
  it('names the command and the exit code', () => {
    assert.equal(passedLine('npm test', 1), '✅ The generated tests passed: `npm test` exited with 0.');
    assert.equal(passedLine('npm test', 2), '✅ The generated tests passed after the fix: `npm test` exited with 0.');
    assert.equal(
      failedLine('npm test', 3, false),
      '❌ The generated tests failed: `npm test` exited with 3. The output goes back to the model once for a fix.',
    );
    assert.match(failedLine('npm test', 3, true), /exited with 3\. QCoder asked for one fix only/);
    assert.equal(
      notRunLine('npm test', 'rejected by the user'),
      'The generated tests were not run (`npm test`): rejected by the user.',
    );
  });
});
