/**
 * "Generate Tests": the code action and the `qcoder.generateTests` command. The extension
 * decides the framework, the test file and the place (src/core/tests); the chat asks the
 * model for the test code, with the code under test, its file and one existing test as the
 * style example; the tests come back as a proposal in the same review as the agent's edits.
 * Nothing is written until the user accepts; after that the chat runs them with run_command and
 * asks the model once for a fix when they fail (generateTestsVerify.ts).
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../../core/chat/chatEngine';
import type { Mention } from '../../core/context';
import {
  chooseExample,
  type CodeSymbol,
  exampleExcerpt,
  exampleTitle,
  extractTestCode,
  FRAMEWORK_NAMES,
  insertTests,
  planTests,
  refusalFor,
  runCommand,
  testsPrompt,
  type TestPlan,
} from '../../core/tests';
import { DisposableStore } from '../../core/util/lifecycle';
import type { ChatTarget } from '../chatHost';
import type { ReviewFeature } from '../review/register';
import { GENERATE_TESTS_COMMAND, GenerateTestsActions, symbolAt } from './generateTestsActions';
import {
  type Located,
  locateFile,
  openProject,
  type Project,
  readText,
  type TestsAccess,
} from './generateTestsProject';
import { RUN_TESTS_COMMAND, TestRunner, type TestRun } from './generateTestsRun';
import { type AcceptedTests, answerTo, proposeForReview, runAfterAccept, verifyTests } from './generateTestsVerify';

export interface GenerateTestsDeps {
  /** The chat the command works in: the editor tab the user last worked in, else the sidebar. */
  readonly chat: () => ChatTarget;
  readonly review: Pick<ReviewFeature, 'edits' | 'controller'>;
  readonly access: TestsAccess;
  /** How a refusal reaches the user; tests listen. */
  readonly warn?: (message: string) => void;
}

/** The deps of one run of the command: the chat it started in, kept to the end (notes, the test run's fix). */
type InChat = GenerateTestsDeps & { readonly engine: ChatEngine; readonly reveal: ChatTarget['reveal'] };

/** What the command resolves to (tests and the /tests command read it). */
export type GenerateTestsResult =
  | { readonly status: 'proposed'; readonly reviewId: string; readonly testFile: string; readonly command: string }
  | { readonly status: 'refused'; readonly message: string };

interface Subject {
  readonly symbol?: CodeSymbol;
  readonly lines: { readonly start: number; readonly end: number };
  readonly code: string;
}

export function register(deps: GenerateTestsDeps): vscode.Disposable {
  const store = new DisposableStore();
  const runner = store.add(new TestRunner((text) => deps.chat().engine.note(text)));
  const warn = deps.warn ?? ((message: string) => void vscode.window.showWarningMessage(message));
  store.add(
    vscode.languages.registerCodeActionsProvider(
      { scheme: 'file' },
      new GenerateTestsActions(),
      GenerateTestsActions.metadata,
    ),
  );
  store.add(
    vscode.commands.registerCommand(GENERATE_TESTS_COMMAND, async (target?: unknown, symbol?: unknown) => {
      const chat = deps.chat();
      const inChat: InChat = { ...deps, engine: chat.engine, reveal: () => chat.reveal() };
      const result = await generate(inChat, runner, target, symbol).catch((error: unknown): GenerateTestsResult => ({
        status: 'refused',
        message: `QCoder could not generate tests: ${error instanceof Error ? error.message : String(error)}`,
      }));
      if (result.status === 'refused') warn(result.message);
      return result;
    }),
  );
  store.add(vscode.commands.registerCommand(RUN_TESTS_COMMAND, (run?: TestRun) => runner.run(run)));
  return store;
}

const refused = (message: string): GenerateTestsResult => ({ status: 'refused', message });

async function generate(
  deps: InChat,
  runner: TestRunner,
  target: unknown,
  symbolArgument: unknown,
): Promise<GenerateTestsResult> {
  const editor = vscode.window.activeTextEditor;
  const uri = target instanceof vscode.Uri ? target : editor?.document.uri;
  if (!uri) return refused('QCoder: open a file (or choose one in the Explorer) to generate tests for it.');
  if (uri.scheme !== 'file') return refused('QCoder: Generate Tests works on files saved in the workspace.');
  const located = locateFile(uri);
  if (!located) return refused('QCoder: the file is not in a workspace folder.');
  const notTestable = refusalFor(located.display);
  if (notTestable) return refused(`QCoder: ${notTestable}`);
  const sourceText = await readText(uri);
  if (sourceText === undefined) return refused(`QCoder: ${located.display} is a binary file or cannot be read.`);
  const denied = await deps.access(located.root, located.relative, sourceText);
  if (denied) return refused(`QCoder: ${located.display} was not sent to the model: ${denied}.`);
  const project = await openProject(located, deps.access);
  const source = located.relative.slice(project.base ? project.base.length + 1 : 0);
  const planned = await planTests(project, source);
  if (!planned.ok) return refused(`QCoder: ${planned.message}`);
  const subject = await subjectOf(uri, sourceText, symbolArgument);
  if (deps.engine.busy)
    return refused('QCoder is still answering; generate tests when the answer is done (or stop it).');
  const answer = await ask(deps, project, planned.plan, { located, uri, subject });
  if (answer === undefined) return refused('QCoder: the model did not finish an answer, so no tests were proposed.');
  return propose(deps, runner, project, planned.plan, { source, sourceText, answer });
}

