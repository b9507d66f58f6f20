/**
 * races: the user types in a file while QCoder is about to change it — 200 trials between an
 * agent edit's proposal and its landing (`reviewRace.ts`), 200 during an inline-edit stream
 * (`inlineRace.ts`), over the files in test/fixtures/adversarial/races/, seeded. A violation
 * is a keystroke lost, an edit landed anywhere but where the reference puts it, or a refusal
 * without a message the model can act on.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inlineRace } from './inlineRace';
import { pick, seeded } from './raceModel';
import { reviewRace } from './reviewRace';

const TRIALS = 200;
const FOLDER = 'test/fixtures/adversarial/races';
const FILES = readdirSync(FOLDER)
  .sort()
  .map((name) => ({ path: name.replace(/\.txt$/, ''), text: readFileSync(join(FOLDER, name), 'utf8') }));

const violations: string[] = [];
let cases = 0;

describe('races', () => {
  after(() => {
    for (const violation of violations.slice(0, 20)) console.log(`  violation: ${violation}`);
    console.log(`races: ${cases} cases, ${violations.length} violations`);
  });

  it(`${TRIALS} edits with the user typing between proposal and apply: re-anchored or refused`, () => {
    const counts = { reanchored: 0, refused: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const random = seeded(1000 + trial);
      const file = pick(random, FILES);
      const result = reviewRace(file.path, file.text, random, 1 + Math.floor(random() * 5));
      counts[result.outcome]++;
      cases++;
      if (result.violation) violations.push(`review trial ${trial} (${file.path}): ${result.violation}`);
    }
    console.log(`  review: ${counts.reanchored} re-anchored and landed, ${counts.refused} refused as stale`);
    assert.ok(counts.reanchored > TRIALS / 10 && counts.refused > TRIALS / 10, 'both outcomes are exercised');
    assert.deepEqual(violations, []);
  });

  it(`${TRIALS} inline edits with the user typing during the stream: no keystroke lost`, () => {
    let inside = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const random = seeded(5000 + trial);
      const file = pick(random, FILES);
      const result = inlineRace(file.text, random);
      if (result.touched) inside++;
      cases++;
      if (result.violation) violations.push(`inline trial ${trial} (${file.path}): ${result.violation}`);
    }
    console.log(
      `  inline: ${inside} trials typed inside the lines being rewritten, ${TRIALS - inside} only around them`,
    );
    assert.ok(inside > TRIALS / 10, 'typing inside the rewritten lines is exercised');
    assert.deepEqual(violations, []);
  });
});
