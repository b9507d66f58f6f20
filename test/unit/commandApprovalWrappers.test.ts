import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ShellWord, wordsText } from '../../src/core/agent/commands/shellWords';
import { optionValues, unwrap } from '../../src/core/agent/commands/wrappers';

const known = (line: string): ShellWord[] => line.split(' ').map((value) => ({ text: value, value }));
const later = (text: string): ShellWord => ({ text, dynamic: 'test' });
const inner = (line: string) => unwrap(known(line)).commands.map((command) => wordsText(command.words));

describe('unwrap: what runs under a wrapper', () => {
  it('takes off wrappers and their options, outermost first', () => {
    const cases: [string, string[]][] = [
      ['env ls', ['ls']],
      ['env -i -u HOME -C /tmp ls -l', ['ls -l']],
      ['env --unset HOME --chdir=/tmp ls', ['ls']],
      ['env -- ls', ['ls']],
      ['nohup nice -n 5 ionice -c 3 ls', ['ls']],
      ['nice -10 ls', ['ls']],
      ['timeout -s KILL -k 5 30 ls', ['ls']],
      ['timeout --signal=KILL 30 ls', ['ls']],
      ['timeout --kill-after 5 30 ls', ['ls']],
      ['stdbuf -oL -e 0 ls', ['ls']],
      ['command -p ls', ['ls']],
      ['exec -a name ls', ['ls']],
      ['builtin setsid busybox ls', ['ls']],
      ['time -p ls', ['ls']],
      ['sudo -u root -g wheel ls', ['ls']],
      ['sudo --user=root ls', ['ls']],
      ['doas -u root ls', ['ls']],
      ['pkexec --user root ls', ['ls']],
      ['env', ['env']],
      ['timeout 30', ['timeout 30']],
      ['ls -l env', ['ls -l env']],
    ];
    for (const [line, commands] of cases) assert.deepEqual(inner(line), commands, line);
  });

  it('says why for sudo and env assignments, and refuses env -S', () => {
    assert.deepEqual(unwrap(known('sudo ls')).asks, ['it runs as another user (sudo)']);
    assert.deepEqual(unwrap(known('env A=1 B=2 ls')).asks, [
      '`env` sets the environment variable A for the command it runs',
      '`env` sets the environment variable B for the command it runs',
    ]);
    assert.deepEqual(unwrap(known('env -iS ls')).asks, ['`env -iS` runs a command the checker does not follow']);
    assert.deepEqual(unwrap(known('env --split-string=ls')).asks, [
      '`env --split-string` runs a command the checker does not follow',
    ]);
    const computed = unwrap([...known('nice'), later('$N'), ...known('ls')]);
    assert.deepEqual(computed.asks, ['an option of `nice` is only known at run time']);
    assert.deepEqual(computed.commands.length, 1);
  });

  it('hands shell -c strings and eval text on as scripts', () => {
    const script = (line: string) => unwrap(known(line)).scripts.map((item) => [item.word.value, item.via.join(' > ')]);
    assert.deepEqual(script('bash -c ls'), [['ls', 'bash -c']]);
    assert.deepEqual(script('sudo sh -xc ls'), [['ls', 'sudo > sh -c']]);
    assert.deepEqual(script('bash -o pipefail -c ls'), [['ls', 'bash -c']]);
    assert.deepEqual(script('bash --rcfile x -c ls'), [['ls', 'bash -c']]);
    assert.deepEqual(script('bash -c -- ls'), [['ls', 'bash -c']]);
    assert.deepEqual(script('eval ls -l'), [['ls -l', 'eval']]);
    assert.deepEqual(script('bash script.sh'), []);
    assert.deepEqual(inner('bash script.sh'), ['bash script.sh']);
    assert.deepEqual(inner('bash -- script.sh'), ['bash -- script.sh']);
    assert.deepEqual(unwrap(known('bash -c')).asks, ['what `bash` runs is only known at run time']);
  });

  it('judges xargs and find -exec payloads, with what they fill in known only at run time', () => {
    assert.deepEqual(inner('xargs -0 -n 1 rm -f'), ['rm -f …']);
    assert.deepEqual(inner('xargs'), ['echo']);
    assert.deepEqual(inner('xargs -I % cp % dest'), ['cp % dest …']);
    const filled = unwrap(known('xargs -I % cp % dest')).commands[0].words;
    assert.deepEqual(
      filled.map((word) => word.value),
      ['cp', '%', 'dest', undefined],
    );
    const found = unwrap(known('find . -name x -exec rm {} ; -execdir touch {} +'));
    assert.deepEqual(
      found.commands.map((command) => wordsText(command.words)),
      ['rm {}', 'touch {}', "find . -name x -exec … ';' -execdir … +"],
    );
    assert.deepEqual(found.commands[0].via, ['find -exec']);
    assert.deepEqual(unwrap(known('find . -exec rm {}')).asks, [
      "`find -exec` has no closing ';' or '+', so what it runs is unclear",
    ]);
    assert.deepEqual(
      unwrap(known('find . -fprint out.txt')).writes.map((word) => word.value),
      ['out.txt'],
    );
  });

  it('records the file time -o writes', () => {
    const writes = (line: string) => unwrap(known(line)).writes.map((word) => word.value);
    assert.deepEqual(writes('time -o out ls'), ['out']);
    assert.deepEqual(writes('time -ao out ls'), ['out']);
    assert.deepEqual(writes('time --output=out ls'), ['out']);
    assert.deepEqual(writes('time --output out ls'), ['out']);
    assert.deepEqual(writes('time -p ls'), []);
    assert.deepEqual(
      optionValues(known('-oout -x --output=a --output b'), 'o', '--output').map((word) => word.value),
      ['out', 'a', 'b'],
    );
  });
});