/** The symbol the code action named, the selection, the symbol at the cursor, or the whole file. */
async function subjectOf(uri: vscode.Uri, text: string, argument: unknown): Promise<Subject> {
  const lines = text.split('\n');
  const slice = (start: number, end: number) => lines.slice(start - 1, end).join('\n');
  if (isSymbol(argument)) return { symbol: argument, lines: argument, code: slice(argument.start, argument.end) };
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.toString() === uri.toString()) {
    const { selection } = editor;
    if (!selection.isEmpty) {
      const end =
        selection.end.character === 0 && selection.end.line > selection.start.line
          ? selection.end.line
          : selection.end.line + 1;
      const symbol = await symbolAt(editor.document, selection.start.line);
      const start = selection.start.line + 1;
      return { symbol: symbol && { ...symbol, start, end }, lines: { start, end }, code: slice(start, end) };
    }
    const symbol = await symbolAt(editor.document, selection.active.line);
    if (symbol) return { symbol, lines: symbol, code: slice(symbol.start, symbol.end) };
  }
  return { lines: { start: 1, end: lines.length }, code: text };
}

function isSymbol(value: unknown): value is CodeSymbol {
  const symbol = value as CodeSymbol | undefined;
  return (
    typeof symbol?.name === 'string' &&
    typeof symbol.start === 'number' &&
    typeof symbol.end === 'number' &&
    symbol.start <= symbol.end
  );
}

interface Asked {
  readonly located: Located;
  readonly uri: vscode.Uri;
  readonly subject: Subject;
}

/** Sends the request through the chat; resolves to the model's finished answer (its message id and text). */
async function ask(
  deps: InChat,
  project: Project,
  plan: TestPlan,
  asked: Asked,
): Promise<{ readonly messageId: string; readonly text: string } | undefined> {
  const example = await chooseExample(plan, project);
  const exampleDisplay = example && project.display(example.path);
  const text = testsPrompt(
    plan,
    { path: asked.located.display, symbol: asked.subject.symbol, lines: asked.subject.lines, code: asked.subject.code },
    project.display(plan.placement.path),
    exampleDisplay,
  );
  const focus = Array.from(
    { length: asked.subject.lines.end - asked.subject.lines.start + 1 },
    (_, i) => asked.subject.lines.start + i,
  );
  const mentions: Mention[] = [{ kind: 'file', path: asked.uri.fsPath, reason: 'code under test', focus }];
  if (example && exampleDisplay)
    mentions.push({
      kind: 'text',
      id: `tests-example:${exampleDisplay}`,
      title: exampleTitle(exampleDisplay),
      text: exampleExcerpt(example.text),
      reason: 'style example',
    });
  await deps.reveal();
  return answerTo(deps, text, { mentions, activeFile: asked.uri.fsPath });
}

interface Answered {
  readonly source: string;
  readonly sourceText: string;
  readonly answer: { readonly messageId: string; readonly text: string };
}

/** Places the answer's tests and hands the new test file to the review; resolves once the card is shown. */
async function propose(
  deps: InChat,
  runner: TestRunner,
  project: Project,
  plan: TestPlan,
  answered: Answered,
): Promise<GenerateTestsResult> {
  const extracted = extractTestCode(answered.answer.text, plan.language, plan.detection.framework);
  if (!extracted.ok) {
    deps.engine.note(extracted.message);
    return refused(`QCoder: ${extracted.message}`);
  }
  const testPath = plan.placement.path;
  const existing = await readText(vscode.Uri.file(project.absolute(testPath)));
  const content = insertTests({
    language: plan.language,
    existing,
    code: extracted.code,
    sourceText: answered.sourceText,
    testPath,
  });
  const display = project.display(testPath);
  const run = runCommand({ detection: plan.detection, testPath, code: extracted.code, paths: project.paths });
  const review = await proposeForReview(deps, display, content, answered.answer.messageId);
  if (review.status === 'refused') {
    deps.engine.note(`No tests were proposed: ${review.message}`);
    return refused(`QCoder: ${review.message}`);
  }
  const testRun: TestRun = {
    command: run.command,
    cwd: project.absolute(''),
    label: `${FRAMEWORK_NAMES[plan.detection.framework]}: ${run.names.join(', ') || display}`,
  };
  const accepted: AcceptedTests = {
    project,
    plan,
    testPath,
    display,
    existing,
    sourceText: answered.sourceText,
    code: extracted.code,
    command: run.command,
  };
  void review.kept
    .then((kept) => {
      if (!kept) return undefined;
      // Verified in the chat with run_command; the setting off, the chat offers "Run these tests".
      return runAfterAccept() ? verifyTests(deps, accepted) : runner.offer(display, testRun);
    })
    .catch((error: unknown) =>
      deps.engine.note(
        `The generated tests could not be run: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  return { status: 'proposed', reviewId: review.reviewId, testFile: project.absolute(testPath), command: run.command };
}
