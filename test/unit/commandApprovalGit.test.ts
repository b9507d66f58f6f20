/**
 * `git push` in any form always asks, whatever the mode, the allow list or an earlier "allow for this
 * session" (issue 22 relies on it); `--force` is refused. git told on its own command line to run or
 * write something else (`-c`, `--config-env`, `--exec-path`, `git config`, `--output` into a protected
 * file) asks even when the user allowed `git *`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type CommandRules, checkCommand } from '../../src/core/agent/commands/approval';
import { CheckedSessionApprovals } from '../../src/core/agent/commands/checkedSession';
import { decideRun } from '../../src/core/agent/commands/runApproval';
import { protectedReason } from '../../src/core/edits';

const options = { isProtectedPath: (path: string) => protectedReason(path) !== undefined };
/** A session key that would let a push run later. */
const pushes = (key: string): boolean => /\bgit\b.*\b(push|send-pack)\b/.test(key);
const PUSHES = [
  'git push',
  'git push origin main',
  'git -C sub push',
  'git --git-dir=.git push origin main',
  'git -c push.default=current push',
  '/usr/bin/git push',
  "'git' p''ush",
  'git pus*',
  'time git push',
  'nice -n 19 git push',
  'timeout 60 git push',
  'command git push',
  'builtin command git push',
  'env git push',
  "sh -c 'git push'",
  'eval git push',
  'git status && git push',
  'watch git push',
  'git send-pack origin main',
];
const FORCED = ['git push -f', 'git push --force', 'git -C sub push -f origin main', 'git push --force-with-lease'];
/** Allow lists a user might write, from the narrowest to "anything git does". */
const ALLOW_LISTS: readonly string[][] = [
  ['git push'],
  ['git push *', 'git -C sub push', 'git send-pack *'],
  ['git *', 'time *', 'nice *', 'timeout *', 'command *', 'builtin *', 'env *', 'sh *', 'eval *', 'watch *'],
];

describe('git push always asks', () => {
  it('in every spelling and wrapper, with any allow list, with a reason the user reads', async () => {
    for (const allow of ALLOW_LISTS) {
      for (const line of PUSHES) {
        const verdict = await checkCommand(line, { allow, deny: [] }, options);
        assert.equal(verdict.kind, 'ask', `${line} with ${allow.join(', ')}`);
        if (verdict.kind !== 'ask') continue;
        assert.match(verdict.reasons.join(' '), /publishes commits|git push/, line);
        assert.ok(!verdict.sessionKeys?.some(pushes), `${line} offered for the session`);
      }
    }
  });

  it('--force is refused outright, even when the allow list names it', async () => {
    for (const line of FORCED) {
      const verdict = await checkCommand(line, { allow: ['git *', line], deny: [] }, options);
      assert.equal(verdict.kind, 'deny', line);
      if (verdict.kind === 'deny') assert.match(verdict.reasons.join(' '), /overwrites the remote branch's history/);
    }
  });

  it('never runs unasked in any mode, and "allow for this session" is never offered nor takes', async () => {
    for (const line of [...PUSHES, ...FORCED]) {
      const session = new CheckedSessionApprovals(() => true);
      const rules = session.rules(() => ({ allow: ['git *', 'git push'], deny: [] }));
      const verdict = await checkCommand(line, rules.current(), options);
      session.approve(verdict);
      const again = await checkCommand(line, rules.current(), options);
      for (const mode of ['ask', 'autoEdit', 'auto'] as const) {
        const decision = decideRun({ verdict: again, mode, trusted: true, session });
        assert.notEqual(decision.kind, 'run', `${line} in ${mode}`);
        if (decision.kind === 'ask') assert.equal(decision.offerSession, false, `${line} in ${mode}`);
      }
    }
  });

  it('every line of the git corpus asks or is refused even with `git *` allowed', async () => {
    const file = join(__dirname, '..', 'fixtures', 'adversarial', 'commands', 'git.json');
    const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: string[] };
    const rules: CommandRules = { allow: ['git *', 'time *', 'nice *', 'timeout *', 'command *', 'env *'], deny: [] };
    for (const line of cases) {
      const verdict = await checkCommand(line, rules, options);
      assert.notEqual(verdict.kind, 'allow', line);
      if (verdict.kind === 'ask') assert.ok(!verdict.sessionKeys?.some(pushes), line);
    }
  });
});

