/**
 * Real files and real symbolic links in a temp folder, for the adversarial suites: a
 * workspace folder, a folder outside it with a sentinel file, and the core's edit proposal
 * path (access decision → proposal → approval) as the host drives it, plus a way to land
 * a proposal on disk the way the host would (writes follow links, renames move the entry).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AccessPolicy, type AccessDecision, FolderRules, FolderSet } from '../../src/core/context';
import { computeProposal, computeWriteProposal, parseFileToolCall } from '../../src/core/edits';

export interface Sandbox {
  /** Real path of the temp folder holding everything. */
  readonly base: string;
  readonly root: string;
  readonly outside: string;
  /** Random bytes in a file outside the workspace: they must never come back. */
  readonly sentinel: string;
  readonly sentinelPath: string;
  write(rel: string, content: string | Uint8Array): string;
  link(rel: string, target: string): void;
  policy(rules?: (rules: FolderRules) => void): AccessPolicy;
  /** Makes the workspace a git repository with everything committed (links too). */
  git(): void;
  dispose(): void;
}

export function makeSandbox(name = 'ws'): Sandbox {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'qcoder-adversarial-')));
  const root = join(base, name);
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const sentinel = `SENTINEL${randomBytes(12).toString('hex')}`;
  const sentinelPath = join(outside, 'sentinel.txt');
  writeFileSync(sentinelPath, `${sentinel}\n`);
  const write = (rel: string, content: string | Uint8Array) => {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return abs;
  };
  return {
    base,
    root,
    outside,
    sentinel,
    sentinelPath,
    write,
    link: (rel, target) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      symlinkSync(target, join(root, rel));
    },
    policy: (configure) => {
      const folder = { name, root };
      const rules = new FolderRules(folder);
      configure?.(rules);
      return new AccessPolicy(new FolderSet([folder]), [rules]);
    },
    git: () => {
      const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
      const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: 'ignore' });
      git('init', '-q');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    },
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** What the core's proposal path made of one file tool call. */
export interface Proposed {
  readonly proposed: boolean;
  /** Why the user must approve it (undefined: it would go through on auto-approve). */
  readonly needsApproval?: string;
  readonly message?: string;
  /** Lands the change on disk as the host's WorkspaceEdit would. */
  readonly land?: () => Promise<void>;
}

const refused = (message = 'refused'): Proposed => ({ proposed: false, message });
const approvalOf = (...decisions: AccessDecision[]) => decisions.find((d) => d.needsApproval)?.needsApproval;

async function readText(decision: AccessDecision): Promise<string | undefined> {
  return decision.exists ? fs.readFile(decision.location!.abs, 'utf8') : undefined;
}

/** A file tool call through parse → access decision → proposal → approval, as the edit service does it. */
export async function proposeInCore(policy: AccessPolicy, tool: string, args: Record<string, unknown>) {
  const call = parseFileToolCall(tool, args);
  if ('ok' in call) return refused(call.message);
  if (call.tool === 'rename_file') return proposeRename(policy, call.from, call.to);
  const first = await policy.decideInput(call.path, call.tool === 'delete_file' ? 'delete' : 'write');
  if (!first.allowed) return refused(first.reason);
  const text = await readText(first);
  const abs = first.location!.abs;
  if (call.tool === 'delete_file') {
    const decision = await policy.decideInput(call.path, 'delete', { text });
    if (!decision.allowed) return refused(decision.reason);
    return { proposed: true, needsApproval: decision.needsApproval, land: () => fs.unlink(abs) };
  }
  if (call.tool === 'edit_file' && text === undefined) return refused('does not exist');
  const result =
    call.tool === 'edit_file'
      ? computeProposal(call.path, text!, undefined, call.edits)
      : computeWriteProposal(call.path, text, call.content);
  if (!result.ok) return refused(result.message);
  const op = text === undefined ? 'create' : 'write';
  const decision = await policy.decideInput(call.path, op, { text, newText: result.newText });
  if (!decision.allowed) return refused(decision.reason);
  return {
    proposed: true,
    needsApproval: decision.needsApproval,
    land: async () => {
      await fs.mkdir(dirname(abs), { recursive: true });
      await fs.writeFile(abs, result.newText);
    },
  };
}

async function proposeRename(policy: AccessPolicy, from: string, to: string): Promise<Proposed> {
  const source = await policy.decideInput(from, 'rename-from');
  if (!source.allowed) return refused(source.reason);
  const text = await readText(source);
  const sourceChecked = await policy.decideInput(from, 'rename-from', { text });
  const target = await policy.decideInput(to, 'rename-to', { newText: text });
  if (!sourceChecked.allowed || !target.allowed) return refused(sourceChecked.reason ?? target.reason);
  if (target.exists) return refused('rename_file does not overwrite');
  return {
    proposed: true,
    needsApproval: approvalOf(sourceChecked, target),
    land: async () => {
      await fs.mkdir(dirname(target.location!.abs), { recursive: true });
      await fs.rename(source.location!.abs, target.location!.abs);
    },
  };
}
