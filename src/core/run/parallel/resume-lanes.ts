import { existsSync } from 'node:fs';
import { git } from '../../git/exec.js';
import { resetTo } from '../../git/index.js';
import { laneTipRef, readRef, runTipRef, setRef } from '../../git/run-refs.js';
import type { RunEventBody } from '../events.js';
import { recoverWorkTree } from '../lifecycle/recover.js';
import { saveRunState, type RunSession } from '../session.js';
import { closeLaneTree, reattachLaneTree, removeOrphanLanes } from './lane-git.js';
import { laneSession } from './lane-session.js';
import { lanesInOrder } from './lane-state.js';

/**
 * `--resume` of a parallel run, whatever instant the previous process died at: a merge
 * under way is undone (and done again by the loop); every open lane gets its worktree
 * back (re-created from its branch when it was removed) and is recovered like the run's
 * own work tree (run/lifecycle/recover.ts: an agent cut off is redone from the attempt's
 * checkpoint, a validation or commit cut off is finished); an accepted lane waiting to
 * merge is put back at its tip. What lanes no longer recorded left behind (a kill after a
 * merge was saved, before its lane was removed) is removed.
 */
export async function* resumeLanes(session: RunSession): AsyncGenerator<RunEventBody, void> {
  for (const message of await undoInterruptedMerge(session)) yield { type: 'warning', message };
  const { state, repoRoot } = session;
  await removeOrphanLanes(repoRoot, state, Object.keys(state.parallel?.lanes ?? {}));
  for (const lane of lanesInOrder(state)) {
    const existed = existsSync(lane.dir);
    await reattachLaneTree(repoRoot, state, lane);
    if (lane.phase === 'accepted') {
      const tip = (await readRef(repoRoot, laneTipRef(state.runId, lane.specId))) ?? lane.base;
      await resetTo(lane.dir, tip);
      continue;
    }
    const notes = await recoverWorkTree(laneSession(session, lane), !existed);
    for (const message of notes) yield { type: 'warning', message, specId: lane.specId };
  }
}

/**
 * Resume: a merge was under way when the process died. The run branch (and mmm's tip ref)
 * go back to where they were before it, so the merge is done again from the start. When
 * the process died while a re-attempt was replacing the lane (its tip ref no longer the
 * accepted commit the merge recorded), the half-opened lane is removed and the accepted
 * work put back, so the merge finds the same conflict or failure again.
 */
export async function undoInterruptedMerge(session: RunSession): Promise<string[]> {
  const parallel = session.state.parallel;
  const merging = parallel?.merging;
  if (!parallel || !merging) return [];
  const { repoRoot, state } = session;
  const dir = session.workDir;
  await git(dir, ['cherry-pick', '--abort'], { okCodes: [128] });
  await resetTo(dir, merging.before);
  await setRef(repoRoot, runTipRef(state.runId), merging.before);
  const lane = parallel.lanes[merging.specId];
  if (lane?.phase === 'accepted' && lane.commit) {
    const tipRef = laneTipRef(state.runId, lane.specId);
    if ((await readRef(repoRoot, tipRef)) !== lane.commit) {
      await closeLaneTree(repoRoot, state.runId, lane);
      await setRef(repoRoot, tipRef, lane.commit);
    }
  }
  parallel.merging = null;
  await saveRunState(session);
  return [
    `the merge of ${merging.specId} was interrupted; the run branch is back where it was before it, and the merge is done again`,
  ];
}
