import { readdirSync, readFileSync } from 'node:fs';
import { reviewRace } from './adversarial/reviewRace';
import { seeded, pick } from './adversarial/raceModel';
const FILES = readdirSync('test/fixtures/adversarial/races')
  .sort()
  .map((n) => ({ path: n.replace(/\.txt$/, ''), text: readFileSync('test/fixtures/adversarial/races/' + n, 'utf8') }));
for (const t of [14, 199]) {
  const random = seeded(1000 + t);
  const f = pick(random, FILES);
  console.log(t, reviewRace(f.path, f.text, random, 1 + Math.floor(random() * 5)));
}
