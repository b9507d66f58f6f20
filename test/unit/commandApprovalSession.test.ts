import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CommandVerdict, checkCommand } from '../../src/core/agent/commands/approval';
import { SessionApprovals } from '../../src/core/agent/commands/sessionApprovals';
import { protectedReason } from '../../src/core/edits';

const RULES = { allow: ['ls', 'git status'], deny: ['npm run deploy'] };
const options = { isProtectedPath: (path: string) => protectedReason(path) !== undefined };

async function approveThenCheck(approved: string, later: string, trusted = true): Promise<CommandVerdict> {
  const session = new SessionApprovals();
  session.remember(await checkCommand(approved, session.rulesWith(RULES), options), trusted);
  return checkCommand(later, session.rulesWith(RULES), options);
}

describe('SessionApprovals', () => {
  it('an approved sub-command runs unasked later, alone or chained with allowed ones', async () => {
    assert.deepEqual(await approveThenCheck('npm test', 'npm test'), { kind: 'allow', commands: ['npm test'] });
    assert.deepEqual(await approveThenCheck("'npm' test", 'npm test && ls'), {
      kind: 'allow',
      commands: ['npm test', 'ls'],
    });
    assert.deepEqual(await approveThenCheck('bash -c "npm run \'a b\'"', "npm run 'a b'"), {
      kind: 'allow',
      commands: ["npm run 'a b'"],
    });
  });

  it('covers exactly the approved words, not more arguments or other commands', async () => {
    assert.equal((await approveThenCheck('npm test', 'npm test --watch')).kind, 'ask');
    assert.equal((await approveThenCheck('npm test', 'npm test; rm -r build')).kind, 'ask');
    assert.equal((await approveThenCheck('npm test', 'npm test > out.txt')).kind, 'ask');
  });

  it('remembers nothing in an untrusted workspace', async () => {
    const session = new SessionApprovals();
    const verdict = await checkCommand('npm test', RULES, options);
    assert.match(session.refusal(verdict, false) ?? '', /untrusted workspace/);
    assert.deepEqual(session.remember(verdict, false), []);
    assert.deepEqual(session.entries, []);
    assert.equal((await approveThenCheck('npm test', 'npm test', false)).kind, 'ask');
  });

  it('never remembers a denied line, and the deny list still beats what was remembered', async () => {
    const session = new SessionApprovals();
    const denied = await checkCommand('npm run deploy', RULES, options);
    assert.equal(denied.kind, 'deny');
    assert.match(session.refusal(denied, true) ?? '', /denied command is never allowed/);
    assert.deepEqual(session.remember(denied, true), []);
    session.remember(await checkCommand('npm run build', RULES, options), true);
    assert.deepEqual(session.entries, ['npm run build']);
    const rules = session.rulesWith({ allow: RULES.allow, deny: ['npm run build'] });
    assert.equal((await checkCommand('npm run build', rules, options)).kind, 'deny');
  });

  it('never remembers a line that writes to a protected file', async () => {
    const session = new SessionApprovals();
    const verdict = await checkCommand('npm run gen > .vscode/settings.json', RULES, options);
    assert.equal(verdict.kind, 'ask');
    assert.match(session.refusal(verdict, true) ?? '', /cannot be allowed for the session/);
    assert.deepEqual(session.remember(verdict, true), []);
  });

  it('never remembers what asks for more than the allow list: git push, sudo, a pipe into a shell', async () => {
    for (const line of ['git push origin main', 'sudo npm test', 'npm pack | sh']) {
      const session = new SessionApprovals();
      const verdict = await checkCommand(line, RULES, options);
      assert.equal(verdict.kind, 'ask', line);
      session.remember(verdict, true);
      assert.equal((await checkCommand(line, session.rulesWith(RULES), options)).kind, 'ask', line);
    }
  });

  it('has nothing to remember for an allowed line; clear forgets', async () => {
    const session = new SessionApprovals();
    const allowed = await checkCommand('ls', RULES, options);
    assert.match(session.refusal(allowed, true) ?? '', /already allowed/);
    assert.deepEqual(session.remember(allowed, true), []);
    assert.equal(session.rulesWith(RULES), RULES);
    assert.deepEqual(session.remember(await checkCommand('npm test; make', RULES, options), true), [
      'npm test',
      'make',
    ]);
    assert.deepEqual(session.rulesWith(RULES).allow, ['ls', 'git status', 'npm test', 'make']);
    session.clear();
    assert.deepEqual(session.entries, []);
  });
});
