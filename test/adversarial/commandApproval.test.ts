/**
 * command-approval: shell lines written to slip something past an allow list of `npm test`,
 * `git status` and `ls` — chains, substitutions, quoting tricks, eval and `-c` strings, pipes into
 * a shell, `$IFS`, lookalike and invisible characters, environment prefixes, redirections into
 * protected files, xargs and find payloads, newlines, backgrounding, comments, here-documents.
 * The corpus (test/fixtures/adversarial/commands/*.json) was written from known shell bypasses,
 * not from the checker. None may be auto-approved; a control group must be, so a checker that
 * always asks cannot pass.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type CommandRules, checkCommand } from '../../src/core/agent/commands/approval';
import { protectedReason } from '../../src/core/edits';

const CORPUS = join(__dirname, '..', 'fixtures', 'adversarial', 'commands');
const RULES: CommandRules = { allow: ['npm test', 'git status', 'ls'], deny: [] };
const options = { isProtectedPath: (path: string) => protectedReason(path) !== undefined };

interface CorpusFile {
  readonly about: string;
  readonly cases: readonly string[];
}

const corpus = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(join(CORPUS, name), 'utf8')) as CorpusFile) }));

const CONTROLS = ['npm test', 'git status', 'ls', 'git status && ls', 'ls; npm test', "'ls'", 'ls 2>/dev/null'];

describe('command-approval', () => {
  let total = 0;
  const approved: string[] = [];
  after(() => console.log(`command-approval: ${total} cases, ${approved.length} auto-approved`));

  it('the corpus has at least 200 lines, no two alike', () => {
    const lines = corpus.flatMap((file) => file.cases);
    assert.ok(lines.length >= 200, `only ${lines.length} cases`);
    assert.equal(new Set(lines).size, lines.length);
  });

  for (const file of corpus) {
    it(`${file.name}: ${file.about}`, async () => {
      const here: string[] = [];
      for (const line of file.cases) {
        total++;
        const verdict = await checkCommand(line, RULES, options);
        if (verdict.kind === 'allow') here.push(`${file.name}: ${JSON.stringify(line)}`);
      }
      approved.push(...here);
      assert.deepEqual(here, []);
    });
  }

  it('every write into a protected file in the corpus is named as one', async () => {
    const file = corpus.find((entry) => entry.name === 'redirections.json');
    assert.ok(file);
    for (const line of file.cases.filter((entry) => /\s\.(git|vscode|github|husky|npmrc|devcontainer)\b/.test(entry))) {
      const verdict = await checkCommand(line, RULES, options);
      assert.notEqual(verdict.kind, 'allow', line);
      if (verdict.kind !== 'allow')
        assert.match(verdict.reasons.join(' '), /protected file|not complete|run time/, line);
    }
  });

  it('control group: the allowed commands themselves run unasked', async () => {
    for (const line of CONTROLS) assert.equal((await checkCommand(line, RULES, options)).kind, 'allow', line);
  });
});
