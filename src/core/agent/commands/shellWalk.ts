/**
 * Walks the syntax tree of a shell line and collects every program it would run (in chains, pipes,
 * subshells, substitutions, here-documents, wrapped strings), every file it would write, and every
 * construct that needs a person. It judges nothing against the rules: `approval.ts` does.
 */
import { type BashParser, type SyntaxNode, withSyntaxTree } from './shellParser';
import { type ShellWord, programName, shellWord } from './shellWords';
import { unwrap } from './wrappers';

export interface FoundCommand {
  readonly words: readonly ShellWord[];
  /** Wrappers and shells it runs under, outermost first (`bash -c`, `xargs`, …). */
  readonly via: readonly string[];
  /** Its standard input comes from a pipe, a here-document, a here-string or a file. */
  readonly fedInput: boolean;
  /** Programs earlier in the same pipeline. */
  readonly upstream: readonly string[];
}

export interface LineFacts {
  readonly commands: FoundCommand[];
  /** Files written by redirections or by a wrapper's option. */
  readonly writes: ShellWord[];
  /** Why the line needs a person regardless of the rules. */
  readonly asks: string[];
}

interface Context {
  readonly fed: boolean;
  readonly upstream: readonly string[];
  readonly via: readonly string[];
}

const MAX_NESTING = 6;
const SEQUENCES = new Set(['program', 'list', 'subshell', 'compound_statement', 'negated_command']);
const SUBSTITUTIONS = new Set(['command_substitution', 'process_substitution']);
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);
const WRITE_OPERATORS = new Set(['>', '>>', '&>', '&>>', '>|']);
const CONSTRUCTS: Readonly<Record<string, string>> = {
  function_definition: 'it defines a shell function',
  if_statement: 'it has an if statement',
  while_statement: 'it has a loop',
  for_statement: 'it has a loop',
  c_style_for_statement: 'it has a loop',
  case_statement: 'it has a case statement',
  declaration_command: 'it sets shell variables (export, declare, local, readonly)',
  unset_command: 'it unsets shell variables or functions',
  test_command: 'it has a test ([ … ] or [[ … ]])',
  ERROR: 'part of it is not valid shell syntax',
};

const named = (node: SyntaxNode): SyntaxNode[] => node.namedChildren.filter((child) => child !== null);
const all = (node: SyntaxNode): SyntaxNode[] => node.children.filter((child) => child !== null);

class Walker {
  constructor(
    private readonly parser: BashParser,
    private readonly facts: LineFacts,
    private readonly depth: number,
  ) {}

  line(text: string, context: Context): void {
    withSyntaxTree(this.parser, text, (root) => {
      if (!root) return void this.facts.asks.push('the shell parser could not read it');
      if (root.hasError) this.facts.asks.push('it is not complete, valid shell syntax');
      if (hasUnreadSubstitution(root)) {
        this.facts.asks.push('it has a command substitution ($(…) or backticks) where the parser could not read it');
      }
      this.statement(root, context);
    });
  }

  private statement(node: SyntaxNode, context: Context): void {
    if (SEQUENCES.has(node.type)) return this.sequence(node, context);
    switch (node.type) {
      case 'pipeline':
        return this.pipeline(node, context);
      case 'redirected_statement':
        return this.redirected(node, context);
      case 'command':
        return this.command(node, context);
      case 'comment':
        return void this.facts.asks.push('it has a comment (#), which can hide part of the line from a reader');
      case 'variable_assignment':
      case 'variable_assignments':
        this.facts.asks.push(`it sets the shell variable ${node.text.split('=')[0]}`);
        return this.substitutions(node, context);
      case 'file_redirect':
      case 'heredoc_redirect':
      case 'herestring_redirect':
        return void this.redirect(node, context);
      default:
        this.facts.asks.push(
          CONSTRUCTS[node.type] ?? `it uses shell syntax the checker does not judge (${node.type.replace(/_/g, ' ')})`,
        );
        for (const child of named(node)) this.statement(child, context);
    }
  }

  private sequence(node: SyntaxNode, context: Context): void {
    // bash runs `{}` as a command of that name; the grammar reads an empty block.
    if (node.type === 'compound_statement' && !named(node).length) this.facts.asks.push('it has an empty { } block');
    for (const child of all(node)) {
      if (child.isNamed) this.statement(child, context);
      else if (child.type === '&')
        this.facts.asks.push('it runs a command in the background (&), where it may outlive the tool');
    }
  }

  private pipeline(node: SyntaxNode, context: Context): void {
    const upstream = [...context.upstream];
    named(node).forEach((stage, index) => {
      this.statement(stage, { ...context, fed: context.fed || index > 0, upstream: [...upstream] });
      upstream.push(stageName(stage) ?? stage.text);
    });
  }

  private redirected(node: SyntaxNode, context: Context): void {
    const body = node.childForFieldName('body');
    const redirects = named(node).filter((child) => !body || !child.equals(body));
    if (body) this.statement(body, { ...context, fed: context.fed || redirects.some(feedsInput) });
    for (const child of redirects) this.redirect(child, context);
  }