describe('git told to run or write something else', () => {
  const rules: CommandRules = { allow: ['git *'], deny: [] };
  const reasons = async (line: string) => {
    const verdict = await checkCommand(line, rules, options);
    return verdict.kind === 'allow' ? [] : verdict.reasons;
  };

  it('asks for -c, --config-env and --exec-path=, naming the option', async () => {
    assert.deepEqual(await reasons("git -c alias.st='!rm x' st"), [
      '`git -c` sets git configuration for this command, which can make git run another program.',
    ]);
    assert.deepEqual(await reasons('git -C . --config-env=core.pager=P log'), [
      '`git --config-env` sets git configuration for this command, which can make git run another program.',
    ]);
    assert.deepEqual(await reasons('git --exec-path=/tmp/evil status'), [
      '`git --exec-path` tells git where to find the programs it runs.',
    ]);
    assert.deepEqual(await reasons('git --exec-path'), []);
    assert.deepEqual(await reasons('git status -c'), []);
    assert.deepEqual(await reasons('git commit -c HEAD'), []);
  });

  it('asks when git config changes something; reads run', async () => {
    const changes = '`git config` changes git configuration, which can make git run other programs.';
    for (const line of [
      'git config core.hooksPath /tmp',
      'git config --unset core.hooksPath',
      'git config -e',
      'git config set core.pager less',
      'git config $NAME',
      'git --git-dir .git config --global core.pager less',
    ]) {
      assert.ok((await reasons(line)).includes(changes), line);
    }
    for (const line of [
      'git config user.name',
      'git config --get user.name',
      'git config --list',
      'git config get x',
    ]) {
      assert.deepEqual(await reasons(line), [], line);
    }
    const verdict = await checkCommand('git config core.pager less', rules, options);
    assert.equal(verdict.kind === 'ask' && verdict.sessionKeys, undefined, 'a change to .git/config is not remembered');
  });

  it('asks for --output and format-patch -o into a protected file, not into another', async () => {
    const cases: [string, string][] = [
      ['git diff --output=.git/hooks/pre-commit', '.git/hooks/pre-commit'],
      ['git log --output .vscode/settings.json', '.vscode/settings.json'],
      ['git format-patch -o .git/hooks HEAD~1', '.git/hooks'],
      ['git format-patch -o.vscode HEAD~1', '.vscode'],
      ['git format-patch --output-directory=.vscode HEAD~1', '.vscode'],
    ];
    for (const [line, path] of cases) {
      assert.deepEqual(await reasons(line), [`It may change ${path}, a protected file.`], line);
    }
    for (const line of [
      'git diff --output=out.txt',
      'git diff -o .git/x',
      'git diff --output=',
      'git format-patch -o out',
    ]) {
      assert.deepEqual(await reasons(line), [], line);
    }
  });
});

describe('commands that carry a denied or always-asking command among their words', () => {
  it('ask, say which, and are never remembered for the session', async () => {
    const rules: CommandRules = { allow: ['watch *', 'strace *', 'echo *'], deny: ['npm run deploy'] };
    const cases: [string, string][] = [
      ['watch git push', '`watch git push` has `git push` among its words and may run it.'],
      ['strace -f rm -rf /', '`strace -f rm -rf /` has `rm -rf /` among its words and may run it.'],
      ['echo npm run deploy', '`echo npm run deploy` has `npm run deploy` among its words and may run it.'],
    ];
    for (const [line, reason] of cases) {
      const verdict = await checkCommand(line, rules, options);
      assert.deepEqual(verdict, { kind: 'ask', commands: [line], reasons: [reason] }, line);
    }
    for (const line of ['echo git status', 'strace -o trace.txt ls .', 'echo source shutdown']) {
      assert.equal((await checkCommand(line, rules, options)).kind, 'allow', line);
    }
  });

  it('a word the shell expands into file names could be a denied command', async () => {
    const verdict = await checkCommand('git pu?h', { allow: ['git *'], deny: [] }, options);
    assert.equal(verdict.kind, 'ask');
    if (verdict.kind === 'ask')
      assert.ok(
        verdict.reasons.includes(
          "`git 'pu?h'` could turn out to be `git push` when it runs: it publishes commits to " +
            'a remote, so it always asks.',
        ),
      );
    assert.equal((await checkCommand('rm -rf /*', { allow: [], deny: [] }, options)).kind, 'deny');
    assert.equal((await checkCommand('ls *.ts', { allow: ['ls *'], deny: ['rm'] }, options)).kind, 'allow');
  });
});

describe('a wrapper option whose value is known only at run time', () => {
  it('asks: unquoted, it may split into more words, one of them a command', async () => {
    const rules: CommandRules = { allow: ['ls', 'nice *', 'timeout *', 'env *', 'bash *'], deny: [] };
    const cases: [string, string][] = [
      ['nice -n $N ls', 'An option of `nice` is only known at run time.'],
      ['timeout -s $S 5 ls', 'An option of `timeout` is only known at run time.'],
      ['env --unset $X ls', 'An option of `env` is only known at run time.'],
      ['bash -o $X -c ls', 'What `bash` runs is only known at run time.'],
    ];
    for (const [line, reason] of cases) {
      const verdict = await checkCommand(line, rules, options);
      assert.equal(verdict.kind, 'ask', line);
      if (verdict.kind === 'ask') assert.deepEqual(verdict.reasons, [reason], line);
    }
    for (const line of ['nice -n 5 ls', 'timeout -s KILL 5 ls', 'env --unset HOME ls', 'bash -o errexit -c ls']) {
      assert.equal((await checkCommand(line, rules, options)).kind, 'allow', line);
    }
  });
});
