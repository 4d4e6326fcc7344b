import { headCommit } from '../../git/index.js';
import type { Spec } from '../../specs/model.js';
import type { Workflow } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import type { ItemEnd } from '../interpreter/item.js';
import { advanceItem } from '../interpreter/item.js';
import { reachedLimit } from '../interpreter/limits.js';
import { readySpecs } from '../interpreter/plan.js';
import { settle, specItem, type LoopEnd } from '../interpreter/settle.js';
import { checkpoint, elapsedMs, specById, type RunSession } from '../session.js';
import type { Lane } from '../store/state.js';
import { interleave, type Tasks } from './interleave.js';
import { closeLaneTree, openLaneTree } from './lane-git.js';
import { laneSession } from './lane-session.js';
import { lanesInOrder, parallelOf } from './lane-state.js';
import { mergeLane, type MergeEnd } from './merge.js';
import { resumeLanes } from './resume-lanes.js';
import { specsToStart } from './schedule.js';

/**
 * `--parallel N` (issue 11): up to N ready specs at once, each in its own lane (worktree
 * and branch from the run branch as it stands), walked by the same interpreter as a
 * serial run. Specs whose `files:` may overlap never run together. An accepted lane waits
 * in the merge queue; merges happen one at a time, in spec order (which is dependency
 * order: a spec is ready only once its dependencies are merged), so the run branch ends
 * the same whatever the timing. Limits, budgets and the stopper are the run's, shared by
 * every lane; on a stop no lane or merge is started, the running ones end at their next
 * check, and the state (every lane's cursor, a merge under way) is what --resume continues.
 */
type TaskEnd = { lane: string; end: ItemEnd } | { merge: string; end: MergeEnd };

const MERGE = 'merge';

export async function* runParallel(
  session: RunSession,
  workflow: Workflow,
  width: number,
): AsyncGenerator<RunEventBody, LoopEnd> {
  const { state, stopper } = session;
  state.parallel ??= { width, lanes: {}, merging: null };
  const parallel = parallelOf(state);
  parallel.width = width;
  if (session.resumed) yield* resumeLanes(session);
  const tasks: Tasks<RunEventBody, TaskEnd> = new Map();
  let stop: LoopEnd | undefined;

  const startLane = (lane: Lane, spec: Spec) => {
    const view = laneSession(session, lane);
    const work = advanceItem(view, workflow, specItem(spec));
    // The lane's tools (its shell session's files, processes it left) end with the lane.
    const item = (async function* () {
      try {
        return yield* work;
      } finally {
        await view.tools.dispose().catch(() => undefined);
      }
    })();
    tasks.set(
      lane.specId,
      wrap(item, (end) => ({ lane: lane.specId, end })),
    );
  };

  for (;;) {
    if (!stop && stopper.stopping)
      stop = { status: 'interrupted', reason: 'interrupted by a signal' };
    if (!stop) {
      for (const lane of lanesInOrder(state)) {
        if (lane.phase !== 'working' || tasks.has(lane.specId)) continue;
        const spec = specById(session, lane.specId);
        if (spec) startLane(lane, spec);
        else yield* dropLane(session, lane, 'its spec file is no longer in the spec directory');
      }
      const open = lanesInOrder(state);
      const free = width - open.length;
      if (free > 0) {
        const ready = readySpecs(state, session.specs).filter((s) => !parallel.lanes[s.id]);
        if (ready.length) {
          const limit = reachedLimit(state, elapsedMs(session));
          if (limit) stop = { status: 'limit', reason: limit };
          else {
            const running = open
              .map((l) => specById(session, l.specId))
              .filter((s): s is Spec => !!s);
            for (const spec of specsToStart(ready, running, free)) {
              const lane = yield* openLane(session, spec);
              startLane(lane, spec);
            }
          }
        }
      }
    }
    // Merging costs no model call: work accepted before a limit is still merged; only a
    // signal (Ctrl-C, SIGTERM) leaves it for --resume.
    if (stop?.status !== 'interrupted') {
      const head = lanesInOrder(state)[0];
      if (!tasks.has(MERGE) && head?.phase === 'accepted') {
        const spec = specById(session, head.specId);
        if (spec) {
          tasks.set(
            MERGE,
            wrap(mergeLane(session, workflow, head, specItem(spec)), (end) => ({
              merge: head.specId,
              end,
            })),
          );
        }
      }
    }
    if (tasks.size === 0) break;
    const next = yield* interleave(tasks);
    if ('merge' in next) {
      if (next.end.kind === 'stopped')
        stop ??= { status: 'interrupted', reason: 'interrupted by a signal' };
      continue;
    }
    const { end } = next;
    if (end.kind === 'stop') {
      stop ??= { status: end.status, reason: end.reason };
      continue;
    }
    const lane = parallel.lanes[next.lane];
    const status = state.specs[next.lane]?.status;
    if (lane && status === 'failed') yield* dropLane(session, lane, undefined);
    else if (lane && lane.phase !== 'accepted') lane.phase = 'accepted';
    if (lane?.phase === 'accepted') {
      yield {
        type: 'lane',
        specId: lane.specId,
        phase: 'queued',
        queue: lanesInOrder(state)
          .filter((l) => l.phase === 'accepted')
          .map((l) => l.specId),
      };
    }
  }
  if (stop) return stop;
  return yield* settle(session, workflow);
}

function wrap<E, R, T>(gen: AsyncGenerator<E, R>, done: (r: R) => T): AsyncGenerator<E, T> {
  return (async function* () {
    return done(yield* gen);
  })();
}

async function* openLane(session: RunSession, spec: Spec): AsyncGenerator<RunEventBody, Lane> {
  const { state } = session;
  const base = await headCommit(session.workDir);
  const { dir, branch } = await openLaneTree(session.repoRoot, state, spec.id, base);
  const lane: Lane = {
    specId: spec.id,
    branch,
    dir,
    base,
    phase: 'working',
    cursor: null,
    current: null,
  };
  parallelOf(state).lanes[spec.id] = lane;
  await checkpoint(session);
  yield { type: 'lane', specId: spec.id, phase: 'opened', branch, dir };
  return lane;
}

/** A lane that ends without merging (its spec failed, or is gone): worktree and branch removed. */
async function* dropLane(
  session: RunSession,
  lane: Lane,
  reason: string | undefined,
): AsyncGenerator<RunEventBody, void> {
  const { state } = session;
  delete parallelOf(state).lanes[lane.specId];
  const s = state.specs[lane.specId];
  if (reason && s && (s.status === 'pending' || s.status === 'in-progress')) {
    state.specs[lane.specId] = { ...s, status: 'blocked', failure: reason };
    yield { type: 'spec_status', specId: lane.specId, status: 'blocked', reason };
  }
  await checkpoint(session);
  await closeLaneTree(session.repoRoot, state.runId, lane);
  yield { type: 'lane', specId: lane.specId, phase: 'closed', ...(reason ? { reason } : {}) };
}
