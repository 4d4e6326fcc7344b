import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../../git/exec.js';
import { pinRun } from '../../git/identity.js';
import { unpinWorkTree } from '../../git/pin.js';
import { laneTipRef, readRef, refPart, setRef } from '../../git/run-refs.js';

import { branchExists, createRunWorktree, removeWorktree } from '../../git/worktree.js';
import type { RunState } from '../store/state.js';

/**
 * The git side of a lane (run/parallel): a worktree and branch of its own, started from
 * the run branch as it stands, pinned like the run's work tree (every git call there gets
 * its own GIT_DIR), with a tip ref mmm moves to each commit it makes on the lane branch.
 *
 * Names: the run branch is `<prefix><run-id>` (e.g. `mmm/20261129-101500-a1b2`), so a lane
 * branch cannot live under it (git refuses `mmm/<run-id>/<spec>` beside `mmm/<run-id>`):
 * lanes are `<run branch>--<spec>`, in `.mmm/worktrees/<run-id>.lanes/<spec>` — beside the
 * run's worktree, never inside it (where `git add -A` would take it for an embedded repo).
 */

/** Serialises the work on lane worktrees (git worktree add/remove/prune may not overlap). */
export type TreeLock = <T>(work: () => Promise<T>) => Promise<T>;

export function laneBranch(state: Pick<RunState, 'branch'>, specId: string): string {
  return `${state.branch}--${refPart(specId)}`;
}

export function laneDir(repoRoot: string, runId: string, specId: string): string {
  return join(repoRoot, '.mmm', 'worktrees', `${runId}.lanes`, refPart(specId));
}

async function commonDirOf(repoRoot: string): Promise<string> {
  const r = await git(repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  return r.stdout.trim();
}

/** Pin a lane's worktree (again, after a resume) so mmm's git there is the lane's only. */
export async function pinLane(
  repoRoot: string,
  runId: string,
  lane: { specId: string; dir: string; branch: string },
): Promise<void> {
  await pinRun({
    repoRoot,
    commonDir: await commonDirOf(repoRoot),
    workTree: lane.dir,
    branch: lane.branch,
    inPlace: false,
    tipRef: laneTipRef(runId, lane.specId),
  });
}

/**
 * A fresh lane at `base`: what an earlier lane of the spec left (its worktree, branch and
 * tip ref) is removed first, so a re-attempt starts from the run branch as it is now.
 */
export async function openLaneTree(
  repoRoot: string,
  state: Pick<RunState, 'runId' | 'branch'>,
  specId: string,
  base: string,
): Promise<{ dir: string; branch: string }> {
  const dir = laneDir(repoRoot, state.runId, specId);
  const branch = laneBranch(state, specId);
  // What an earlier lane of the spec left; a first lane has nothing to clear.
  if (existsSync(dir) || (await branchExists(repoRoot, branch))) {
    await closeLaneTree(repoRoot, state.runId, { specId, dir, branch });
  }
  await createRunWorktree(repoRoot, dir, branch, base);
  await setRef(repoRoot, laneTipRef(state.runId, specId), base);
  await pinLane(repoRoot, state.runId, { specId, dir, branch });
  return { dir, branch };
}

/** Make sure a recorded lane's worktree exists (resume after kill -9) and pin it. */
export async function reattachLaneTree(
  repoRoot: string,
  state: Pick<RunState, 'runId' | 'branch'>,
  lane: { specId: string; dir: string; branch: string; base: string },
): Promise<void> {
  const tip = (await readRef(repoRoot, laneTipRef(state.runId, lane.specId))) ?? lane.base;
  if (!(await branchExists(repoRoot, lane.branch))) {
    await git(repoRoot, ['branch', lane.branch, tip]);
  }
  await createRunWorktree(repoRoot, lane.dir, lane.branch, lane.base);
  await pinLane(repoRoot, state.runId, lane);
}

/** Remove a lane's worktree, branch and tip ref (done, failed, or redone from scratch). */
export async function closeLaneTree(
  repoRoot: string,
  runId: string,
  lane: { specId: string; dir: string; branch: string },
): Promise<void> {
  unpinWorkTree(lane.dir);
  await removeWorktree(repoRoot, lane.dir);
  if (await branchExists(repoRoot, lane.branch)) {
    await git(repoRoot, ['branch', '-D', '--quiet', lane.branch]);
  }
  await git(repoRoot, ['update-ref', '-d', laneTipRef(runId, lane.specId)], { okCodes: [1] });
}

/**
 * Remove what lanes left that the run no longer records (resume): a process killed after
 * a lane's merge or drop was saved but before its worktree, branch and tip ref were
 * removed, or while a lane was being opened, leaves them behind. `open` are the spec ids
 * of the lanes the state still has; every other lane worktree, `<run branch>--*` branch
 * and lane tip ref of the run goes. Returns the lane names removed.
 */
export async function removeOrphanLanes(
  repoRoot: string,
  state: Pick<RunState, 'runId' | 'branch'>,
  open: string[],
): Promise<string[]> {
  const keep = new Set(open.map(refPart));
  const lanesDir = join(repoRoot, '.mmm', 'worktrees', `${state.runId}.lanes`);
  const branchPrefix = `refs/heads/${state.branch}--`;
  const tipPrefix = `refs/mmm/${state.runId}/lanes/`;
  const refs = await git(repoRoot, [
    'for-each-ref',
    '--format=%(refname)',
    'refs/heads/',
    tipPrefix,
  ]);
  const names = new Set<string>();
  for (const ref of refs.stdout.split('\n')) {
    if (ref.startsWith(branchPrefix)) names.add(ref.slice(branchPrefix.length));
    else if (ref.startsWith(tipPrefix)) names.add(ref.slice(tipPrefix.length));
  }
  try {
    for (const name of await readdir(lanesDir)) names.add(name);
  } catch {
    // no lane worktree at all
  }
  const orphans = [...names].filter((name) => name && !keep.has(name)).sort();
  for (const name of orphans) {
    const dir = join(lanesDir, name);
    unpinWorkTree(dir);
    await removeWorktree(repoRoot, dir);
    await git(repoRoot, ['update-ref', '-d', `${branchPrefix}${name}`], { okCodes: [1] });
    await git(repoRoot, ['update-ref', '-d', `${tipPrefix}${name}`], { okCodes: [1] });
  }
  return orphans;
}

/**
 * Remove every lane worktree of a run (`mmm runs clean`, the end of a finished run); the
 * lane branches stay, so a resumed run re-creates what it needs.
 */
export async function removeLaneWorktrees(repoRoot: string, runId: string): Promise<void> {
  const dir = join(repoRoot, '.mmm', 'worktrees', `${runId}.lanes`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    unpinWorkTree(join(dir, name));
    await removeWorktree(repoRoot, join(dir, name));
  }
  await rm(dir, { recursive: true, force: true });
}
