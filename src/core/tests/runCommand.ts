/**
 * The shell line that runs just the generated tests with the project's framework, from the
 * project root, and the names it selects. POSIX quoting (the terminal VS Code opens on
 * Linux and macOS; on Windows the line is shown for the user to adapt).
 */
import { dirName, type Framework, extensionOf, stemOf } from './frameworks';
import type { Detection } from './detect';

export interface RunRequest {
  readonly detection: Detection;
  /** The test file, project-relative. */
  readonly testPath: string;
  /** The generated code (only its tests are selected). */
  readonly code: string;
  /** Project-relative paths (wrappers such as `mvnw` are preferred when present). */
  readonly paths: readonly string[];
}

export interface RunCommand {
  readonly command: string;
  /** The test (or suite) names it selects. */
  readonly names: readonly string[];
}

const NAME_PATTERNS: Record<Framework, RegExp> = {
  vitest: /^(?:describe|it|test)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)+)\1/gm,
  jest: /^(?:describe|it|test)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)+)\1/gm,
  mocha: /^(?:describe|it|context|specify)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)+)\1/gm,
  'node:test': /^(?:describe|it|test|suite)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)+)\1/gm,
  pytest: /^()(?:class\s+(Test\w*)|(?:async\s+)?def\s+(test\w*))/gm,
  unittest: /^()class\s+(\w+)\s*\([^)]*TestCase[^)]*\)/gm,
  go: /^()func\s+(Test\w*)\s*\(/gm,
  junit5: /@Test\b[^;{]*?\b()void\s+(\w+)\s*\(/g,
  cargo: /#\[test\][\s\S]*?\b()fn\s+(\w+)/g,
};

/** The names of the top-level tests (or suites) in `code`, in order, without repeats. */
export function testNames(framework: Framework, code: string): string[] {
  const names: string[] = [];
  for (const match of code.matchAll(NAME_PATTERNS[framework])) {
    const name = match[2] ?? match[3];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Single-quoted for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function runCommand(request: RunRequest): RunCommand {
  const { framework } = request.detection;
  const names = testNames(framework, request.code);
  const file = shellQuote(request.testPath);
  const pattern = shellQuote(names.map(escapeRegExp).join('|') || '.');
  const command = commandFor(framework, { ...request, file, pattern, names });
  return { command, names };
}

interface Parts extends RunRequest {
  readonly file: string;
  readonly pattern: string;
  readonly names: readonly string[];
}

function commandFor(framework: Framework, parts: Parts): string {
  switch (framework) {
    case 'vitest':
      return `npx vitest run ${parts.file} -t ${parts.pattern}`;
    case 'jest':
      return `npx jest ${parts.file} -t ${parts.pattern}`;
    case 'mocha':
      return `npx mocha ${parts.file} --grep ${parts.pattern}`;
    case 'node:test': {
      const typescript = /^[cm]?tsx?$/.test(extensionOf(parts.testPath));
      return `node ${typescript ? '--import tsx ' : ''}--test --test-name-pattern=${parts.pattern} ${parts.file}`;
    }
    case 'pytest':
      return `python -m pytest ${parts.file} -k ${shellQuote(parts.names.join(' or ') || 'test')}`;
    case 'unittest': {
      const module = parts.testPath.replace(/\.py$/, '').replace(/\//g, '.');
      return (
        `python -m unittest ` +
        `${(parts.names.length ? parts.names.map((name) => `${module}.${name}`) : [module]).join(' ')}`
      );
    }
    case 'go': {
      const dir = dirName(parts.testPath);
      return `go test ./${dir}${dir ? '' : '.'} -run ${shellQuote(`^(${parts.names.join('|')})$`)}`;
    }
    case 'junit5':
      return javaCommand(parts);
    case 'cargo':
      return (
        `cargo test -- --exact ` +
        `${parts.names.map((name) => shellQuote(`${rustModule(parts.testPath)}tests::${name}`)).join(' ')}`
      );
  }
}

function javaCommand(parts: Parts): string {
  const className = stemOf(parts.testPath);
  const qualified = parts.testPath
    .replace(/^.*?src\/test\/(?:java|kotlin)\//, '')
    .replace(/\.java$/, '')
    .replace(/\//g, '.');
  if (parts.detection.build === 'gradle') {
    const gradle = parts.paths.includes('gradlew') ? './gradlew' : 'gradle';
    const filters = parts.names.length ? parts.names.map((name) => `${qualified}.${name}`) : [qualified];
    return `${gradle} test ${filters.map((filter) => `--tests ${shellQuote(filter)}`).join(' ')}`;
  }
  const maven = parts.paths.includes('mvnw') ? './mvnw' : 'mvn';
  const methods = parts.names.length ? `#${parts.names.join('+')}` : '';
  return `${maven} test ${shellQuote(`-Dtest=${className}${methods}`)}`;
}

/** The module path of a crate file, with a trailing `::` (empty for the crate root). */
function rustModule(path: string): string {
  const inner = path.replace(/^.*?src\//, '').replace(/\.rs$/, '');
  if (inner === 'lib' || inner === 'main') return '';
  return `${inner.replace(/\/mod$/, '').replace(/\//g, '::')}::`;
}