  private command(node: SyntaxNode, context: Context): void {
    const words: ShellWord[] = [];
    let fed = context.fed;
    for (const child of named(node)) {
      if (child.type.endsWith('_redirect')) {
        if (this.redirect(child, context)) fed = true;
      } else if (child.type === 'variable_assignment') {
        const name = child.childForFieldName('name')?.text ?? child.text;
        this.facts.asks.push(`it sets the environment variable ${name} for the command`);
        this.substitutions(child, context);
      } else {
        words.push(shellWord(child));
        this.substitutions(child, context);
      }
    }
    const unwrapped = unwrap(words);
    this.facts.asks.push(...unwrapped.asks);
    this.facts.writes.push(...unwrapped.writes);
    for (const inner of unwrapped.commands) {
      this.facts.commands.push({
        words: inner.words,
        via: [...context.via, ...inner.via],
        fedInput: fed,
        upstream: context.upstream,
      });
    }
    for (const script of unwrapped.scripts) {
      if (script.word.value === undefined) {
        this.facts.asks.push(`\`${script.via.at(-1)}\` runs text that is only known at run time (${script.word.text})`);
      } else if (this.depth >= MAX_NESTING) {
        this.facts.asks.push('it nests shells deeper than the checker follows');
      } else {
        const nested = new Walker(this.parser, this.facts, this.depth + 1);
        nested.line(script.word.value, { fed, upstream: context.upstream, via: [...context.via, ...script.via] });
      }
    }
  }

  /** Records what a redirection reads or writes; true when it feeds the command's standard input. */
  private redirect(node: SyntaxNode, context: Context): boolean {
    if (node.type === 'herestring_redirect') {
      this.substitutions(node, context);
      return true;
    }
    if (node.type === 'heredoc_redirect') {
      for (const child of named(node)) {
        if (child.type === 'heredoc_body') this.substitutions(child, context);
        else if (child.type.endsWith('_redirect')) this.redirect(child, context);
        else if (!child.type.startsWith('heredoc_')) this.statement(child, { ...context, fed: true });
      }
      return true;
    }
    if (node.type !== 'file_redirect') {
      this.facts.asks.push(`it uses a redirection the checker does not judge (${node.text})`);
      return false;
    }
    const operator = all(node).find((child) => !child.isNamed)?.type ?? '';
    const targets = named(node).filter((child) => child.type !== 'file_descriptor');
    for (const target of targets) this.substitutions(target, context);
    const target = targets[0];
    if (operator === '<') return true;
    const duplicates = operator === '>&' && target !== undefined && /^(\d+|-)$/.test(target.text);
    if (target && (WRITE_OPERATORS.has(operator) || (operator === '>&' && !duplicates))) {
      const word = shellWord(target);
      if (word.value === undefined || !HARMLESS_TARGETS.has(word.value)) this.facts.writes.push(word);
    }
    return false;
  }

  /** Judges the commands inside `$(…)`, backticks and `<(…)` at or under `node`. */
  private substitutions(node: SyntaxNode, context: Context): void {
    if (SUBSTITUTIONS.has(node.type)) {
      for (const inner of named(node)) this.statement(inner, { fed: false, upstream: [], via: context.via });
      return;
    }
    const secret = secretVariable(node);
    if (secret) this.facts.asks.push(`it reads the secret variable ${secret}, which would show or send its value`);
    for (const child of named(node)) this.substitutions(child, context);
  }
}

/**
 * A variable named like a credential (`$OPENAI_API_KEY`, `${GITHUB_TOKEN}`): `echo *` or `curl *` on the
 * allow list must not let an injected line print or post it unasked.
 */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|PRIVATE/i;

function secretVariable(node: SyntaxNode): string | undefined {
  if (node.type !== 'simple_expansion' && node.type !== 'expansion') return undefined;
  const name = node.namedChildren.find((child) => child?.type === 'variable_name')?.text;
  return name && SECRET_NAME.test(name) ? name : undefined;
}

/** Leaves whose text the shell still expands: a `$(` or backtick left in one is a substitution the grammar missed. */
const EXPANDED_LEAVES = new Set(['word', 'string_content', 'heredoc_content', 'heredoc_body', 'extglob_pattern']);

/**
 * tree-sitter-bash misses some substitutions (backticks in a here-document or inside `${x:-…}`); the
 * shell would still run them, so a leaf that still holds `$(`, `<(`, `>(` or a backtick asks.
 */
function hasUnreadSubstitution(node: SyntaxNode): boolean {
  if (node.type === 'heredoc_redirect' && /['"\\]/.test(node.namedChild(0)?.text ?? '')) return false;
  if (EXPANDED_LEAVES.has(node.type) && node.namedChildCount === 0 && /`|\$\(|[<>]\(/.test(node.text)) return true;
  return named(node).some(hasUnreadSubstitution);
}

/** A here-document, a here-string or `< file`: the command reads it as its standard input. */
function feedsInput(redirect: SyntaxNode): boolean {
  if (redirect.type === 'heredoc_redirect' || redirect.type === 'herestring_redirect') return true;
  return redirect.type === 'file_redirect' && all(redirect).some((child) => !child.isNamed && child.type === '<');
}

/** The program a pipeline stage starts, when the stage is a plain (or redirected) command. */
function stageName(stage: SyntaxNode): string | undefined {
  const command = stage.type === 'redirected_statement' ? stage.childForFieldName('body') : stage;
  const name = command?.type === 'command' ? command.childForFieldName('name') : null;
  return name ? programName(shellWord(name)) : undefined;
}

/** Everything the line would run and write, and what about it needs a person. */
export function readShellLine(parser: BashParser, line: string): LineFacts {
  const facts: LineFacts = { commands: [], writes: [], asks: [] };
  new Walker(parser, facts, 0).line(line, { fed: false, upstream: [], via: [] });
  return facts;
}
