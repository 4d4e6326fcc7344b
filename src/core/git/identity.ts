import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { git, gitLine } from './exec.js';
import { identityProblems, pinWorkTree, readHead, unpinWorkTree, type WorkTreePin } from './pin.js';
import { commitExists, readRef } from './run-refs.js';
import { isAncestor } from './worktree.js';
import { linkDependencyDirs } from './dependency-links.js';

/**
 * The run's identity, checked and repaired: the work tree is the run's own worktree (or,
 * in place, the checkout), HEAD is the symbolic ref of the run branch, and the branch
 * descends from the last checkpoint. See pin.ts for the cheap file checks made before
 * every changing git command; here are the full check (with git) and the repair.
 */

async function norm(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** The `<common>/worktrees/<name>` entry registered for `workTree`, if any. */
export async function findLinkedGitDir(
  commonDir: string,
  workTree: string,
): Promise<string | undefined> {
  const dir = join(commonDir, 'worktrees');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const want = join(await norm(workTree), '.git');
  const wantResolved = join(resolve(workTree), '.git');
  for (const name of names) {
    let target: string;
    try {
      target = (await readFile(join(dir, name, 'gitdir'), 'utf8')).trim();
    } catch {
      continue;
    }
    if (target === want || target === wantResolved) return join(dir, name);
  }
  // The registration of a worktree mmm made is named after its directory.
  const byName = join(dir, basename(workTree));
  return existsSync(byName) ? byName : undefined;
}

export interface PinRequest {
  repoRoot: string;
  commonDir: string;
  workTree: string;
  branch: string;
  inPlace: boolean;
  tipRef: string;
  /** In place: the checkout's git dir (from openRepo). */
  gitDir?: string;
}

/** Work out the run's pin (its git dir) and register it. */
export async function pinRun(request: PinRequest): Promise<WorkTreePin> {
  const commonDir = await norm(request.commonDir);
  const gitDir = request.inPlace
    ? await norm(request.gitDir ?? commonDir)
    : ((await findLinkedGitDir(commonDir, request.workTree)) ??
      join(commonDir, 'worktrees', basename(request.workTree)));
  const pin: WorkTreePin = {
    workTree: resolve(request.workTree),
    gitDir,
    commonDir,
    branch: request.branch,
    linked: !request.inPlace,
    tipRef: request.tipRef,
  };
  unpinWorkTree(pin.workTree);
  pinWorkTree(pin);
  return pin;
}

export interface TreeCheck {
  /** What is wrong, in words the model and the user understand; [] when all is well. */
  problems: string[];
  /** HEAD is fine but the branch has commits after the checkpoint (the agent committed). */
  selfCommits: string[];
}

/** The full check: the file-level identity plus the branch against `checkpoint`. */
export async function checkRunTree(pin: WorkTreePin, checkpoint: string): Promise<TreeCheck> {
  const problems = identityProblems(pin);
  const repo = pin.commonDir;
  const ref = `refs/heads/${pin.branch}`;
  const tip = await readRef(repo, ref);
  let selfCommits: string[] = [];
  if (!(await commitExists(repo, checkpoint))) {
    problems.push(`the checkpoint commit ${checkpoint.slice(0, 12)} no longer exists`);
  } else if (tip === undefined) {
    problems.push(`the run branch ${pin.branch} was deleted`);
  } else if (tip !== checkpoint) {
    if (!(await isAncestor(repo, checkpoint, tip))) {
      problems.push(
        `the run branch ${pin.branch} was moved to ${tip.slice(0, 12)}, which does not contain the last checkpoint ${checkpoint.slice(0, 12)}`,
      );
    } else if (problems.length === 0) {
      const out = await gitLine(repo, ['rev-list', '--reverse', `${checkpoint}..${tip}`]);
      selfCommits = out.split('\n').filter(Boolean);
    }
  }
  return { problems, selfCommits };
}

/** A worktree that is beyond a file-level repair is made again from the branch. */
async function recreateWorktree(pin: WorkTreePin, repoRoot: string): Promise<WorkTreePin> {
  unpinWorkTree(pin.workTree);
  await rm(pin.workTree, { recursive: true, force: true });
  if (resolve(pin.gitDir).startsWith(join(pin.commonDir, 'worktrees') + '/')) {
    await rm(pin.gitDir, { recursive: true, force: true });
  }
  await git(repoRoot, ['worktree', 'prune']);
  await git(repoRoot, ['worktree', 'add', '--quiet', pin.workTree, pin.branch]);
  await linkDependencyDirs(repoRoot, pin.workTree);
  return pinRun({
    repoRoot,
    commonDir: pin.commonDir,
    workTree: pin.workTree,
    branch: pin.branch,
    inPlace: false,
    tipRef: pin.tipRef ?? '',
  });
}

/**
 * Make the work tree the run's again, at `checkpoint` or a descendant of it: the branch
 * ref restored, HEAD re-attached to it, the worktree's `.git` link rewritten (or the
 * worktree re-created when its git dir is gone). The files in the tree are left as they
 * are (the caller saves them as a patch and resets). Returns what was done.
 */
export async function repairRunTree(
  pin: WorkTreePin,
  repoRoot: string,
  checkpoint: string,
): Promise<{ pin: WorkTreePin; actions: string[] }> {
  const actions: string[] = [];
  const repo = pin.commonDir;
  const ref = `refs/heads/${pin.branch}`;
  const tip = await readRef(repo, ref);
  if (tip === undefined || (tip !== checkpoint && !(await isAncestor(repo, checkpoint, tip)))) {
    await git(repo, ['update-ref', '-m', 'mmm: restore the run branch', ref, checkpoint]);
    actions.push(`restored ${pin.branch} to ${checkpoint.slice(0, 12)}`);
  }
  const commonOk =
    existsSync(pin.gitDir) &&
    (!pin.linked ||
      (await norm(
        resolve(
          pin.gitDir,
          (await readFile(join(pin.gitDir, 'commondir'), 'utf8').catch(() => '')).trim() ||
            '/nonexistent',
        ),
      )) === pin.commonDir);
  if (pin.linked && !commonOk) {
    const fresh = await recreateWorktree(pin, repoRoot);
    actions.push(`re-created the worktree ${pin.workTree} from ${pin.branch}`);
    return { pin: fresh, actions };
  }
  if (!commonOk) {
    throw new Error(
      `the git directory ${pin.gitDir} of the checkout is gone; mmm cannot repair it`,
    );
  }
  if (pin.linked) {
    const dotGit = join(pin.workTree, '.git');
    const problems = identityProblems(pin).filter((p) =>
      ['the .git', '.git', 'the work tree'].some((start) => p.startsWith(start)),
    );
    if (problems.length > 0) {
      await mkdir(pin.workTree, { recursive: true });
      await rm(dotGit, { recursive: true, force: true });
      await writeFile(dotGit, `gitdir: ${pin.gitDir}\n`);
      await writeFile(join(pin.gitDir, 'gitdir'), `${dotGit}\n`);
      actions.push(`relinked ${pin.workTree} to its git directory`);
    }
  }
  const head = readHead(pin.gitDir);
  if (head?.ref !== ref) {
    // Written directly: without a readable HEAD git does not even accept the directory.
    await writeFile(join(pin.gitDir, 'HEAD'), `ref: ${ref}\n`);
    actions.push(`re-attached HEAD to ${pin.branch}`);
  }
  return { pin, actions };
}
