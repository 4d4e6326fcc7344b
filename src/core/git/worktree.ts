import { existsSync } from 'node:fs';
import { mkdir, rm, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { git, gitTest } from './exec.js';
import { excludeMmmFiles } from './repo.js';
import { linkDependencyDirs } from './dependency-links.js';

/** One entry of `git worktree list`. */
export interface WorktreeEntry {
  path: string;
  head: string | null;
  /** Short branch name; null when detached. */
  branch: string | null;
}

export async function listWorktrees(repoRoot: string): Promise<WorktreeEntry[]> {
  const out = (await git(repoRoot, ['worktree', 'list', '--porcelain', '-z'])).stdout;
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), head: null, branch: null };
      entries.push(current);
    } else if (current && field.startsWith('HEAD ')) {
      current.head = field.slice('HEAD '.length);
    } else if (current && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length).replace(/^refs\/heads\//, '');
    }
  }
  return entries;
}

async function samePath(a: string, b: string): Promise<boolean> {
  const norm = async (p: string) => {
    try {
      return await realpath(p);
    } catch {
      return resolve(p);
    }
  };
  return (await norm(a)) === (await norm(b));
}

async function findWorktree(repoRoot: string, path: string): Promise<WorktreeEntry | undefined> {
  for (const entry of await listWorktrees(repoRoot)) {
    if (await samePath(entry.path, path)) return entry;
  }
  return undefined;
}

export async function branchExists(repoRoot: string, branch: string): Promise<boolean> {
  return gitTest(repoRoot, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
}

/** Whether `ancestor` is `commit` or one of its ancestors. */
export async function isAncestor(dir: string, ancestor: string, commit: string): Promise<boolean> {
  return gitTest(dir, ['merge-base', '--is-ancestor', ancestor, commit]);
}

async function addWorktree(repoRoot: string, worktreePath: string, args: string[]): Promise<void> {
  await excludeMmmFiles(repoRoot);
  // A worktree directory deleted by hand leaves a registration that blocks `worktree add`.
  await git(repoRoot, ['worktree', 'prune']);
  await mkdir(dirname(worktreePath), { recursive: true });
  // No post-checkout hooks: the user's hooks are not part of mmm's isolated work.
  await git(repoRoot, ['worktree', 'add', '--quiet', ...args]);
  // Installed dependencies are ignored, so the new tree has none: link the checkout's.
  await linkDependencyDirs(repoRoot, worktreePath);
}

/**
 * New worktree at `worktreePath` on a new branch `branch` starting at `fromCommit`.
 * If the branch already exists it is reused only when it descends from `fromCommit`
 * (a run that created it earlier); otherwise InputError, nothing changed.
 */
export async function createRunWorktree(
  repoRoot: string,
  worktreePath: string,
  branch: string,
  fromCommit: string,
): Promise<void> {
  if (await branchExists(repoRoot, branch)) {
    if (!(await isAncestor(repoRoot, fromCommit, `refs/heads/${branch}`))) {
      throw new InputError(
        `branch ${branch} already exists and does not start from ${fromCommit.slice(0, 12)}`,
        { hint: `delete it (git branch -D ${branch}) or start a new run` },
      );
    }
    await attachWorktree(repoRoot, worktreePath, branch);
    return;
  }
  if (existsSync(worktreePath)) {
    throw new InputError(`${worktreePath} already exists`, {
      hint: 'remove it, or clean up finished runs with `mmm runs clean`',
    });
  }
  await addWorktree(repoRoot, worktreePath, ['-b', branch, worktreePath, fromCommit]);
}

/**
 * Make sure `worktreePath` is a worktree of the existing `branch` (resume): nothing to do
 * when it already is; re-created when missing or left half-deleted.
 */
export async function attachWorktree(
  repoRoot: string,
  worktreePath: string,
  branch: string,
): Promise<void> {
  if (!(await branchExists(repoRoot, branch))) {
    throw new InputError(`branch ${branch} does not exist, so its worktree cannot be restored`, {
      hint: 'it may have been deleted; start a new run with `mmm improve`',
    });
  }
  const existing = await findWorktree(repoRoot, worktreePath);
  if (existing && existsSync(worktreePath)) {
    if (existing.branch === branch) return;
    throw new InputError(
      `${worktreePath} is a worktree of ${existing.branch ?? 'a detached HEAD'}, not ${branch}`,
      { hint: `remove it with: git worktree remove --force ${worktreePath}` },
    );
  }
  const elsewhere = (await listWorktrees(repoRoot)).find(
    (w) => w.branch === branch && existsSync(w.path),
  );
  if (elsewhere) {
    throw new InputError(`branch ${branch} is already checked out at ${elsewhere.path}`, {
      hint: `remove that worktree (git worktree remove ${elsewhere.path}) and try again`,
    });
  }
  if (existsSync(worktreePath)) await rm(worktreePath, { recursive: true, force: true });
  await addWorktree(repoRoot, worktreePath, [worktreePath, branch]);
}

/** Remove the worktree (and its files, changes included); its branch is kept. */
export async function removeWorktree(repoRoot: string, worktreePath: string): Promise<void> {
  const target = resolve(worktreePath);
  if ((await samePath(target, repoRoot)) || resolve(repoRoot).startsWith(target + '/')) {
    throw new Error(`refusing to remove ${target}: it contains the repository ${repoRoot}`);
  }
  const registered = await findWorktree(repoRoot, worktreePath);
  if (registered) {
    if (await samePath(registered.path, repoRoot)) {
      throw new Error(`refusing to remove the main working tree ${repoRoot}`);
    }
    await git(repoRoot, ['worktree', 'remove', '--force', '--force', registered.path], {
      okCodes: [128],
    });
  }
  if (existsSync(worktreePath)) await rm(worktreePath, { recursive: true, force: true });
  await git(repoRoot, ['worktree', 'prune']);
}
