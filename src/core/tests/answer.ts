/**
 * The test code in the model's answer: its fenced code blocks in the test's language (or
 * untagged), else the whole answer when it is bare code. An answer with no test in it
 * (prose, an apology, code without a single test) is refused with a message for the user.
 */
import { FENCE_TAGS, FRAMEWORK_NAMES, type Framework, type Language } from './frameworks';

export type TestCode = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly message: string };

const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm;

const TAGS: Record<Language, readonly string[]> = {
  typescript: ['ts', 'typescript', 'tsx', 'js', 'javascript'],
  javascript: ['js', 'javascript', 'jsx', 'mjs', 'cjs', 'ts', 'typescript'],
  python: ['py', 'python', 'python3'],
  go: ['go', 'golang'],
  java: ['java'],
  rust: ['rs', 'rust'],
};

/** What every test of the framework has. */
const TEST_MARKS: Record<Framework, RegExp> = {
  vitest: /\b(it|test|describe)(\.\w+)*\s*\(/,
  jest: /\b(it|test|describe)(\.\w+)*\s*\(/,
  mocha: /\b(it|describe|context|specify)(\.\w+)*\s*\(/,
  'node:test': /\b(it|test|describe|suite)(\.\w+)*\s*\(/,
  pytest: /^\s*(async\s+)?def\s+test\w*\s*\(|^class\s+Test/m,
  unittest: /^class\s+\w+\s*\([^)]*TestCase/m,
  go: /func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)/,
  junit5: /@Test\b/,
  cargo: /#\[test\]/,
};

export function extractTestCode(answer: string, language: Language, framework: Framework): TestCode {
  const blocks = [...answer.matchAll(FENCE)]
    .filter((match) => !match[3] || TAGS[language].includes(match[3].toLowerCase()))
    .map((match) => stripIndent(match[4], match[1]).replace(/\s+$/, ''));
  const code = blocks.length ? blocks.join('\n\n') : bareCode(answer, framework);
  const name = FRAMEWORK_NAMES[framework];
  if (code === undefined || !code.trim())
    return {
      ok: false,
      message:
        `The model's answer holds no ${FENCE_TAGS[language]} code block, so no tests were ` +
        `proposed. Try again, or ask in the chat.`,
    };
  if (!TEST_MARKS[framework].test(code))
    return {
      ok: false,
      message: `The model's code has no ${name} test in it, so nothing was proposed. Try again, or ask in the chat.`,
    };
  return { ok: true, code };
}

/** An unfenced answer counts only when it is all code: it has a test and no line of plain prose before it. */
function bareCode(answer: string, framework: Framework): string | undefined {
  if (answer.includes('```') || !TEST_MARKS[framework].test(answer)) return undefined;
  const first = answer.trim().split('\n')[0] ?? '';
  return /^[A-Z][a-z]+( [a-z]+){3,}[^;{}()]*$/.test(first) ? undefined : answer.trim();
}

function stripIndent(text: string, by: string): string {
  if (!by) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith(by) ? line.slice(by.length) : line))
    .join('\n');
}

/** Whether `text` holds at least one test of the framework (a usable style example). */
export function hasTests(framework: Framework, text: string): boolean {
  return TEST_MARKS[framework].test(text);
}
