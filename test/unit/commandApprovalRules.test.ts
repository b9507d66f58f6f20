import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesAllow, matchesDeny, normalizePath, parseRule, parseRules } from '../../src/core/agent/commands/rules';
import { type ShellWord, quoteWord } from '../../src/core/agent/commands/shellWords';

const known = (...values: string[]): ShellWord[] => values.map((value) => ({ text: value, value }));
const later = (text: string): ShellWord => ({ text, dynamic: 'test' });
const rule = (entry: string) => {
  const parsed = parseRule(entry);
  assert.ok(parsed, `${entry} parses`);
  return parsed;
};

describe('parseRule', () => {
  it('reads words the way the shell does', () => {
    assert.deepEqual(parseRule('npm test'), { entry: 'npm test', words: ['npm', 'test'], anyArguments: false });
    assert.deepEqual(parseRule('  git   status  '), {
      entry: 'git   status',
      words: ['git', 'status'],
      anyArguments: false,
    });
    assert.deepEqual(parseRule(`npm run 'my script'`)?.words, ['npm', 'run', 'my script']);
    assert.deepEqual(parseRule('npm run "my script"')?.words, ['npm', 'run', 'my script']);
    assert.deepEqual(parseRule('echo a\\ b')?.words, ['echo', 'a b']);
    assert.deepEqual(parseRule(`echo 'it'\\''s'`)?.words, ['echo', "it's"]);
    assert.deepEqual(parseRule('a"b"c')?.words, ['abc']);
  });

  it('a final bare * stands for any further arguments; a quoted or inner one is a word', () => {
    assert.deepEqual(parseRule('npm test *'), { entry: 'npm test *', words: ['npm', 'test'], anyArguments: true });
    assert.deepEqual(parseRule("ls '*'"), { entry: "ls '*'", words: ['ls', '*'], anyArguments: false });
    assert.deepEqual(parseRule('ls *.ts'), { entry: 'ls *.ts', words: ['ls', '*.ts'], anyArguments: false });
    assert.deepEqual(parseRule('ls * x'), { entry: 'ls * x', words: ['ls', '*', 'x'], anyArguments: false });
    assert.deepEqual(parseRule('ls x*'), { entry: 'ls x*', words: ['ls', 'x*'], anyArguments: false });
    assert.deepEqual(parseRule('ls \\*'), { entry: 'ls \\*', words: ['ls', '*'], anyArguments: false });
    assert.deepEqual(parseRule('ls "*"'), { entry: 'ls "*"', words: ['ls', '*'], anyArguments: false });
    assert.deepEqual(parseRule('ls **'), { entry: 'ls **', words: ['ls', '**'], anyArguments: false });
    assert.deepEqual(parseRule('ls *\t'), { entry: 'ls *', words: ['ls'], anyArguments: true });
    assert.equal(parseRule('*'), undefined);
  });

  it('refuses entries that are not one plain command', () => {
    for (const entry of [
      '',
      '   ',
      'npm test && ls',
      'ls | head',
      'ls; rm',
      'ls > x',
      'echo $(id)',
      'echo `id`',
      'ls &',
      'echo "$HOME"',
      "'open",
      'trailing\\',
      '(ls)',
    ]) {
      assert.equal(parseRule(entry), undefined, entry);
    }
  });

  it('parseRules keeps the good entries and names the rest', () => {
    assert.deepEqual(parseRules(['ls', 'ls | head', 'git status']), {
      rules: [rule('ls'), rule('git status')],
      invalid: ['ls | head'],
    });
    assert.deepEqual(parseRules([42 as unknown as string, null as unknown as string]).invalid, ['42', 'null']);
  });

  it('reads back every word quoteWord writes', () => {
    for (const value of [
      'plain',
      'my script',
      "it's",
      'a"b',
      '$HOME',
      '`id`',
      'a\\b',
      ';',
      '*',
      '',
      'ｌs',
      '-rf',
      'a=b',
      '~/x',
    ]) {
      assert.deepEqual(parseRule(`echo ${quoteWord(value)}`)?.words, ['echo', value], value);
    }
  });
});

