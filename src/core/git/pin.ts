import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkFailedError } from '../errors.js';

/**
 * Pinned work trees. A run's work tree is registered here with its own git dir; every git
 * call mmm makes there then runs with explicit GIT_DIR / GIT_WORK_TREE (see exec.ts), so
 * git never discovers a repository on its own by walking up from the directory. Without
 * that, a worktree whose `.git` file the agent deleted sits inside the user's checkout
 * (`.mmm/worktrees/<id>`), and `git reset --hard` there would reset the user's checkout.
 *
 * `identityProblems` reads the few files that make the tree the run's (the `.git` file,
 * the git dir's `HEAD` and `commondir`) without running git, so it is cheap enough to run
 * before every git command that changes something.
 */
export interface WorkTreePin {
  /** The run's work tree (absolute). */
  workTree: string;
  /** Its own git dir: `<common>/worktrees/<name>`, or the checkout's git dir in place. */
  gitDir: string;
  /** The repository's shared git dir. */
  commonDir: string;
  /** The run branch, short name (`mmm/<run-id>`). */
  branch: string;
  /** A linked worktree made by mmm (false: --in-place, the user's checkout). */
  linked: boolean;
  /** A ref mmm moves to every commit it makes on the branch (`refs/mmm/<run-id>/tip`). */
  tipRef?: string;
}

/** The run's work tree is not what mmm made it; nothing was changed there. */
export class RunIdentityError extends WorkFailedError {
  readonly problems: readonly string[];
  constructor(workTree: string, problems: string[]) {
    super(
      `refusing to change ${workTree}: it is no longer the run's work tree (${problems.join('; ')})`,
    );
    this.problems = problems;
  }
}

const pins = new Map<string, WorkTreePin>();

function keysOf(path: string): string[] {
  const keys = [resolve(path)];
  try {
    keys.push(realpathSync(path));
  } catch {
    // Not there (yet): the resolved path is the key.
  }
  return keys;
}

export function pinWorkTree(pin: WorkTreePin): void {
  for (const key of keysOf(pin.workTree)) pins.set(key, pin);
}

export function unpinWorkTree(workTree: string): void {
  for (const [key, pin] of [...pins]) if (pin.workTree === resolve(workTree)) pins.delete(key);
  for (const key of keysOf(workTree)) pins.delete(key);
}

export function pinOf(path: string): WorkTreePin | undefined {
  return pins.get(resolve(path));
}

/** GIT_DIR / GIT_WORK_TREE for git calls in a pinned tree. */
export function pinEnv(pin: WorkTreePin): Record<string, string> {
  return { GIT_DIR: pin.gitDir, GIT_WORK_TREE: pin.workTree };
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where a `.git` entry points: its own path (a directory), or the `gitdir:` of a file. */
function dotGitTarget(workTree: string): {
  kind: 'missing' | 'dir' | 'file' | 'other';
  to?: string;
} {
  const path = join(workTree, '.git');
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return { kind: 'missing' };
  }
  if (st.isDirectory()) return { kind: 'dir', to: path };
  if (!st.isFile()) return { kind: 'other' };
  const m = /^gitdir: (.+?)\s*$/m.exec(readText(path) ?? '');
  return m?.[1] ? { kind: 'file', to: resolve(workTree, m[1]) } : { kind: 'file' };
}

/** What HEAD of a git dir is: the symbolic ref it names, or a detached sha. */
export function readHead(gitDir: string): { ref?: string; detached?: string } | undefined {
  const text = readText(join(gitDir, 'HEAD'));
  if (text === undefined) return undefined;
  const m = /^ref: (\S+)/.exec(text);
  if (m?.[1]) return { ref: m[1] };
  return { detached: text.trim() };
}

/** Why `pin.workTree` is not (any more) the run's work tree on its branch; [] when it is. */
export function identityProblems(pin: WorkTreePin): string[] {
  const problems: string[] = [];
  if (!existsSync(pin.workTree)) {
    problems.push(`the work tree ${pin.workTree} was deleted`);
  } else {
    const dotGit = dotGitTarget(pin.workTree);
    if (dotGit.kind === 'missing') problems.push('the .git file of the work tree was deleted');
    else if (dotGit.kind === 'other') problems.push('.git in the work tree is not a file');
    else if (pin.linked && dotGit.kind === 'dir') {
      problems.push('the .git file of the work tree was replaced by a directory');
    } else if (!dotGit.to || !sameFile(dotGit.to, pin.gitDir)) {
      problems.push(
        `.git in the work tree was changed to point to ${dotGit.to ?? 'nothing readable'}`,
      );
    }
  }
  if (!existsSync(pin.gitDir)) {
    problems.push(`the run's git directory ${pin.gitDir} was deleted`);
    return problems;
  }
  if (pin.linked) {
    const common = readText(join(pin.gitDir, 'commondir'))?.trim();
    if (!common || !sameFile(resolve(pin.gitDir, common), pin.commonDir)) {
      problems.push(`the run's git directory was changed to use ${common ?? 'no'} repository`);
    }
  }
  const head = readHead(pin.gitDir);
  const want = `refs/heads/${pin.branch}`;
  if (!head) problems.push('HEAD of the work tree was deleted');
  else if (head.detached !== undefined) {
    problems.push(`HEAD was detached (at ${head.detached.slice(0, 12) || 'nothing'})`);
  } else if (head.ref !== want) {
    problems.push(`HEAD was switched from ${want} to ${head.ref ?? '?'}`);
  }
  return problems;
}

export function assertPinnedIdentity(pin: WorkTreePin): void {
  const problems = identityProblems(pin);
  if (problems.length > 0) throw new RunIdentityError(pin.workTree, problems);
}
