/**
 * Everything Generate Tests decides before the model is asked: the language, the framework
 * (and why), the test file and how it is written (append, create, inline), how the test
 * imports the code under test, and which existing tests may serve as the style example.
 */
import { hasTests } from './answer';
import { detectFramework, type Detection, type ProjectFiles } from './detect';
import { dirName, isScript, isTestFile, type Language, languageOf } from './frameworks';
import { placeTests, type Placement } from './placement';

export interface TestPlan {
  readonly language: Language;
  readonly detection: Detection;
  readonly placement: Placement;
  /** For scripts: the specifier the test imports the code under test by (`./math`, `../math`). */
  readonly importSpecifier?: string;
  /** Existing test files to take the style example from, best first (the caller reads them). */
  readonly exampleCandidates: readonly string[];
}

export type PlanResult =
  { readonly ok: true; readonly plan: TestPlan } | { readonly ok: false; readonly message: string };

const MAX_EXAMPLES = 20;

/** Why `path` cannot get generated tests, or undefined when it can. */
export function refusalFor(path: string): string | undefined {
  const language = languageOf(path);
  if (!language)
    return `${path} is not a TypeScript, JavaScript, Python, Go, Java or Rust file; Generate Tests works on those.`;
  if (isTestFile(path)) return `${path} is a test file; Generate Tests writes tests for the code under test.`;
  return undefined;
}

export async function planTests(project: ProjectFiles, source: string): Promise<PlanResult> {
  const refused = refusalFor(source);
  if (refused) return { ok: false, message: refused };
  const language = languageOf(source)!;
  const detection = await detectFramework(project, language);
  const placement = placeTests(source, detection.framework, project.paths);
  return {
    ok: true,
    plan: {
      language,
      detection,
      placement,
      importSpecifier: isScript(language)
        ? relativeSpecifier(placement.path, source, await keepsExtension(project, source))
        : undefined,
      exampleCandidates: exampleCandidates(source, placement, project.paths),
    },
  };
}

/** `import … from '<this>'` in the test file for the source file, without its extension. */
export function relativeSpecifier(from: string, to: string, withExtension = false): string {
  const fromParts = dirName(from).split('/').filter(Boolean);
  const toParts = (withExtension ? to : to.replace(/\.[cm]?[jt]sx?$/, '')).split('/');
  let shared = 0;
  while (shared < fromParts.length && shared < toParts.length - 1 && fromParts[shared] === toParts[shared]) shared++;
  const up = fromParts.length - shared;
  const rest = toParts.slice(shared).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

function exampleCandidates(source: string, placement: Placement, paths: readonly string[]): string[] {
  const language = languageOf(source);
  const sameFamily = (path: string) => {
    const other = languageOf(path);
    return other === language || (isScript(other) && isScript(language));
  };
  // Rust keeps its unit tests inside the code: any .rs file may hold one.
  const tests = paths.filter((path) => sameFamily(path) && (language === 'rust' || isTestFile(path)));
  const home = dirName(placement.path);
  const score = (path: string) => {
    if (path === placement.path) return 10_000;
    const dir = dirName(path);
    if (dir === home) return 5_000;
    let shared = 0;
    const left = dir.split('/');
    const right = home.split('/');
    while (shared < left.length && left[shared] === right[shared]) shared++;
    return shared;
  };
  const target = placement.mode === 'create' ? [] : [placement.path];
  const ranked = tests
    .filter((path) => path !== placement.path)
    .sort((a, b) => score(b) - score(a) || a.localeCompare(b));
  return [...target, ...ranked].slice(0, MAX_EXAMPLES);
}

/** Node's ES modules need the file extension in a relative import (`./clamp.js`). */
async function keepsExtension(project: ProjectFiles, source: string): Promise<boolean> {
  if (/\.m[jt]s$/.test(source)) return true;
  if (!/\.js$/.test(source)) return false;
  return /"type"\s*:\s*"module"/.test((await project.read('package.json')) ?? '');
}

/** The first candidate that holds a test of the framework, with its text. */
export async function chooseExample(
  plan: TestPlan,
  project: ProjectFiles,
): Promise<{ readonly path: string; readonly text: string } | undefined> {
  for (const path of plan.exampleCandidates) {
    const text = await project.read(path);
    if (text !== undefined && hasTests(plan.detection.framework, text)) return { path, text };
  }
  return undefined;
}
