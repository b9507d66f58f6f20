/**
 * Which test framework a project uses, read from its config files and its existing tests,
 * with the evidence in words (shown in the chat, so a wrong guess is easy to spot).
 */
import { baseName, type Framework, isScript, isTestFile, type Language, languageOf } from './frameworks';

/** A project as Generate Tests sees it: paths relative to the project root (POSIX), and their text. */
export interface ProjectFiles {
  readonly paths: readonly string[];
  /** Undefined when the file is missing, unreadable or off limits. */
  read(path: string): Promise<string | undefined>;
}

export interface Detection {
  readonly framework: Framework;
  /** Why, e.g. "vitest in devDependencies of package.json". */
  readonly evidence: string;
  /** For JUnit: how the project builds (its run command depends on it). */
  readonly build?: 'maven' | 'gradle';
}

/** How many existing tests are read to learn the framework from their imports. */
const SAMPLED_TESTS = 8;

export async function detectFramework(project: ProjectFiles, language: Language): Promise<Detection> {
  if (isScript(language)) return detectScript(project);
  switch (language) {
    case 'python':
      return detectPython(project);
    case 'go':
      return { framework: 'go', evidence: evidenceOf(project, 'go.mod', 'Go uses go test') };
    case 'java':
      return detectJava(project);
    case 'rust':
      return { framework: 'cargo', evidence: evidenceOf(project, 'Cargo.toml', 'Rust uses cargo test') };
  }
}

function evidenceOf(project: ProjectFiles, marker: string, fallback: string): string {
  return project.paths.includes(marker) ? `${marker} at the project root` : fallback;
}

const SCRIPT_CONFIGS: [RegExp, Framework][] = [
  [/^vitest\.(config|workspace)\.[cm]?[jt]s$/, 'vitest'],
  [/^jest\.config\.([cm]?[jt]s|json)$/, 'jest'],
  [/^\.mocharc(\.(js|cjs|json|jsonc|ya?ml))?$/, 'mocha'],
];

const RUNNERS: [RegExp, Framework][] = [
  [/\bvitest\b/, 'vitest'],
  [/\bjest\b/, 'jest'],
  [/\bmocha\b/, 'mocha'],
  [/\bnode\b[^&|;]*\s--test\b/, 'node:test'],
];

interface PackageJson {
  readonly scripts?: Record<string, unknown>;
  readonly dependencies?: Record<string, unknown>;
  readonly devDependencies?: Record<string, unknown>;
  readonly jest?: unknown;
}

async function detectScript(project: ProjectFiles): Promise<Detection> {
  for (const [pattern, framework] of SCRIPT_CONFIGS) {
    const config = project.paths.find((path) => !path.includes('/') && pattern.test(path));
    if (config) return { framework, evidence: `${config} at the project root` };
  }
  const manifest = parsePackage(await project.read('package.json'));
  if (manifest?.jest !== undefined) return { framework: 'jest', evidence: 'a "jest" section in package.json' };
  const script = typeof manifest?.scripts?.test === 'string' ? manifest.scripts.test : '';
  for (const [pattern, framework] of RUNNERS)
    if (pattern.test(script)) return { framework, evidence: `the test script in package.json runs ${framework}` };
  const dependencies = { ...manifest?.dependencies, ...manifest?.devDependencies };
  for (const framework of ['vitest', 'jest', 'mocha'] as const)
    if (framework in dependencies) return { framework, evidence: `${framework} in the dependencies of package.json` };
  const imported = await importedFramework(project);
  if (imported) return imported;
  return { framework: 'node:test', evidence: 'no test framework found; node:test is built into Node' };
}

function parsePackage(text: string | undefined): PackageJson | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

async function importedFramework(project: ProjectFiles): Promise<Detection | undefined> {
  const tests = project.paths.filter((path) => isScript(languageOf(path)) && isTestFile(path));
  for (const path of tests.slice(0, SAMPLED_TESTS)) {
    const text = (await project.read(path)) ?? '';
    if (/from\s+['"]vitest['"]/.test(text)) return { framework: 'vitest', evidence: `${path} imports vitest` };
    if (/from\s+['"]node:test['"]|require\(['"]node:test['"]\)/.test(text))
      return { framework: 'node:test', evidence: `${path} imports node:test` };
    if (/@jest\/globals|\bjest\.(fn|mock|spyOn)\(/.test(text))
      return { framework: 'jest', evidence: `${path} uses jest` };
  }
  return undefined;
}

const PYTEST_CONFIGS: [string, RegExp | undefined][] = [
  ['pytest.ini', undefined],
  ['conftest.py', undefined],
  ['pyproject.toml', /^\[tool\.pytest/m],
  ['setup.cfg', /^\[tool:pytest\]/m],
  ['tox.ini', /^\[pytest\]/m],
];

async function detectPython(project: ProjectFiles): Promise<Detection> {
  for (const [file, section] of PYTEST_CONFIGS) {
    if (!project.paths.includes(file)) continue;
    if (!section) return { framework: 'pytest', evidence: `${file} at the project root` };
    if (section.test((await project.read(file)) ?? ''))
      return { framework: 'pytest', evidence: `pytest settings in ${file}` };
  }
  const tests = project.paths.filter((path) => languageOf(path) === 'python' && isTestFile(path));
  for (const path of tests.slice(0, SAMPLED_TESTS)) {
    const text = (await project.read(path)) ?? '';
    if (/^\s*(import pytest|from pytest )/m.test(text))
      return { framework: 'pytest', evidence: `${path} imports pytest` };
    if (/unittest\.TestCase|^from unittest import/m.test(text))
      return { framework: 'unittest', evidence: `${path} uses unittest` };
    if (/^def test_/m.test(text)) return { framework: 'pytest', evidence: `${path} has pytest-style test functions` };
  }
  for (const file of project.paths.filter((path) => /requirements[\w.-]*\.txt$/.test(baseName(path))))
    if (/^pytest\b/im.test((await project.read(file)) ?? ''))
      return { framework: 'pytest', evidence: `pytest in ${file}` };
  return { framework: 'pytest', evidence: 'no Python test framework found; using pytest' };
}

async function detectJava(project: ProjectFiles): Promise<Detection> {
  const gradle = project.paths.find((path) => path === 'build.gradle' || path === 'build.gradle.kts');
  const build = gradle ? 'gradle' : 'maven';
  const file = gradle ?? (project.paths.includes('pom.xml') ? 'pom.xml' : undefined);
  if (!file) return { framework: 'junit5', evidence: 'no build file found; using JUnit 5 (Maven layout)', build };
  const text = (await project.read(file)) ?? '';
  const jupiter = /junit-jupiter|org\.junit\.jupiter/.test(text);
  return { framework: 'junit5', evidence: jupiter ? `junit-jupiter in ${file}` : `${file} (JUnit 5 assumed)`, build };
}
