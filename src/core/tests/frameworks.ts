/**
 * The test frameworks Generate Tests knows, the languages they test, and what marks a path
 * as test code (never a target for generated tests).
 */

export type Language = 'typescript' | 'javascript' | 'python' | 'go' | 'java' | 'rust';

export type Framework = 'vitest' | 'jest' | 'mocha' | 'node:test' | 'pytest' | 'unittest' | 'go' | 'junit5' | 'cargo';

/** The names a person knows them by. */
export const FRAMEWORK_NAMES: Record<Framework, string> = {
  vitest: 'Vitest',
  jest: 'Jest',
  mocha: 'Mocha',
  'node:test': 'node:test',
  pytest: 'pytest',
  unittest: 'unittest',
  go: 'go test',
  junit5: 'JUnit 5',
  cargo: 'cargo test',
};

const EXTENSIONS: Record<string, Language> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  go: 'go',
  java: 'java',
  rs: 'rust',
};

/** The fence tag the model is asked to use. */
export const FENCE_TAGS: Record<Language, string> = {
  typescript: 'ts',
  javascript: 'js',
  python: 'python',
  go: 'go',
  java: 'java',
  rust: 'rust',
};

export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function languageOf(path: string): Language | undefined {
  return EXTENSIONS[extensionOf(path)];
}

/** TypeScript and JavaScript test each other's files. */
export function isScript(language: Language | undefined): language is 'typescript' | 'javascript' {
  return language === 'typescript' || language === 'javascript';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** The file name without its extension and without a `.test` / `.spec` marker. */
export function stemOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return stem.replace(/\.(test|spec)$/, '');
}

const SCRIPT_TEST = /\.(test|spec)\.[cm]?[jt]sx?$/;
const TEST_FOLDERS = /(^|\/)(__tests__|__mocks__|test|tests|spec)\//;

/** Whether `path` (project-relative, POSIX) is test code: Generate Tests is not offered there. */
export function isTestFile(path: string): boolean {
  const language = languageOf(path);
  const name = baseName(path);
  switch (language) {
    case 'typescript':
    case 'javascript':
      return SCRIPT_TEST.test(name) || TEST_FOLDERS.test(path);
    case 'python':
      return /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(name) || /(^|\/)tests?\//.test(path);
    case 'go':
      return name.endsWith('_test.go');
    case 'java':
      return /(^|\/)src\/test\//.test(path) || /(Test|Tests|IT)\.java$/.test(name);
    case 'rust':
      return /(^|\/)(tests|benches)\//.test(path);
    default:
      return false;
  }
}

/** Files whose presence makes a folder a project root, nearest first wins. */
export const PROJECT_MARKERS = [
  'package.json',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'pytest.ini',
  'tox.ini',
  'go.mod',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'Cargo.toml',
];

/** The deepest folder above `path` holding a project marker ('' for the top), from a list of paths. */
export function projectRootOf(path: string, paths: readonly string[]): string {
  const all = new Set(paths);
  for (let dir = dirName(path); ; dir = dirName(dir)) {
    if (PROJECT_MARKERS.some((marker) => all.has(joinPath(dir, marker)))) return dir;
    if (dir === '') return '';
  }
}
