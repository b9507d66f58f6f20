/**
 * The bash grammar (tree-sitter-bash, compiled to WebAssembly by VS Code's own
 * `@vscode/tree-sitter-wasm`), loaded once on first use and never at activation. The build copies
 * the two .wasm files beside the bundles in `dist/`; from a source checkout the package serves them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node } from '@vscode/tree-sitter-wasm';

export type { Parser as BashParser } from '@vscode/tree-sitter-wasm';

export type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';

export const PARSER_WASM = 'tree-sitter.wasm';
export const BASH_WASM = 'tree-sitter-bash.wasm';
const PACKAGE_WASM = join('node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');

/** Folders that may hold the two .wasm files, nearest first, looking upwards from `fromDir`. */
export function grammarCandidates(fromDir: string): string[] {
  const found: string[] = [];
  for (let dir = fromDir, depth = 0; depth < 6; depth++) {
    found.push(dir, join(dir, 'dist'), join(dir, PACKAGE_WASM));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}

export function findGrammarFolder(candidates: readonly string[]): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, PARSER_WASM)) && existsSync(join(dir, BASH_WASM)));
}

let loading: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  // In the bundle `__dirname` is dist/; under tsx it is this source folder.
  const folder = findGrammarFolder(grammarCandidates(__dirname));
  if (!folder) throw new Error(`the shell grammar (${BASH_WASM}) is missing from the installation`);
  await Parser.init({ locateFile: (file: string) => join(folder, file) });
  const parser = new Parser();
  parser.setLanguage(await Language.load(join(folder, BASH_WASM)));
  return parser;
}

/** The one parser, created on the first call; a failed load is retried on the next call. */
export function bashParser(): Promise<Parser> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Calls `use` with the root of `text`'s syntax tree (undefined when the parser gives none), then frees
 * the tree: it lives in WebAssembly memory that JavaScript's collector does not see.
 */
export function withSyntaxTree<T>(parser: Parser, text: string, use: (root: Node | undefined) => T): T {
  const tree = parser.parse(text);
  try {
    return use(tree?.rootNode);
  } finally {
    tree?.delete();
  }
}
