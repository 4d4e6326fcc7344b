import { gitLine } from '../../git/exec.js';
import type { Workflow } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { refreshTotals } from '../interpreter/limits.js';
import { saveRunState, type RunSession } from '../session.js';
import type { Iteration, Lane } from '../store/state.js';
import { openLaneTree, type TreeLock } from './lane-git.js';
import { parallelOf } from './lane-state.js';

/** What follows a merge that did not land: the attempt failed, the spec tried again. */

/** How a merge of lanes ended (run/parallel/merge.ts). */
export type MergeEnd =
  | { kind: 'merged'; lanes: Lane[] }
  | { kind: 'retry' }
  | { kind: 'batch_failed' }
  | { kind: 'stopped' };

/** The specs whose merges are on the run branch between `from` and `to`. */
export async function specsMergedBetween(dir: string, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  const out = await gitLine(dir, [
    'log',
    '--no-color',
    '--format=%(trailers:key=Mmm-Spec,valueonly,separator=%x20)',
    `${from}..${to}`,
  ]);
  return [...new Set(out.split(/\s+/).filter(Boolean))].reverse();
}

export function lastPassed(session: RunSession, specId: string): Iteration | undefined {
  return session.state.iterations.findLast((it) => it.specId === specId && it.outcome === 'passed');
}

/**
 * Not merged: the lane's passing attempt is recorded as failed with `feedback`, and the
 * spec gets a fresh lane from the run branch whose cursor stands failed at the workflow's
 * commit step, so its `on_failure` decides (retry while attempts are left, else fail).
 */
export async function* reattempt(
  session: RunSession,
  workflow: Workflow,
  lane: Lane,
  phase: 'conflict' | 'merge_failed',
  reason: string,
  feedback: string,
  base: string,
  trees: TreeLock,
): AsyncGenerator<RunEventBody, MergeEnd> {
  const { state, repoRoot } = session;
  const parallel = parallelOf(state);
  const passed = lastPassed(session, lane.specId);
  if (passed) {
    passed.outcome = 'failed';
    passed.feedback = feedback;
    passed.fingerprint = `merge:${phase}`;
    delete passed.commit;
  }
  const failedAt =
    workflow.steps.findLast((s) => s.kind === 'commit') ?? workflow.steps.at(-1) ?? undefined;
  const attempt = passed?.attempt ?? state.specs[lane.specId]?.attempts ?? 1;
  const fresh = await trees(() => openLaneTree(repoRoot, state, lane.specId, base));
  parallel.lanes[lane.specId] = {
    specId: lane.specId,
    ...fresh,
    base,
    phase: 'working',
    cursor: {
      item: lane.specId,
      attempt,
      start: failedAt?.id ?? 'merge',
      step: failedAt?.id ?? 'merge',
      failed: true,
      checkpoint: base,
      steps: {},
      feedback,
    },
    current: null,
  };
  parallel.merging = null;
  refreshTotals(state);
  await saveRunState(session);
  yield { type: 'lane', specId: lane.specId, phase, reason };
  yield {
    type: 'attempt_end',
    specId: lane.specId,
    attempt,
    outcome: 'failed',
    feedback,
  };
  yield {
    type: 'lane',
    specId: lane.specId,
    phase: 'opened',
    branch: fresh.branch,
    dir: fresh.dir,
  };
  return { kind: 'retry' };
}
