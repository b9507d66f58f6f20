/**
 * On Windows commands run in cmd or PowerShell, whose separators and expansions (`&`, `%X%`, `(…)`,
 * `@(…)`, a backtick escape) a bash grammar misreads: unless the caller names a POSIX shell, every
 * line there asks, and says why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type CommandRules, checkCommand } from '../../src/core/agent/commands/approval';

const RULES: CommandRules = { allow: ['npm test', 'npm test *', 'ls', 'ls *', 'git status'], deny: [] };
const platform = Object.getOwnPropertyDescriptor(process, 'platform');
const corpus = (name: string): string[] =>
  (
    JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'adversarial', 'commands', name), 'utf8')) as {
      cases: string[];
    }
  ).cases;

describe('checkCommand on Windows', () => {
  beforeEach(() => Object.defineProperty(process, 'platform', { value: 'win32' }));
  afterEach(() => platform && Object.defineProperty(process, 'platform', platform));

  it('asks for every line when no shell is named, even an allowed one, and says why', async () => {
    for (const line of ['npm test', 'ls %COMSPEC%', 'npm test -- (Remove-Item x)', ...corpus('windows.json')]) {
      assert.deepEqual(
        await checkCommand(line, RULES),
        {
          kind: 'ask',
          commands: [line],
          reasons: ['QCoder checks only POSIX shell lines (bash, sh, zsh); in cmd.exe every command asks.'],
        },
        line,
      );
    }
  });

  it('names the shell from a Windows path; a named POSIX shell is checked as usual', async () => {
    const powershell = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
    const verdict = await checkCommand('npm test', RULES, { shell: powershell });
    assert.equal(
      verdict.kind === 'ask' && verdict.reasons[0],
      'QCoder checks only POSIX shell lines (bash, sh, zsh); in powershell.exe every command asks.',
    );
    assert.equal(
      (await checkCommand('npm test', RULES, { shell: 'C:\\Program Files\\Git\\bin\\bash.exe' })).kind,
      'allow',
    );
    assert.equal((await checkCommand('npm test & del x', RULES, { shell: 'bash.exe' })).kind, 'ask');
  });
});

describe('checkCommand elsewhere', () => {
  it('reads a line with no shell named as bash', async () => {
    assert.equal((await checkCommand('npm test', RULES)).kind, process.platform === 'win32' ? 'ask' : 'allow');
  });
});
