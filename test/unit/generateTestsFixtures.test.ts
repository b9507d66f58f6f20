/**
 * Generate Tests on the fixture projects in test/fixtures/gentests/: for each, the scripted
 * model answer goes through detection, placement, import merging and insertion, and the
 * test file must come out exactly as the hand-written expected file. The run command and
 * the style example are checked against each case's own record.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  chooseExample,
  extractTestCode,
  insertTests,
  planTests,
  type ProjectFiles,
  runCommand,
} from '../../src/core/tests';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'gentests');

interface Case {
  readonly source: string;
  readonly framework: string;
  readonly testFile: string;
  readonly mode: string;
  readonly example: string;
  readonly expected: string;
  readonly command: string;
}

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = dir ? `${dir}/${name}` : name;
    return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
  });
}

/**
 * A fixture file's text. Stryker's sandbox puts `// @ts-nocheck` on top of every JS/TS file it
 * copies, fixtures included; the bytes under test are the fixture's own, so the marker goes.
 */
function readFixture(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\/\/ @ts-nocheck\r?\n/, '');
}

export function fixtureProject(name: string): ProjectFiles {
  const root = path.join(FIXTURES, name, 'project');
  const paths = listFiles(root);
  return {
    paths,
    read: async (relative) => (paths.includes(relative) ? readFixture(path.join(root, relative)) : undefined),
  };
}

const names = readdirSync(FIXTURES).filter((name) => statSync(path.join(FIXTURES, name)).isDirectory());

describe('Generate Tests on the fixture projects', () => {
  test('there is a fixture for every framework', () => {
    const frameworks = new Set(
      names.map((name) => (JSON.parse(readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as Case).framework),
    );
    assert.deepEqual([...frameworks].sort(), [
      'cargo',
      'go',
      'jest',
      'junit5',
      'mocha',
      'node:test',
      'pytest',
      'unittest',
      'vitest',
    ]);
  });

  for (const name of names) {
    test(name, async () => {
      const dir = path.join(FIXTURES, name);
      const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case;
      const project = fixtureProject(name);
      const planned = await planTests(project, spec.source);
      assert.ok(planned.ok, planned.ok ? '' : planned.message);
      const { plan } = planned;
      assert.equal(plan.detection.framework, spec.framework, plan.detection.evidence);
      assert.equal(plan.placement.path, spec.testFile);
      assert.equal(plan.placement.mode, spec.mode);
      assert.equal((await chooseExample(plan, project))?.path, spec.example);
      const answer = readFixture(path.join(dir, 'answer.md'));
      const extracted = extractTestCode(answer, plan.language, plan.detection.framework);
      assert.ok(extracted.ok, extracted.ok ? '' : extracted.message);
      const text = insertTests({
        language: plan.language,
        existing: await project.read(plan.placement.path),
        code: extracted.code,
        sourceText: (await project.read(spec.source)) ?? '',
        testPath: plan.placement.path,
      });
      assert.equal(text, readFixture(path.join(dir, spec.expected)));
      const run = runCommand({
        detection: plan.detection,
        testPath: plan.placement.path,
        code: extracted.code,
        paths: project.paths,
      });
      assert.equal(run.command, spec.command);
    });
  }
});
