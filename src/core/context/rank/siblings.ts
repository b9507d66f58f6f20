/**
 * A file's tests, or a test's subject, found by the naming conventions of the common
 * test frameworks (`x.test.ts`, `x.spec.js`, `test_x.py`, `x_test.go`, `XTest.java`,
 * `XTests.cs`), nearest folder first.
 */

const TEST_STEM = /^(?:test_(.+)|(.+?)(?:[._-](?:test|spec)|_test|Tests?))$/;

function parts(path: string): { dir: string; stem: string; ext: string } {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return {
    dir: slash < 0 ? '' : path.slice(0, slash),
    stem: dot > 0 ? name.slice(0, dot) : name,
    ext: dot > 0 ? name.slice(dot + 1) : '',
  };
}

/** Shared leading folders, plus a bonus for the same folder. */
function closeness(a: string, b: string): number {
  if (a === b) return 100;
  const left = a.split('/');
  const right = b.split('/');
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return shared;
}

/** `[path, reason]` for the active file's tests (or, for a test, its subject); at most three, nearest first. */
export function siblingTests(active: string, paths: readonly string[]): [string, string][] {
  const self = parts(active);
  const subject = TEST_STEM.exec(self.stem);
  const subjectStem = subject ? (subject[1] ?? subject[2]) : undefined;
  const found: [string, number][] = [];
  for (const path of paths) {
    if (path === active) continue;
    const other = parts(path);
    if (!sameLanguage(self.ext, other.ext)) continue;
    if (subjectStem !== undefined) {
      if (other.stem === subjectStem) found.push([path, closeness(self.dir, other.dir)]);
    } else {
      const test = TEST_STEM.exec(other.stem);
      if (test && (test[1] ?? test[2]) === self.stem) found.push([path, closeness(self.dir, other.dir)]);
    }
  }
  const reason = subjectStem !== undefined ? 'code under test of the active file' : 'test of the active file';
  return found
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([path]) => [path, reason]);
}

const GROUPS = [['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs']];

function sameLanguage(a: string, b: string): boolean {
  return a === b || GROUPS.some((group) => group.includes(a) && group.includes(b));
}
