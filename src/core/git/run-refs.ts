import { git } from './exec.js';
import { isAncestor } from './worktree.js';

/**
 * Refs mmm owns, one set per run: `refs/mmm/<run-id>/tip` follows every commit mmm makes
 * on the run branch, and `refs/mmm/<run-id>/specs/<spec-id>` marks each accepted spec's
 * commit. They keep the run's verified work reachable whatever happens to the branch and
 * its reflog (`git checkout -B`, `reflog expire`, `gc --prune=now`): the objects stay, and
 * the branch can be restored from them. They are never moved by the agent's tools on
 * purpose (the command policy refuses `update-ref`), and `git log --all` shows them.
 */
export function runTipRef(runId: string): string {
  return `refs/mmm/${runId}/tip`;
}

/** A ref-safe (and path-safe) form of a spec id. */
export function refPart(id: string): string {
  const safe = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^[.-]+|[.]+$/g, '_')
    .replace(/\.lock$/i, '_lock');
  return safe || '_';
}

export function specRef(runId: string, specId: string): string {
  return `refs/mmm/${runId}/specs/${refPart(specId)}`;
}

/** A parallel run's lane tip: follows each commit mmm makes on the lane's branch. */
export function laneTipRef(runId: string, specId: string): string {
  return `refs/mmm/${runId}/lanes/${refPart(specId)}`;
}

/** The commit a ref points at, or undefined when it does not exist. */
export async function readRef(dir: string, ref: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    okCodes: [1, 128],
  });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function setRef(dir: string, ref: string, sha: string): Promise<void> {
  await git(dir, ['update-ref', '-m', 'mmm: keep the run work', ref, sha]);
}

/** Whether the commit object exists. */
export async function commitExists(dir: string, sha: string): Promise<boolean> {
  const r = await git(dir, ['cat-file', '-e', `${sha}^{commit}`], { okCodes: [1, 128] });
  return r.exitCode === 0;
}

/**
 * Bring the run branch back in line with the tip ref (resume): recreated when it was
 * deleted, moved forward when it lost commits mmm made. A branch that is ahead of the tip
 * (a commit made just before a crash) is left alone. Returns what was done, for a warning.
 */
export async function restoreBranchFromTip(
  repoRoot: string,
  runId: string,
  branch: string,
): Promise<string | undefined> {
  const tip = await readRef(repoRoot, runTipRef(runId));
  if (!tip) return undefined;
  const ref = `refs/heads/${branch}`;
  const current = await readRef(repoRoot, ref);
  if (current === undefined) {
    await git(repoRoot, ['update-ref', ref, tip]);
    return `the run branch ${branch} was deleted; restored it from ${runTipRef(runId)} at ${tip.slice(0, 12)}`;
  }
  if (current === tip || (await isAncestor(repoRoot, tip, current))) return undefined;
  await git(repoRoot, ['update-ref', ref, tip, current]);
  return `the run branch ${branch} had lost commits mmm made (it was at ${current.slice(0, 12)}); restored it to ${tip.slice(0, 12)} from ${runTipRef(runId)}`;
}
