/**
 * races in the real editor: text typed through `TextEditor.edit` while an agent edit is being
 * accepted, while "Undo this turn" restores a file, and while an inline rewrite streams slowly from
 * the local model server. Every typed token must be in the document afterwards; the agent edit lands
 * or is refused with a reason, and after the user's first save the bytes on disk (SHA-256) are the
 * editor's text. A file undo calls restored holds its old bytes; one it did not restore keeps what was typed.
 * Prints `races (VS Code): N cases, V violations`.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { Review } from '../../../src/vscode/review/reviewController';
import type { InlineEditArgs, InlineOutcome } from '../../../src/vscode/features/inlineEdit/register';
import { buildWorkspaceEdit } from '../../../src/vscode/review/editBuilder';
import { type ModelServer, startModelServer, textChunks } from '../../support/modelServer';

// 200 agent edits and 200 inline edits (plus 50 agent edits on mixed line endings): about 4 minutes; 20 undos add 30 s.
// QCODER_RACE_TRIALS changes the count (e.g. 10 for a quick run).
const TRIALS = Number(process.env.QCODER_RACE_TRIALS ?? 200);
const MIXED_TRIALS = Math.ceil(TRIALS / 4);
const UNDO_TRIALS = Math.max(10, Math.ceil(TRIALS / 10));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lines = (n: number) => Array.from({ length: n }, (_, i) => `const line${i + 1} = ${i + 1};\n`).join('');

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

describe('races in the real editor', function () {
  this.timeout(900_000);
  let api: QCoderApi;
  let model: ModelServer;
  let folder: string;
  const violations: string[] = [];
  let cases = 0;
  const config = () => vscode.workspace.getConfiguration('qcoder');

  /** Types `token` at a random place of the document (retried when the editor refuses a stale edit). */
  async function type(editor: vscode.TextEditor, token: string, random: () => number, lineRange?: [number, number]) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [from, to] = lineRange ?? [0, editor.document.lineCount - 1];
      const line = from + Math.floor(random() * (to - from + 1));
      const text = editor.document.lineAt(line).text;
      const column = Math.floor(random() * (text.length + 1));
      // Never inside a token typed before: split by another, neither could be found in the text afterwards.
      const inside = (m: RegExpMatchArray) => (m.index ?? 0) < column && column < (m.index ?? 0) + m[0].length;
      if ([...text.matchAll(/\/\*[a-z]\d+\*\//g)].some(inside)) continue;
      if (await editor.edit((edit) => edit.insert(new vscode.Position(line, column), token))) return;
      await sleep(10);
    }
    violations.push(`the editor never took the keystroke ${token}`);
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<QCoderApi>('qcoder.qcoder');
    assert.ok(extension);
    api = await extension.activate();
    folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'race-tests');
    mkdirSync(folder, { recursive: true });
    model = await startModelServer();
    await config().update('baseUrl', model.baseUrl, vscode.ConfigurationTarget.Global);
    await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await model.close();
    rmSync(folder, { recursive: true, force: true });
    console.log(`races (VS Code): ${cases} cases, ${violations.length} violations`);
    for (const violation of violations) console.log(`  violation: ${violation}`);
  });

  /** Proposes the agent edit of line `target` of race-tests/`name` and waits for its review. */
  async function proposeEdit(name: string, target: number) {
    const batch = api.review.edits.begin();
    const old_text = `const line${target} = ${target};\n`;
    const proposed = await batch.propose(
      'edit_file',
      { path: `race-tests/${name}`, edits: [{ old_text, new_text: `const changed${target} = 0;\n` }] },
      new AbortController().signal,
    );
    assert.ok(proposed.ok);
    const before = new Set(api.review.controller.pending().map((review) => review.id));
    const decisions = batch.review(new AbortController().signal);
    let review: Review | undefined;
    for (let i = 0; !review && i < 2000; i++, await sleep(5))
      review = api.review.controller.pending().find((candidate) => !before.has(candidate.id));
    assert.ok(review, 'a pending review');
    return { review, decisions };
  }

  /**
   * One agent edit accepted while the user types. `mixed`: the file has mixed line endings and is not edited
   * before the accept, so the landing takes the path that writes the exact bytes after its save.
   */
  async function reviewTrial(trial: number, mixed: boolean): Promise<void> {
    const random = seeded(trial + (mixed ? 31 : 11));
    const name = `review-${mixed ? 'mixed-' : ''}${trial}.ts`;
    const original = mixed ? lines(40).replace(/\n/g, (_, offset: number) => (offset % 3 ? '\n' : '\r\n')) : lines(40);
    writeFileSync(path.join(folder, name), original);
    const document = await vscode.workspace.openTextDocument(path.join(folder, name));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const target = 5 + Math.floor(random() * 30);
    const { review, decisions } = await proposeEdit(name, target);
    const tokens = [`/*a${trial}*/`, `/*b${trial}*/\n`, `/*c${trial}*/`];
    if (!mixed) await type(editor, tokens[0], random);
    // The rest is typed while the accept runs (with mixed line endings, from a random moment of it).
    const typing = (async () => {
      if (mixed) await sleep(Math.floor(random() * 250));
      for (const token of tokens.slice(mixed ? 0 : 1)) {
        await type(editor, token, random);
        await sleep(Math.floor(random() * 15));
      }
    })();
    await api.review.controller.act(review.id, 'acceptAll');
    const [decision] = await decisions;
    await typing;
    cases++;
    const label = `review${mixed ? ' (mixed line endings)' : ''} trial ${trial}`;
    const text = document.getText();
    for (const token of tokens)
      if (!text.includes(token)) violations.push(`${label}: ${JSON.stringify(token)} lost; the text:\n${text}`);
    // A token may have been typed into the edited line itself: the edit is looked for around the tokens.
    const untyped = tokens.reduce((rest, token) => rest.replace(token, ''), text);
    if (decision.status === 'accepted' && !untyped.includes(`const changed${target} = 0;`))
      violations.push(`${label}: accepted, but the edit is not in the document`);
    if (decision.status !== 'accepted' && !/changed|did not apply/.test(decision.message))
      violations.push(`${label}: refused without a reason: ${decision.message}`);
    // The user saves once, as an extension would: only when VS Code says the document has unsaved changes.
    const [dirty, version] = [document.isDirty, document.version];
    const saved = dirty ? await document.save() : 'not asked';
    const disk = sha256(readFileSync(path.join(folder, name)));
    if (disk !== sha256(Buffer.from(document.getText(), 'utf8'))) {
      // Said how it failed: what VS Code called the document, what the save answered, and whether a second save
      // (never counted as a fix) would have put the editor's text on disk.
      await sleep(300);
      const again = await document.save();
      const fixed = again && sha256(readFileSync(path.join(folder, name))) === sha256(Buffer.from(document.getText()));
      violations.push(
        `${label}: after the first save the disk differs from the editor (isDirty ${dirty}, save ${saved}, ` +
          `version ${version}→${document.version}, ${decision.status}: ${decision.message}; ` +
          `a second save ${fixed ? 'fixes' : 'does not fix'} it)`,
      );
    }
    // Closed (a violation may have left it dirty: reverted without asking), so hundreds of trials keep one editor.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  // VS Code checks a WorkspaceEdit's document version, then (for the active editor) awaits a smaller form of the
  // edit from a worker; a keystroke taken during that await used to be garbled into the edit's line.
  const keystrokeWhileApplying =
    'a keystroke VS Code takes while it applies an edit: the edit lands whole or is refused, the keystroke kept';
  it(keystrokeWhileApplying, async () => {
    for (let trial = 0; trial < 10; trial++) {
      const name = `applying-${trial}.ts`;
      writeFileSync(path.join(folder, name), lines(10));
      const document = await vscode.workspace.openTextDocument(path.join(folder, name));
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      const batch = api.review.edits.begin();
      const proposed = await batch.propose(
        'edit_file',
        { path: `race-tests/${name}`, edits: [{ old_text: 'const line5 = 5;\n', new_text: 'const changed5 = 0;\n' }] },
        new AbortController().signal,
      );
      assert.ok(proposed.ok);
      const { edit } = buildWorkspaceEdit(batch.files, () => true);
      // Sent one after the other: VS Code takes the keystroke while it prepares the edit.
      const applying = vscode.workspace.applyEdit(edit);
      const typing = editor.edit((builder) => builder.insert(new vscode.Position(4, 13), `/*k${trial}*/`));
      const [applied, typed] = await Promise.all([applying, typing]);
      cases++;
      const line = document.lineAt(4).text;
      const whole = applied && !typed && line === 'const changed5 = 0;';
      const refused = !applied && typed && line === `const line5 =/*k${trial}*/ 5;`;
      if (!whole && !refused)
        violations.push(`edit while applying, trial ${trial}: applied ${applied}, typed ${typed}, line 5 is ${line}`);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    assert.deepEqual(violations, []);
  });

  it(`${TRIALS} agent edits accepted while the user types in the file: every keystroke kept, saved once`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) await reviewTrial(trial, false);
    assert.deepEqual(violations, []);
  });

  it(`${MIXED_TRIALS} agent edits on a file with mixed line endings, typed in during the accept`, async () => {
    for (let trial = 0; trial < MIXED_TRIALS; trial++) await reviewTrial(trial, true);
    assert.deepEqual(violations, []);
  });

  /** An agent edit of line `target` of race-tests/`name` (written as `original`, shown in an editor), accepted. */
  async function landEdit(name: string, target: number, original = lines(40)) {
    writeFileSync(path.join(folder, name), original);
    const document = await vscode.workspace.openTextDocument(path.join(folder, name));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const { review, decisions } = await proposeEdit(name, target);
    await api.review.controller.act(review.id, 'acceptAll');
    const [decision] = await decisions;
    assert.equal(decision.status, 'accepted', decision.message);
    return { document, editor, review, landed: readFileSync(path.join(folder, name)) };
  }

  /**
   * "Undo this turn" while the user types: a token typed before it (so undo asks, and the user says Undo Anyway),
   * then a burst whose first keystroke is sent in the same moment as the restore's replace, the rest while it runs.
   * Judged as the user sees it: "restored" only with the old bytes on disk and the old text in the editor (plus
   * what was typed after the restore); "did not restore" only with every keystroke kept and nothing written.
   */
  async function undoTrial(trial: number, outcomes: Map<string, number>): Promise<void> {
    const random = seeded(trial + 211);
    const name = `undo-${trial}.ts`;
    const display = `race-tests/${name}`;
    const original = lines(40);
    const target = 5 + Math.floor(random() * 30);
    const { document, editor, review, landed } = await landEdit(name, target, original);
    const edited = document.getText();
    const tokens = Array.from({ length: 2 + Math.floor(random() * 7) }, (_, k) => `/*u${trial * 100 + k}*/`);
    await type(editor, tokens[0], random);
    // Back to back in half the trials, with pauses of up to 15 ms in the others.
    const pause = trial % 2 ? 0 : 15;
    let typing: Promise<void> = Promise.resolve();
    const undone = await api.review.controller.undo(review.id, () => {
      typing = (async () => {
        for (const token of tokens.slice(1)) {
          await type(editor, token, random);
          if (pause) await sleep(Math.floor(random() * pause));
        }
      })();
      return Promise.resolve(true);
    });
    await typing;
    cases++;
    const label = `undo trial ${trial}`;
    const phrase = undone.message
      .replace(/^(Undone|Not fully undone): /, '')
      .replace(/\. Undo again once the file is still\.$|\.$/, '');
    // A turn not fully undone says so at the front, and is not called done.
    const whole = phrase.startsWith('restored') ? 'Undone: ' : 'Not fully undone: ';
    if (!undone.message.startsWith(whole) || undone.ok !== whole.startsWith('Undone'))
      violations.push(`${label}: "${undone.message}" (ok: ${undone.ok})`);
    const text = document.getText();
    const kept = tokens.filter((token) => text.includes(token));
    // Each token went in at a place of its own: without them, the text is what the restore (or the edit) left.
    const rest = kept.reduce((left, token) => left.replace(token, ''), text);
    const disk = readFileSync(path.join(folder, name));
    const holds = disk.equals(Buffer.from(original)) ? 'holds' : 'does not hold';
    const state = `the disk ${holds} the old bytes, the editor:\n${text}`;
    let outcome = 'unexpected';
    if (phrase === `restored ${display}`) {
      outcome = kept.length > 0 ? 'restored, typed into after' : 'restored';
      if (!disk.equals(Buffer.from(original)) || rest !== original)
        violations.push(`${label}: "${phrase}", but ${state}`);
    } else if (phrase.startsWith(`did not restore ${display}: `)) {
      outcome = 'not restored';
      if (kept.length !== tokens.length || rest !== edited || !disk.equals(landed))
        violations.push(
          `${label}: "${phrase}", but the disk ${disk.equals(landed) ? 'kept' : 'lost'} the edit; ${state}`,
        );
    } else if (phrase.startsWith(`restored ${display} in the editor only: `)) {
      outcome = 'restored in the editor only';
      if (disk.equals(Buffer.from(original)) || rest !== original)
        violations.push(`${label}: "${phrase}", but ${state}`);
    } else violations.push(`${label}: ${undone.message}`);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  it(`${UNDO_TRIALS} turns undone while the user types in the file: restored exactly, or said not to be`, async () => {
    const outcomes = new Map<string, number>();
    for (let trial = 0; trial < UNDO_TRIALS; trial++) await undoTrial(trial, outcomes);
    console.log(`  undo outcomes: ${[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    assert.deepEqual(violations, []);
  });

  // The keystroke is sent from the confirmation, right before the restore sends its replace: VS Code takes it first
  // and refuses the replace (its version is stale), so the file is restored only if the replace is tried again.
  it('a keystroke on its way as undo replaces the document: the replace is tried again, old bytes back', async () => {
    const name = 'undo-refused.ts';
    const original = `\uFEFF${lines(20).replace(/\n/g, '\r\n')}`;
    const { document, editor, review } = await landEdit(name, 7, original);
    const saved: string[] = [];
    const listener = vscode.workspace.onDidSaveTextDocument((doc) => doc === document && saved.push(doc.getText()));
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '/*r0*/')));
    let keystroke: Thenable<boolean> = Promise.resolve(false);
    const undone = await api.review.controller.undo(review.id, () => {
      keystroke = editor.edit((builder) => builder.insert(new vscode.Position(3, 0), '/*r1*/'));
      return Promise.resolve(true);
    });
    listener.dispose();
    cases++;
    assert.ok(await keystroke, 'VS Code took the keystroke (before the replace, which then went over it)');
    assert.equal(undone.message, `Undone: restored race-tests/${name}.`);
    assert.equal(readFileSync(path.join(folder, name)).toString('hex'), Buffer.from(original).toString('hex'));
    assert.equal(document.getText(), original.slice(1));
    // Never the edited text with the keystrokes, saved as the file by a restore that did not happen.
    assert.deepEqual(
      saved.filter((text) => text !== original.slice(1)),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  // Each keystroke is sent the moment VS Code reports the one before, so one is always on its way: every replace
  // the restore sends is refused.
  it('keystrokes that never stop while undo runs: not restored, nothing saved or written, all kept', async () => {
    const name = 'undo-typing.ts';
    const { document, editor, review, landed } = await landEdit(name, 7);
    const edited = document.getText();
    const sent: { token: string; taken: Thenable<boolean> }[] = [];
    let typing = true;
    const next = () => {
      if (!typing || sent.length >= 2000) return;
      const token = `/*t${sent.length}*/`;
      sent.push({ token, taken: editor.edit((builder) => builder.insert(new vscode.Position(0, 0), token)) });
    };
    let saves = 0;
    const listeners = [
      // Only a change of the text: one that only makes the document dirty would send a second keystroke at once.
      vscode.workspace.onDidChangeTextDocument(
        (event) => event.document === document && event.contentChanges.length > 0 && next(),
      ),
      vscode.workspace.onDidSaveTextDocument((doc) => doc === document && saves++),
    ];
    next();
    const undone = await api.review.controller.undo(review.id, () => Promise.resolve(true));
    typing = false;
    const taken = await Promise.all(sent.map((keystroke) => keystroke.taken));
    for (const listener of listeners) listener.dispose();
    cases++;
    assert.match(undone.message, new RegExp(`did not restore race-tests/${name}: it kept changing`));
    assert.equal(saves, 0, 'nothing saved');
    assert.ok(readFileSync(path.join(folder, name)).equals(landed), 'nothing written: the disk holds the edit');
    assert.ok(taken.every(Boolean), 'every keystroke taken');
    const text = document.getText();
    assert.equal(
      sent.reduce((left, { token }) => left.replace(token, ''), text),
      edited,
      `the edit and every keystroke are in the editor (${sent.length} keystrokes)`,
    );
    assert.ok(document.isDirty);
    assert.equal(undone.ok, false);
    assert.match(undone.message, /^Not fully undone: .*\. Undo again once the file is still\.$/);
    // Still undoable: once the typing stops, a second Undo puts the file back, bytes exact.
    const again = await api.review.controller.undo(review.id, () => Promise.resolve(true));
    assert.equal(again.message, `Undone: restored race-tests/${name}.`);
    assert.ok(readFileSync(path.join(folder, name)).equals(Buffer.from(lines(40))), 'the old bytes on disk');
    assert.equal(document.getText(), lines(40));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(`${TRIALS} inline edits streamed slowly while the user types: every keystroke kept`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const random = seeded(trial + 101);
      const name = `inline-${trial}.ts`;
      writeFileSync(path.join(folder, name), lines(20));
      const document = await vscode.workspace.openTextDocument(path.join(folder, name));
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      editor.selection = new vscode.Selection(8, 0, 12, 0);
      const rewrite = Array.from({ length: 4 }, (_, k) => `const rewritten${k + 9} = ${k};`).join('\n');
      model.enqueue({ kind: 'stream', chunks: textChunks('```ts\n' + rewrite + '\n```\n', 10), delayMs: 40 });
      const args: InlineEditArgs = { instruction: 'rename' };
      const outcome = vscode.commands.executeCommand<InlineOutcome>('qcoder.inlineEdit', args);
      const tokens = [`/*x${trial}*/`, `/*y${trial}*/`, `/*z${trial}*/`];
      // Typed once the edit has begun (its lines taken, the request on its way): text typed before that is in the
      // lines the model is asked to rewrite, and its proposal may rightly replace it.
      for (let i = 0; !api.inlineEdit.controller.session(document.uri) && i < 400; i++) await sleep(5);
      await sleep(20 + Math.floor(random() * 120));
      // Above, below, then (in half the trials) inside the lines being rewritten.
      await type(editor, tokens[0], random, [0, 6]);
      await sleep(Math.floor(random() * 80));
      await type(editor, tokens[1], random, [document.lineCount - 4, document.lineCount - 1]);
      const inside = trial % 2 === 1;
      if (inside) await type(editor, tokens[2], random, [9, 10]);
      const result = await outcome;
      if (result.state === 'review') await vscode.commands.executeCommand('qcoder.inlineEdit.acceptAll');
      for (let i = 0; api.inlineEdit.controller.session(document.uri) && i < 200; i++) await sleep(25);
      cases++;
      const text = document.getText();
      for (const token of inside ? tokens : tokens.slice(0, 2))
        if (!text.includes(token)) violations.push(`inline trial ${trial}: ${token} lost (${result.state})`);
      if (!inside && !text.includes('const rewritten9 = 0;'))
        violations.push(`inline trial ${trial}: typing around the lines stopped the rewrite (${result.state})`);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    assert.deepEqual(violations, []);
  });
});
