import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandVerdict } from '../../src/core/agent/commands/approval';
import { decideRun, MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { AGENT_MODES, type AgentMode } from '../../src/core/agent/modes';

const allow: CommandVerdict = { kind: 'allow', commands: ['npm test'] };
const ask: CommandVerdict = {
  kind: 'ask',
  commands: ['npm test', 'curl x'],
  reasons: ['curl is not on the allow list'],
};
const deny: CommandVerdict = { kind: 'deny', commands: ['rm -rf /'], reasons: ['rm is on the deny list'] };

const decide = (verdict: CommandVerdict, mode: AgentMode, trusted = true, session = new MemorySessionApprovals()) =>
  decideRun({ verdict, mode, trusted, session }).kind;

describe('run_command approvals per mode', () => {
  it(
    'matches the table: allowed lines run unasked only in Auto-edit and Auto; ' + 'Plan runs nothing; deny never runs',
    () => {
      const table: Record<AgentMode, [string, string, string]> = {
        plan: ['refuse', 'refuse', 'refuse'],
        ask: ['ask', 'ask', 'refuse'],
        autoEdit: ['run', 'ask', 'refuse'],
        auto: ['run', 'ask', 'refuse'],
      };
      for (const mode of AGENT_MODES)
        assert.deepEqual([decide(allow, mode), decide(ask, mode), decide(deny, mode)], table[mode], mode);
    },
  );

  it('runs nothing in an untrusted workspace, whatever the mode and verdict, and says how to trust', () => {
    const verdicts: CommandVerdict[] = [allow, ask, deny];
    for (const mode of AGENT_MODES) for (const line of verdicts) assert.equal(decide(line, mode, false), 'refuse');
    const refused = decideRun({ verdict: allow, mode: 'auto', trusted: false, session: new MemorySessionApprovals() });
    assert.ok(refused.kind === 'refuse' && /not trusted/.test(refused.message));
  });

  it('tells the model why a denied line was refused', () => {
    const refused = decideRun({ verdict: deny, mode: 'auto', trusted: true, session: new MemorySessionApprovals() });
    assert.ok(refused.kind === 'refuse');
    assert.match(refused.message, /rm is on the deny list/);
  });

  it('a session approval covers exactly its sub-commands, in every mode but Plan, never a denied line', () => {
    const session = new MemorySessionApprovals();
    assert.deepEqual(decideRun({ verdict: ask, mode: 'ask', trusted: true, session }), {
      kind: 'ask',
      reasons: ['curl is not on the allow list'],
      offerSession: true,
    });
    session.approve(ask);
    assert.equal(decide(ask, 'ask', true, session), 'run');
    assert.equal(decide({ kind: 'ask', commands: ['npm test'], reasons: [] }, 'ask', true, session), 'run');
    assert.equal(decide({ kind: 'ask', commands: ['npm test', 'curl y'], reasons: [] }, 'ask', true, session), 'ask');
    assert.equal(decide(ask, 'plan', true, session), 'refuse');
    assert.equal(decide(ask, 'ask', false, session), 'refuse');
    session.approve(deny);
    assert.equal(decide(deny, 'ask', true, session), 'refuse');
    assert.equal(session.canApprove(deny), false);
  });
});
