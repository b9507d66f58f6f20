/**
 * Whether a shell line would end the shell that runs it: `exit`, `logout`, `exec` (the shell is
 * replaced, and ends with the program), `set -e` / `set -o errexit` (the next failure ends it), or
 * `eval`, `source` and `.` (whose text may do any of these),
 * anywhere the top shell runs them itself — not in a subshell, a pipeline stage or a substitution,
 * which are child shells. In a VS Code terminal such a line cannot report its end: the shell never
 * prints the end-of-command sequence, and when it exits non-zero soon after launch VS Code relaunches
 * the terminal without shell integration instead of closing it (microsoft/vscode#155538), so there is
 * no end event, no close and no exit status. The terminal host runs these lines as a child process,
 * where the shell's exit status is the line's.
 */
import { bashParser, type SyntaxNode, withSyntaxTree } from './shellParser';

/** Nodes whose commands run in a child shell: an `exit` there ends only that child. */
const CHILD_SHELLS = new Set(['subshell', 'pipeline', 'command_substitution', 'process_substitution']);
/** `eval`, `source` and `.` run text in the top shell that the parse does not see into. */
const ENDS_SHELL = new Set(['exit', 'logout', 'exec', 'eval', 'source', '.']);

export async function endsTheShell(line: string): Promise<boolean> {
  let parser;
  try {
    parser = await bashParser();
  } catch {
    // No grammar: a word match errs towards the child process, which reports every exit.
    return /\b(exit|logout|exec|set|eval|source)\b|(^|[;&|]\s*)\.\s/.test(line);
  }
  return withSyntaxTree(parser, line, (root) => (root ? topShellEnds(root) : true));
}

function topShellEnds(node: SyntaxNode): boolean {
  if (CHILD_SHELLS.has(node.type)) return false;
  if (node.type === 'command' && commandEndsShell(node)) return true;
  return node.namedChildren.some((child) => child !== null && topShellEnds(child));
}

function commandEndsShell(command: SyntaxNode): boolean {
  const words = command.namedChildren
    .filter((child) => child !== null && child.type !== 'variable_assignment' && child.type !== 'file_redirect')
    .map((child) => child!.text);
  const [name, ...args] = words;
  if (name === undefined) return false;
  if (ENDS_SHELL.has(name)) return true;
  return (
    name === 'set' && args.some((arg, i) => /^-[a-zA-Z]*e/.test(arg) || (arg === '-o' && args[i + 1] === 'errexit'))
  );
}
