/**
 * Generate Commit Message (Source Control title and input box): the staged diff, or every change
 * when nothing is staged, and the repository's recent subjects go to the model; its answer
 * streams into the commit input box. Cancel stops it and leaves what was there before.
 */
import * as vscode from 'vscode';
import type { Connection } from '../../core/chat/chatEngine';
import type { TokenCounter } from '../../core/context/tokens/tokenCounter';
import { cleanMessage, commitMessages, splitDiff, SUBJECTS_SHOWN } from '../../core/git/commitMessage';
import { type GitApi, type GitRepository, gitApi, UNTRACKED } from './gitApi';

export interface CommitMessageDeps {
  connect(): Promise<Connection>;
  counter(model: string): Promise<TokenCounter>;
  /** Why a file (relative to the repository root) must not be sent, or undefined: secrets stay out of the diff. */
  denied(root: string, relative: string): Promise<string | undefined>;
  log(line: string): void;
}

export function register(deps: CommitMessageDeps): vscode.Disposable {
  return vscode.commands.registerCommand('qcoder.generateCommitMessage', async (scm?: { rootUri?: vscode.Uri }) => {
    try {
      return await generate(deps, scm?.rootUri);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`QCoder could not write a commit message: ${message}`);
      return undefined;
    }
  });
}

/** The message written, or undefined when there was nothing to describe or the user cancelled. */
async function generate(deps: CommitMessageDeps, rootUri: vscode.Uri | undefined): Promise<string | undefined> {
  const api = await gitApi();
  if (typeof api === 'string') throw new Error(api);
  const repository = pickRepository(api, rootUri);
  if (!repository) throw new Error('no Git repository is open in this window');
  const change = await changes(repository, deps);
  if (!change) {
    void vscode.window.showInformationMessage('QCoder: there are no changes to describe.');
    return undefined;
  }
  const connection = await deps.connect();
  if (!connection.client) throw new Error(connection.problem ?? 'no model is configured');
  const { client } = connection;
  const subjects = (await repository.log({ maxEntries: SUBJECTS_SHOWN }).catch(() => [])).map(
    (commit) => commit.message.split('\n')[0],
  );
  const budget = vscode.workspace.getConfiguration('qcoder').get<number>('git.commitMessageBudget', 6000);
  const messages = commitMessages({ ...change, subjects, counter: await deps.counter(client.model), budget });
  const before = repository.inputBox.value;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'QCoder: writing a commit message…', cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancelled = token.onCancellationRequested(() => controller.abort());
      let text = '';
      try {
        for await (const event of client.stream(messages, controller.signal)) {
          if (event.type !== 'text') continue;
          text += event.text;
          repository.inputBox.value = cleanMessage(text);
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      } finally {
        cancelled.dispose();
      }
      if (controller.signal.aborted) {
        repository.inputBox.value = before;
        return undefined;
      }
      deps.log(`commit message: ${change.diff.length} characters of ${change.staged ? 'staged' : 'unstaged'} diff`);
      return repository.inputBox.value;
    },
  );
}

function pickRepository(api: GitApi, rootUri: vscode.Uri | undefined): GitRepository | undefined {
  if (rootUri) {
    const chosen = api.repositories.find((repository) => repository.rootUri.toString() === rootUri.toString());
    if (chosen) return chosen;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && api.getRepository(active)) || api.repositories[0];
}

async function changes(
  repository: GitRepository,
  deps: CommitMessageDeps,
): Promise<{ diff: string; staged: boolean } | undefined> {
  const root = repository.rootUri.fsPath;
  const allowed = async (diff: string) => {
    const files = splitDiff(diff);
    const denied = await Promise.all(files.map((file) => deps.denied(root, file.path)));
    const kept = files.filter((_, index) => !denied[index]).map((file) => file.text);
    const left = files.length - kept.length;
    return `${kept.join('\n')}${left ? `\n(${left} file${left === 1 ? '' : 's'} QCoder may not read left out)\n` : ''}`;
  };
  const staged = await repository.diff(true);
  if (staged.trim()) return { diff: await allowed(staged), staged: true };
  const tracked = await allowed(await repository.diff(false));
  const untracked = repository.state.workingTreeChanges
    .filter((change) => change.status === UNTRACKED)
    .map((change) => vscode.workspace.asRelativePath(change.uri, false));
  const listed = untracked.length ? `\nNew files, not yet tracked:\n${untracked.join('\n')}\n` : '';
  const diff = `${tracked}${listed}`;
  return diff.trim() ? { diff, staged: false } : undefined;
}
