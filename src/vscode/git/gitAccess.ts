/**
 * Which changed files may go to the model in a commit-message request: the one access decision
 * (ignore and secret rules) for files in the window's folders; for a repository that reaches
 * outside them, the secret names still keep `.env` and keys out.
 */
import * as nodePath from 'node:path';
import { secretByName } from '../../core/context/files/secretRules';
import { isInside } from '../../core/edits';
import { type AccessDecider, refusal } from '../workspace/accessService';
import { workspaceRoots } from '../workspacePaths';

export async function deniedInRepository(
  access: AccessDecider,
  repositoryRoot: string,
  relative: string,
): Promise<string | undefined> {
  const absolute = nodePath.join(repositoryRoot, relative);
  const root = workspaceRoots().find((candidate) => isInside(candidate.path, absolute));
  if (!root) return secretByName(relative);
  const inFolder = nodePath.relative(root.path, absolute).split(nodePath.sep).join('/');
  return refusal(await access.decide(root, inFolder, 'read'));
}
