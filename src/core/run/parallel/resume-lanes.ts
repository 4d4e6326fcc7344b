import { existsSync } from 'node:fs';
import { resetTo } from '../../git/index.js';
import { readRef } from '../../git/run-refs.js';
import type { RunEventBody } from '../events.js';
import { recoverWorkTree } from '../lifecycle/recover.js';
import type { RunSession } from '../session.js';
import { laneTipRef, reattachLaneTree, removeOrphanLanes } from './lane-git.js';
import { laneSession } from './lane-session.js';
import { lanesInOrder } from './lane-state.js';
import { undoInterruptedMerge } from './merge.js';

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