describe('matchesAllow', () => {
  it('matches exactly the words, or any further ones after *', () => {
    assert.equal(matchesAllow(rule('npm test'), known('npm', 'test')), true);
    assert.equal(matchesAllow(rule('npm test'), known('npm', 'test', '--watch')), false);
    assert.equal(matchesAllow(rule('npm test'), known('npm')), false);
    assert.equal(matchesAllow(rule('npm test'), known('npm', 'tests')), false);
    assert.equal(matchesAllow(rule('npm test *'), known('npm', 'test')), true);
    assert.equal(matchesAllow(rule('npm test *'), known('npm', 'test', '--', '-t', 'x')), true);
    assert.equal(matchesAllow(rule('npm test *'), [...known('npm', 'test'), later('$X')]), true);
    assert.equal(matchesAllow(rule('npm test *'), known('npm', 'run', 'test')), false);
  });

  it('needs the program spelled as in the entry and every fixed word known', () => {
    assert.equal(matchesAllow(rule('npm test'), known('./npm', 'test')), false);
    assert.equal(matchesAllow(rule('npm test'), known('/usr/bin/npm', 'test')), false);
    assert.equal(matchesAllow(rule('npm test'), [later('$NPM'), ...known('test')]), false);
    assert.equal(matchesAllow(rule('npm test *'), [...known('npm'), later('$T')]), false);
  });
});

describe('matchesDeny', () => {
  it('matches the program by name in any folder, options in any spelling and order, words in order', () => {
    const force = rule('git push --force');
    assert.equal(matchesDeny(force, known('git', 'push', '--force')), 'yes');
    assert.equal(matchesDeny(force, known('git', 'push', 'origin', 'main', '-f')), 'yes');
    assert.equal(matchesDeny(force, known('/usr/bin/git', '-C', 'x', 'push', '-uf')), 'yes');
    assert.equal(matchesDeny(force, known('git', 'push', 'origin', 'main')), 'no');
    assert.equal(matchesDeny(force, known('git', 'pull', '--force')), 'no');
    assert.equal(matchesDeny(force, known('gitx', 'push', '--force')), 'no');
    const wipe = rule('rm -rf /');
    assert.equal(matchesDeny(wipe, known('rm', '-r', '-f', '/')), 'yes');
    assert.equal(matchesDeny(wipe, known('rm', '-Rf', '//')), 'yes');
    assert.equal(matchesDeny(wipe, known('rm', '--recursive', '--force', '--', '/')), 'yes');
    assert.equal(matchesDeny(wipe, known('rm', '-rf', '/tmp')), 'no');
    assert.equal(matchesDeny(wipe, known('rm', '-r', '/')), 'no');
    assert.equal(matchesDeny(wipe, known('rm', '-rf', '--', '-x')), 'no');
    assert.equal(matchesDeny(rule('shutdown'), known('shutdown', '-h', 'now')), 'yes');
    assert.equal(matchesDeny(rule('chmod -R 777 /'), known('chmod', '--recursive', '777', '/')), 'yes');
    assert.equal(matchesDeny(rule('chown -R me /'), known('chown', '--recursive', 'me', '/')), 'yes');
  });

  it('reads words after -- as operands, and - as an operand', () => {
    const wipe = rule('rm -rf /');
    assert.equal(matchesDeny(wipe, known('rm', '--', '-rf', '/')), 'no');
    assert.equal(matchesDeny(wipe, known('rm', '-rf=1', '/')), 'no');
    assert.equal(matchesDeny(rule('x a -'), known('x', '-', 'a')), 'no');
    assert.equal(matchesDeny(rule('x a -'), known('x', 'a', '-')), 'yes');
    assert.equal(matchesDeny(rule('x x'), known('x')), 'no');
  });

  it('says maybe when only run-time words could make the match', () => {
    const wipe = rule('rm -rf /');
    assert.equal(matchesDeny(wipe, [...known('rm', '-rf'), later('$DIR')]), 'maybe');
    assert.equal(matchesDeny(wipe, [...known('rm'), later('$FLAGS'), ...known('/')]), 'maybe');
    assert.equal(matchesDeny(wipe, [later('$RM'), ...known('-rf', '/')]), 'no');
    assert.equal(matchesDeny(wipe, known('rm', '-rf', 'build')), 'no');
  });

  it('counts a word found once for one wanted word only', () => {
    assert.equal(matchesDeny(rule('x a a'), known('x', 'a')), 'no');
    assert.equal(matchesDeny(rule('x a b'), known('x', 'b', 'a')), 'no');
    assert.equal(matchesDeny(rule('x a b'), known('x', 'a', 'c', 'b')), 'yes');
  });
});

describe('normalizePath', () => {
  it('folds spellings of one path', () => {
    const cases: [string, string][] = [
      ['/', '/'],
      ['//', '/'],
      ['/./', '/'],
      ['/.', '/'],
      ['/tmp/', '/tmp'],
      ['/tmp//x/./y', '/tmp/x/y'],
      ['~/', '~'],
      ['./', '.'],
      ['./a', 'a'],
      ['/*', '/*'],
      ['build', 'build'],
      ['-rf', '-rf'],
      ['', ''],
      ['.', '.'],
    ];
    for (const [input, output] of cases) assert.equal(normalizePath(input), output, input);
  });
});
