import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killPlan, launchPlan } from '../../src/core/agent/commands/runPlatform';

describe('killing a command’s process tree, by platform', () => {
  it('on Windows runs taskkill /PID <pid> /T /F, which ends the process and its whole tree', () => {
    assert.deepEqual(killPlan('win32', 4242, { group: true }), {
      kind: 'taskkill',
      file: 'taskkill',
      args: ['/PID', '4242', '/T', '/F'],
    });
    // Windows has no process group to signal: the group flag changes nothing there.
    assert.deepEqual(killPlan('win32', 4242, { group: false }), killPlan('win32', 4242, { group: true }));
  });

  for (const platform of ['linux', 'darwin', 'freebsd'] as const)
    it(`on ${platform} sends SIGTERM to the process group (-pid) and the tree, SIGKILL to what is left`, () => {
      assert.deepEqual(killPlan(platform, 4242, { group: true }), {
        kind: 'signals',
        group: -4242,
        root: 4242,
        first: 'SIGTERM',
        last: 'SIGKILL',
      });
    });

  it('on POSIX leaves the group alone when the pid does not lead one (a terminal’s shell)', () => {
    const plan = killPlan('linux', 77, { group: false });
    assert.equal(plan.kind, 'signals');
    assert.ok(plan.kind === 'signals' && plan.group === undefined && plan.root === 77);
  });
});

describe('starting a command, by platform', () => {
  it('on Windows goes through Node’s shell (cmd.exe), not detached: taskkill /T does the tree', () => {
    assert.deepEqual(launchPlan('win32', 'npm test', 'C:\\Program Files\\Git\\bin\\bash.exe'), {
      file: 'npm test',
      args: [],
      shell: true,
      detached: false,
    });
  });

  it('on POSIX runs the line with bash or zsh when that is the user’s shell, in a process group of its own', () => {
    assert.deepEqual(launchPlan('linux', 'npm test && echo ok', '/usr/bin/zsh'), {
      file: '/usr/bin/zsh',
      args: ['-c', 'npm test && echo ok'],
      shell: false,
      detached: true,
    });
    assert.equal(launchPlan('darwin', 'x', '/bin/bash').file, '/bin/bash');
  });

  it('on POSIX falls back to /bin/sh for other shells or none', () => {
    for (const shell of ['/usr/bin/fish', '/bin/tcsh', '/opt/bashful/bin/nu', undefined, ''])
      assert.equal(launchPlan('linux', 'ls', shell).file, '/bin/sh', String(shell));
  });
});
