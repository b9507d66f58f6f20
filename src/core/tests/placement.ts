/**
 * Where this project puts the tests of a file: its existing test file when there is one,
 * else the project's own convention (sibling `x.test.ts`, `__tests__/`, a `test/` folder,
 * `tests/test_x.py`, `x_test.go`, `src/test/java/…/XTest.java`, or Rust's inline
 * `#[cfg(test)] mod tests`). Paths are project-relative and POSIX.
 */
import {
  baseName,
  dirName,
  extensionOf,
  type Framework,
  isScript,
  isTestFile,
  joinPath,
  languageOf,
  stemOf,
} from './frameworks';

export interface Placement {
  /** The test file (the source file itself for Rust's inline module). */
  readonly path: string;
  /** append: to an existing test file; create: a new one; inline: into the source file. */
  readonly mode: 'append' | 'create' | 'inline';
  /** Why there, in words. */
  readonly reason: string;
}

export function placeTests(source: string, framework: Framework, paths: readonly string[]): Placement {
  if (framework === 'cargo') return { path: source, mode: 'inline', reason: "Rust's inline #[cfg(test)] module" };
  const existing = existingTestFile(source, paths);
  if (existing) return { path: existing, mode: 'append', reason: `the existing tests of ${baseName(source)}` };
  return { ...conventionalPath(source, framework, paths), mode: 'create' };
}

/** The subject's stem of a test file name: `math` for `math.test.ts`, `test_math.py`, `MathTest.java`. */
export function subjectStem(path: string): string | undefined {
  const name = baseName(path);
  const match = /^test_(.+)\.py$/.exec(name) ?? /^(.+)_test\.(?:py|go)$/.exec(name) ?? /^(.+?)Tests?\.java$/.exec(name);
  if (match) return match[1];
  // Scripts: `a.test.ts`, `a.spec.mjs`, `__tests__/a.ts`.
  if (isScript(languageOf(name)) && isTestFile(path)) return stemOf(path);
  return undefined;
}

function sameFamily(a: string, b: string): boolean {
  const left = languageOf(a);
  const right = languageOf(b);
  return left === right || (isScript(left) && isScript(right));
}

/** Shared leading folders; the same folder counts most. */
function closeness(a: string, b: string): number {
  if (a === b) return 1000;
  const left = a.split('/');
  const right = b.split('/');
  let shared = 0;
  while (shared < left.length && left[shared] === right[shared]) shared++;
  return shared;
}

function existingTestFile(source: string, paths: readonly string[]): string | undefined {
  const stem = stemOf(source);
  const dir = dirName(source);
  const java = languageOf(source) === 'java' ? javaTestPath(source, 'Test') : undefined;
  const candidates = paths.filter(
    (path) => path !== source && sameFamily(path, source) && isTestFile(path) && subjectStem(path) === stem,
  );
  const score = (path: string) => {
    if (java && dirName(path) === dirName(java)) return 2000;
    const folder = dirName(path);
    return closeness(folder.endsWith('/__tests__') || folder === '__tests__' ? dirName(folder) : folder, dir);
  };
  return candidates.sort((a, b) => score(b) - score(a) || a.localeCompare(b))[0];
}

function conventionalPath(source: string, framework: Framework, paths: readonly string[]): Omit<Placement, 'mode'> {
  const language = languageOf(source);
  if (language === 'go') return { path: joinPath(dirName(source), `${stemOf(source)}_test.go`), reason: 'go test' };
  if (language === 'java') return { path: javaTestPath(source, 'Test'), reason: 'the Maven/Gradle test layout' };
  if (language === 'python') return pythonPath(source, paths);
  return scriptPath(source, framework, paths);
}

/** `src/main/java/a/B.java` → `src/test/java/a/BTest.java`. */
export function javaTestPath(source: string, suffix: string): string {
  const name = `${stemOf(source)}${suffix}.java`;
  const main = /(^|\/)src\/main\//.exec(source);
  if (main) return joinPath(dirName(source).replace(/(^|\/)src\/main(\/|$)/, '$1src/test$2'), name);
  return joinPath('src/test/java', dirName(source), name);
}

type ScriptStyle = 'sibling' | '__tests__' | 'folder';

/** The project's way for scripts, from its existing tests (most common wins); sibling `.test` by default. */
function scriptPath(source: string, framework: Framework, paths: readonly string[]): Omit<Placement, 'mode'> {
  const tests = paths.filter((path) => isScript(languageOf(path)) && isTestFile(path) && subjectStem(path));
  const styles = new Map<ScriptStyle, number>();
  let spec = 0;
  let folder = 'test';
  for (const path of tests) {
    const style = scriptStyle(path);
    styles.set(style, (styles.get(style) ?? 0) + 1);
    if (/\.spec\.[cm]?[jt]sx?$/.test(path)) spec++;
    if (style === 'folder') folder = path.split('/')[0];
  }
  const marker = spec * 2 > tests.length ? 'spec' : 'test';
  const name = `${stemOf(source)}.${marker}.${extensionOf(source)}`;
  const ranked = [...styles].sort((a, b) => b[1] - a[1]);
  const style: ScriptStyle = ranked[0]?.[0] ?? (framework === 'mocha' ? 'folder' : 'sibling');
  const counted = tests.length ? `as ${ranked[0]?.[1] ?? 0} of the project's ${tests.length} tests are` : '';
  if (style === '__tests__')
    return { path: joinPath(dirName(source), '__tests__', name), reason: because('in __tests__/', counted) };
  if (style === 'folder') {
    const inner = dirName(source).replace(/^(src|lib)(\/|$)/, '');
    return { path: joinPath(folder, inner, name), reason: because(`in ${folder}/`, counted) };
  }
  return { path: joinPath(dirName(source), name), reason: because('beside the file', counted) };
}

const because = (where: string, counted: string) => (counted ? `${where}, ${counted}` : where);

function scriptStyle(path: string): ScriptStyle {
  if (/(^|\/)__tests__\//.test(path)) return '__tests__';
  if (/^(test|tests|spec)\//.test(path)) return 'folder';
  return 'sibling';
}

/** `tests/test_x.py` unless the project keeps its tests beside the code or names them `x_test.py`. */
function pythonPath(source: string, paths: readonly string[]): Omit<Placement, 'mode'> {
  const tests = paths.filter((path) => languageOf(path) === 'python' && subjectStem(path));
  const inFolder = tests.filter((path) => /^tests?\//.test(path));
  const suffixed = tests.filter((path) => path.endsWith('_test.py')).length;
  const name = suffixed * 2 > tests.length ? `${stemOf(source)}_test.py` : `test_${stemOf(source)}.py`;
  if (tests.length > 0 && inFolder.length * 2 < tests.length)
    return { path: joinPath(dirName(source), name), reason: "beside the file, as the project's tests are" };
  const folder = inFolder[0]?.split('/')[0] ?? 'tests';
  return { path: joinPath(folder, name), reason: `in ${folder}/` };
}
