/** The chat message Generate Tests sends: the code under test, where the tests go, and how to answer. */
import { FENCE_TAGS, FRAMEWORK_NAMES } from './frameworks';
import type { TestPlan } from './plan';

export interface Subject {
  /** The display path of the file under test. */
  readonly path: string;
  /** A function, method or class; undefined for the whole file. */
  readonly symbol?: { readonly name: string; readonly kind: string };
  /** 1-based, inclusive. */
  readonly lines: { readonly start: number; readonly end: number };
  readonly code: string;
}

/** The style example as the model sees it (pinned in the context under this title). */
export function exampleTitle(path: string): string {
  return `style example: ${path}`;
}

export function testsPrompt(plan: TestPlan, subject: Subject, testDisplay: string, example?: string): string {
  const framework = FRAMEWORK_NAMES[plan.detection.framework];
  const tag = FENCE_TAGS[plan.language];
  const what = subject.symbol ? `the ${subject.symbol.kind} \`${subject.symbol.name}\` in` : 'the file';
  const fence = '`'.repeat(Math.max(3, longestRun(subject.code) + 1));
  return [
    `${opening(framework)} for ${what} \`${subject.path}\` (lines ${subject.lines.start}-${subject.lines.end}):`,
    '',
    `${fence}${tag}`,
    subject.code,
    fence,
    '',
    `The project uses ${framework} (${plan.detection.evidence}). ${where(plan, testDisplay)}`,
    example
      ? `Follow the style of the project's existing test \`${example}\` (pinned in the context ` +
        `as "${exampleTitle(example)}").`
      : "The project has no tests yet: use the framework's usual style.",
    ...answerRules(plan, tag),
  ].join('\n');
}

/** "Write Vitest tests", but "Write tests (go test)" where the name is a command. */
function opening(framework: string): string {
  return / test$/.test(framework) ? `Write tests (${framework})` : `Write ${framework} tests`;
}

function where(plan: TestPlan, testDisplay: string): string {
  const { placement } = plan;
  const reason = placement.reason ? ` (${placement.reason})` : '';
  if (placement.mode === 'inline')
    return `The tests go into the \`#[cfg(test)] mod tests\` module of \`${testDisplay}\`.`;
  if (placement.mode === 'append') return `They are appended to the existing test file \`${testDisplay}\`${reason}.`;
  return `They go in a new file \`${testDisplay}\`${reason}.`;
}

function answerRules(plan: TestPlan, tag: string): string[] {
  const rules = [
    '',
    `Answer with exactly one fenced \`\`\`${tag} block holding only the new code: the imports it needs and the tests.`,
    'Do not repeat the code under test or tests the file already has. Do not call tools or edit files: QCoder ' +
      'puts the tests in place and shows them for review.',
  ];
  if (plan.importSpecifier) rules.push(`Import the code under test from '${plan.importSpecifier}'.`);
  if (plan.language === 'java') rules.push('Write one test class with its imports; QCoder names and packages it.');
  if (plan.language === 'rust')
    rules.push('Write the #[test] functions and their `use` lines; QCoder puts them in the module.');
  if (plan.language === 'go')
    rules.push('Write the test functions and their imports; QCoder keeps the package clause.');
  return rules;
}

export function longestRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** The first `maxLines` lines of a style example, marked when cut. */
export function exampleExcerpt(text: string, maxLines = 120): string {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return text;
  return `${lines.slice(0, maxLines).join('\n')}\n… (${lines.length - maxLines} more lines not shown)`;
}
