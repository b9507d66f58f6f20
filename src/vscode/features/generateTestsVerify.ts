/**
 * Generated tests, once accepted, are run in the chat with `run_command` — the agent's own tool, so
 * the user sees the command card and the mode and command rules decide whether it asks. A failure
 * goes back to the model once, with the real output and exit code; its fix is a second reviewable
 * edit, and the tests run again. Each outcome is a line in the chat.
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../../core/chat/chatEngine';
import type { ExtraContext } from '../../core/chat/contextProvider';
import { newId } from '../../core/session/session';
import {
  extractTestCode,
  failedLine,
  fixPrompt,
  insertTests,
  notRunLine,
  passedLine,
  runCommand,
  runOutcome,
  type TestPlan,
  type TestRunOutcome,
  testRunCall,
} from '../../core/tests';
import type { ReviewFeature } from '../review/register';
import type { Project } from './generateTestsProject';

export interface VerifyDeps {
  readonly engine: ChatEngine;
  readonly review: Pick<ReviewFeature, 'edits' | 'controller'>;
}

/** The accepted tests: where they went, what was there before, and the command that runs them. */
export interface AcceptedTests {
  readonly project: Project;
  readonly plan: TestPlan;
  /** Project-relative. */
  readonly testPath: string;
  readonly display: string;
  /** The test file before the tests were added (undefined: it was created). */
  readonly existing: string | undefined;
  readonly sourceText: string;
  readonly code: string;
  readonly command: string;
}

export const runAfterAccept = (): boolean =>
  vscode.workspace.getConfiguration('qcoder').get<boolean>('tests.runAfterAccept', true);

/** Runs the tests, asks once for a fix when they fail, runs the fix; resolves when the chat has the outcome. */
export async function verifyTests(deps: VerifyDeps, accepted: AcceptedTests): Promise<void> {
  const first = await runTests(deps, accepted, accepted.command);
  if (first.kind !== 'failed') return report(deps, accepted.command, first, 1);
  deps.engine.note(failedLine(accepted.command, first.exitCode, false));
  const request = fixPrompt({
    command: accepted.command,
    exitCode: first.exitCode,
    output: first.output,
    testFile: accepted.display,
    language: accepted.plan.language,
    code: accepted.code,
  });
  const answer = await answerTo(deps, request, { mentions: [] });
  if (!answer) return deps.engine.note('The model did not finish a fix, so the tests were left as they are.');
  const extracted = extractTestCode(answer.text, accepted.plan.language, accepted.plan.detection.framework);
  if (!extracted.ok) return deps.engine.note(`No fix was proposed: ${extracted.message}`);
  const content = insertTests({
    language: accepted.plan.language,
    existing: accepted.existing,
    code: extracted.code,
    sourceText: accepted.sourceText,
    testPath: accepted.testPath,
  });
  const review = await proposeForReview(deps, accepted.display, content, answer.messageId);
  if (review.status === 'refused') return deps.engine.note(`No fix was proposed: ${review.message}`);
  if (!(await review.kept)) return deps.engine.note('The fix was not accepted, so the tests were not run again.');
  const command = runCommand({
    detection: accepted.plan.detection,
    testPath: accepted.testPath,
    code: extracted.code,
    paths: accepted.project.paths,
  }).command;
  report(deps, command, await runTests(deps, accepted, command), 2);
}

async function runTests(deps: VerifyDeps, accepted: AcceptedTests, command: string): Promise<TestRunOutcome> {
  const call = testRunCall(newId('run'), command, accepted.project.absolute(''));
  const record = await deps.engine.runOwnCall(`Running the new tests in \`${accepted.display}\`.`, call);
  return runOutcome(record);
}

function report(deps: VerifyDeps, command: string, outcome: TestRunOutcome, attempt: 1 | 2): void {
  if (outcome.kind === 'passed') deps.engine.note(passedLine(command, attempt));
  else if (outcome.kind === 'failed') deps.engine.note(failedLine(command, outcome.exitCode, true));
  else deps.engine.note(notRunLine(command, outcome.reason));
}

/** Sends `text` through the chat; resolves to the model's finished answer (its message id and text). */
export async function answerTo(
  deps: Pick<VerifyDeps, 'engine'>,
  text: string,
  extra: ExtraContext,
): Promise<{ readonly messageId: string; readonly text: string } | undefined> {
  const session = deps.engine.session;
  const before = session.messages.length;
  await deps.engine.send(text, extra);
  const reply = session.messages
    .slice(before)
    .reverse()
    .find((message) => message.role === 'assistant' && !message.note && message.content.trim());
  return reply?.status === 'complete' ? { messageId: reply.id, text: reply.content } : undefined;
}

export type ReviewOutcome =
  | { readonly status: 'shown'; readonly reviewId: string; readonly kept: Promise<boolean> }
  | { readonly status: 'refused'; readonly message: string };

/**
 * Proposes `content` for the file `display` in the review, under
 * the message `messageId`; resolves once the card is shown.
 */
export async function proposeForReview(
  deps: Pick<VerifyDeps, 'review'>,
  display: string,
  content: string,
  messageId: string,
): Promise<ReviewOutcome> {
  const batch = deps.review.edits.begin();
  const controller = new AbortController();
  const proposed = await batch.propose('write_file', { path: display, content }, controller.signal);
  if (!proposed.ok) return { status: 'refused', message: proposed.message };
  deps.review.controller.noteMessage(messageId);
  const shown = nextCard(deps.review.controller, messageId);
  const kept = batch
    .review(controller.signal)
    .then((decisions) => decisions.some((decision) => decision.status === 'accepted' || decision.status === 'partial'));
  // A review that ends without ever showing a card must not leave the caller waiting.
  const reviewId = await Promise.race([shown, kept.then(() => '')]);
  if (!reviewId) return { status: 'refused', message: 'the tests could not be shown for review' };
  return { status: 'shown', reviewId, kept };
}

/** Resolves with the id of the first review card shown under the message `messageId`. */
function nextCard(controller: VerifyDeps['review']['controller'], messageId: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const listener = controller.onDidUpdate((view) => {
      if (view.messageId !== messageId) return;
      listener.dispose();
      resolve(view.id);
    });
  });
}
