/**
 * secrets: canary values in credential files of many kinds, in source files (tokens with a
 * real shape), behind symbolic links and in files named by the user's own patterns, through
 * every core reader — read, @-mention, search, listing, the context pack — and the request
 * scrubber. No canary may come back; ordinary files must still be read (controls).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  NodeWorkspaceReader,
  REDACTED,
  WorkspaceIndex,
  buildContext,
  compileSecretPatterns,
  estimatingCounter,
  redactSecrets,
} from '../../src/core/context';
import { promptMessages } from '../../src/core/chat/historyMessages';
import { EXTRA_PATTERNS, type Planted, plantedFiles, userPlanted } from './credentialFiles';
import { type Sandbox, makeSandbox } from './sandbox';

const RG = execFileSync('sh', ['-c', 'command -v rg || true'], { encoding: 'utf8' }).trim() || undefined;
const reader = new NodeWorkspaceReader();
const secrets = compileSecretPatterns(EXTRA_PATTERNS);

/** Links in the repository that lead to secrets inside it: [link, target, canary of the target's path]. */
const LINKS: readonly [string, string, string][] = [
  ['notes.md', '.env', '.env'],
  ['docs/aws.txt', '../.aws/credentials', '.aws/credentials'],
  ['docs/kube', '../.kube', '.kube/config'],
  ['readme-key.txt', 'id_rsa', 'id_rsa'],
  ['src/settings.ts', '../.npmrc', '.npmrc'],
];

describe('secrets', () => {
  let sandbox: Sandbox;
  let planted: Planted[];
  const leaks: string[] = [];
  let total = 0;
  let canaries: string[] = [];
  const check = (label: string, output: string) => {
    total++;
    const found = canaries.filter((canary) => output.includes(canary));
    if (found.length) leaks.push(`${label}: ${found.length} canar${found.length === 1 ? 'y' : 'ies'}`);
  };

  before(() => {
    sandbox = makeSandbox();
    planted = [...plantedFiles(), ...userPlanted()];
    canaries = planted.map((file) => file.canary);
    for (const file of planted) sandbox.write(file.path, file.content);
    for (const [link, target] of LINKS) sandbox.link(link, target);
    sandbox.write('src/app.ts', 'export const app = "ordinary";\n');
    sandbox.write('src/env.ts', 'export const env = process.env.NODE_ENV;\n');
    sandbox.write('.env.example', 'API_KEY=\n');
  });
  after(() => {
    sandbox.dispose();
    console.log(`secrets: ${total} cases, ${leaks.length} leaks`);
  });

  it(`plants canaries in ${plantedFiles().length} credential and source files`, () => {
    assert.ok(planted.length >= 30 + 12);
  });

  for (const strategy of ['git', 'ripgrep', 'walk'] as const) {
    it(`no reader hands back a canary (${strategy} listing)`, async (t) => {
      if (strategy === 'ripgrep' && !RG) return t.skip('no ripgrep');
      if (strategy === 'git') sandbox.git();
      const start = leaks.length;
      const index = await WorkspaceIndex.build([{ name: 'ws', root: sandbox.root }], reader, {
        git: strategy === 'git',
        secrets,
        ...(strategy === 'ripgrep' ? { rgPath: RG } : {}),
      });
      assert.equal(index.stats.strategies.ws, strategy);
      const policy = index.policy;
      const paths = [...LINKS.map(([link]) => link), ...planted.map((file) => file.path)];
      for (const path of [...paths, ...LINKS.map(([link]) => `./${link}`), 'docs/kube/config']) {
        for (const op of ['read', 'mention', 'context', 'search'] as const) {
          const decision = await policy.decideInput(path, op);
          const read = decision.location ? await policy.read(decision.location.abs, reader, { op }) : undefined;
          check(`${strategy} ${op} ${path}`, read?.allowed ? read.text : '');
        }
      }
      const listed = [...index.paths()];
      check(`${strategy} listing`, listed.join('\n'));
      for (const file of planted.filter((entry) => entry.byName)) {
        total++;
        if (listed.includes(file.path)) leaks.push(`${strategy} listing shows ${file.path}`);
      }
      for (const [link] of LINKS) {
        total++;
        if (listed.includes(link)) leaks.push(`${strategy} listing shows the link ${link}`);
      }
      for (const rgPath of [RG, undefined]) {
        const mentions = paths.map((path) => ({ kind: 'file' as const, path }));
        const mode = rgPath ? 'rg' : 'scan';
        for (let i = 0; i < canaries.length; i += 8) {
          const query = `${canaries.slice(i, i + 8).join(' ')} password token key`;
          const built = await buildContext(
            index,
            estimatingCounter,
            { query, system: 'S', signals: { mentions } },
            rgPath ? { rgPath } : {},
          );
          check(`${strategy} context pack (${mode}, canaries ${i}+)`, JSON.stringify(promptMessages('S', built)));
        }
        const control = await buildContext(index, estimatingCounter, { query: 'ordinary', system: 'S' }, { rgPath });
        assert.match(JSON.stringify(promptMessages('S', control)), /ordinary/, `the control file is packed (${mode})`);
      }
      const control = await policy.read('src/app.ts', reader, { op: 'read' });
      assert.ok(control.allowed, 'an ordinary file is read');
      assert.ok((await policy.read('.env.example', reader, { op: 'read' })).allowed, '.env.example is read');
      assert.deepEqual(leaks.slice(start), []);
    });
  }

  it('scrubs every shaped canary from a request body, plain and JSON-encoded', () => {
    const start = leaks.length;
    const shaped = planted.filter((file) => !file.canary.startsWith('canary'));
    for (const file of shaped) {
      const plain = `look at this:\n${file.content}`;
      const body = JSON.stringify({ messages: [{ role: 'user', content: plain }] });
      for (const [label, text] of [
        ['plain', plain],
        ['json', body],
      ] as const) {
        const scrubbed = redactSecrets(text, secrets);
        check(`redact ${label} ${file.path}`, scrubbed.text);
        assert.ok(scrubbed.found.length > 0 && scrubbed.text.includes(REDACTED), `${label} ${file.path}`);
      }
      assert.doesNotThrow(() => JSON.parse(redactSecrets(body, secrets).text), `${file.path}: the body stays JSON`);
    }
    for (const file of planted.filter((entry) => /PRIVATE KEY|SSH2|PuTTY/.test(entry.content))) {
      const body = JSON.stringify({ content: file.content });
      check(`redact key ${file.path}`, redactSecrets(body).text);
      assert.doesNotThrow(() => JSON.parse(redactSecrets(body).text), file.path);
    }
    assert.deepEqual(leaks.slice(start), []);
  });
});
