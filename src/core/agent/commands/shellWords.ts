/**
 * What a word of a parsed shell line stands for: its value when the text alone decides it (quotes
 * and backslashes removed the way the shell removes them), or why only run time can tell.
 */
import type { SyntaxNode } from './shellParser';

export interface ShellWord {
  /** The word as written, for messages. */
  readonly text: string;
  /** The value the shell gives the word, when the text alone decides it. */
  readonly value?: string;
  /** Why the value is only known at run time (a variable, a command's output, …). */
  readonly dynamic?: string;
  /** An unquoted `*`, `?` or `[` the shell may expand into file names. */
  readonly glob?: boolean;
}

export const staticWord = (value: string): ShellWord => ({ text: quoteWord(value), value });
export const runtimeWord = (text: string, dynamic: string): ShellWord => ({ text, dynamic });

const PLAIN_WORD = /^[A-Za-z0-9_\-.,/:@%+=~^]+$/;

/** `value` written so that the shell (and the rule reader) reads it back as one word. */
export function quoteWord(value: string): string {
  if (PLAIN_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** An unquoted word: a backslash keeps the next character, a backslash-newline disappears. */
function unquoted(text: string): { value: string; glob: boolean } {
  let value = '';
  let glob = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++;
      if (i < text.length && text[i] !== '\n') value += text[i];
      continue;
    }
    if (char === '*' || char === '?' || char === '[') glob = true;
    value += char;
  }
  return { value, glob };
}

/** `r{m,}` is `rm r` and `{/,x}` is `/ x` to bash; the grammar reads one plain word. */
function hasBraceExpansion(text: string): boolean {
  return /\{[^{}]*(,|\.\.)[^{}]*\}/.test(text.replace(/\\[^]/g, '_'));
}

/** Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and newline. */
function doubleQuoted(inner: string): string {
  return inner.replace(/\\([$`"\\\n])/g, (_match, char: string) => (char === '\n' ? '' : char));
}

const EXPANSION_TYPES = new Set(['simple_expansion', 'expansion']);

function whyDynamic(node: SyntaxNode): string {
  if (EXPANSION_TYPES.has(node.type)) return `it expands ${node.text} when it runs`;
  if (node.type === 'command_substitution') return `it uses the output of ${node.text}`;
  if (node.type === 'process_substitution') return `it stands for the output of ${node.text}`;
  if (node.type === 'ansi_c_string') return `it uses $'…' quoting, which decodes escapes when it runs`;
  if (node.type === 'brace_expression') return `the shell expands the braces in ${node.text}`;
  return `it uses shell syntax the checker does not read (${node.type.replace(/_/g, ' ')})`;
}

function stringWord(node: SyntaxNode): ShellWord {
  const parts = node.namedChildren.filter((child) => child !== null);
  const computed = parts.find((child) => child.type !== 'string_content');
  if (computed) return runtimeWord(node.text, whyDynamic(computed));
  return { text: node.text, value: doubleQuoted(node.text.slice(1, -1)) };
}

function concatenation(node: SyntaxNode): ShellWord {
  // Only unquoted parts expand braces: `"{a,b}"` is itself.
  const unquotedText = node.namedChildren.map((child) => (child?.type === 'word' ? child.text : '_')).join('');
  if (hasBraceExpansion(unquotedText)) return runtimeWord(node.text, `the shell expands the braces in ${node.text}`);
  let value = '';
  let glob = false;
  for (const child of node.namedChildren) {
    if (!child) continue;
    const part = shellWord(child);
    if (part.value === undefined) return runtimeWord(node.text, part.dynamic ?? whyDynamic(child));
    value += part.value;
    glob ||= part.glob === true;
  }
  return glob ? { text: node.text, value, glob } : { text: node.text, value };
}

/** The word a syntax node stands for. */
export function shellWord(node: SyntaxNode): ShellWord {
  switch (node.type) {
    case 'command_name': {
      const inner = node.namedChild(0);
      return inner ? shellWord(inner) : runtimeWord(node.text, whyDynamic(node));
    }
    case 'word': {
      if (hasBraceExpansion(node.text)) return runtimeWord(node.text, `the shell expands the braces in ${node.text}`);
      const { value, glob } = unquoted(node.text);
      return glob ? { text: node.text, value, glob } : { text: node.text, value };
    }
    case 'number':
      return { text: node.text, value: node.text };
    case 'raw_string':
      return { text: node.text, value: node.text.slice(1, -1) };
    case 'string':
      return stringWord(node);
    case 'concatenation':
      return concatenation(node);
    default:
      return runtimeWord(node.text, whyDynamic(node));
  }
}

/** The program's own name without its folder: `/usr/bin/git` → `git`. */
export function programName(word: ShellWord): string | undefined {
  if (word.value === undefined) return undefined;
  const slash = word.value.lastIndexOf('/');
  return slash < 0 ? word.value : word.value.slice(slash + 1);
}

/** The words as one line for messages, each as written when known only at run time. */
export function wordsText(words: readonly ShellWord[]): string {
  return words.map((word) => (word.value === undefined ? word.text : quoteWord(word.value))).join(' ');
}
