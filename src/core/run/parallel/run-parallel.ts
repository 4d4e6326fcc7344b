import { headCommit } from '../../git/index.js';
import type { Spec } from '../../specs/model.js';
import type { Workflow } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import type { ItemEnd } from '../interpreter/item.js';
import { advanceItem } from '../interpreter/item.js';
import { reachedLimit } from '../interpreter/limits.js';
import { readySpecs } from '../interpreter/plan.js';
import { settle, specItem, type LoopEnd } from '../interpreter/settle.js';
import { saveRunState, elapsedMs, specById, type RunSession } from '../session.js';
import type { Lane } from '../store/state.js';
import { interleave, type Tasks } from './interleave.js';
import { closeLaneTree, laneBranch, laneDir, openLaneTree } from './lane-git.js';
import { laneSession } from './lane-session.js';
import { lanesInOrder, parallelOf } from './lane-state.js';
import { mergeLanes, type MergeEnd, type MergeItem, type TreeLock } from './merge.js';
import { resumeLanes } from './resume-lanes.js';
import { specsToStart } from './schedule.js';

/**
 * `--parallel N` (issue 11): up to N ready specs at once, each in its own lane (worktree
 * and branch from the run branch as it stands), walked by the same interpreter as a
 * serial run. Specs whose `files:` may overlap never run together. An accepted lane waits
 * in the merge queue; merges happen one batch at a time, in spec order (which is
 * dependency order: a spec is ready only once its dependencies are merged), so the run
 * branch ends the same whatever the timing. A lane starts working as soon as its own
 * worktree exists; worktrees are made and removed one at a time (TreeLock), beside the
 * lanes' work and the merges. Limits, budgets and the stopper are the run's, shared by
 * every lane; on a stop no lane or merge is started, the running ones end at their next
 * check, and the state (every lane's cursor, a merge under way) is what --resume continues.
 */
type TaskEnd =
  { lane: string; end: ItemEnd } | { merge: string; end: MergeEnd } | { closed: string };

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
  const trees = treeLock();
  let stop: LoopEnd | undefined;
  // After a batch failed its validation, lanes merge one at a time until one passes.
  let solo = false;
  // Lanes whose worktree exists (working, queued, or merged and still being removed): each
  // holds its place until its worktree is gone, so at most `width` exist at any moment.
  const withTree = new Set(Object.keys(parallel.lanes));

  const startLane = (lane: Lane, spec: Spec, open: boolean) => {
    const work = async function* (): AsyncGenerator<RunEventBody, ItemEnd> {
      if (open) {
        await trees(() => openLaneTree(session.repoRoot, state, spec.id, lane.base));
        await saveRunState(session);
        yield {
          type: 'lane',
          specId: spec.id,
          phase: 'opened',
          branch: lane.branch,
          dir: lane.dir,
        };
      }
      const view = laneSession(session, lane);
      try {
        return yield* advanceItem(view, workflow, specItem(spec));
      } finally {
        // The lane's tools (its shell session's files, processes it left) end with the lane.
        await view.tools.dispose().catch(() => undefined);
      }
    };
    tasks.set(
      lane.specId,
      wrap(work(), (end) => ({ lane: lane.specId, end })),
    );
  };

  const closeLater = (lane: Lane, reason?: string) => {
    const close = async function* (): AsyncGenerator<RunEventBody, TaskEnd> {
      await trees(() => closeLaneTree(session.repoRoot, state.runId, lane));
      yield { type: 'lane', specId: lane.specId, phase: 'closed', ...(reason ? { reason } : {}) };
      return { closed: lane.specId };
    };
    tasks.set(`close:${lane.specId}`, close());
  };

  for (;;) {
    if (!stop && stopper.stopping)
      stop = { status: 'interrupted', reason: 'interrupted by a signal' };
    if (!stop) {
      for (const lane of lanesInOrder(state)) {
        if (lane.phase !== 'working' || tasks.has(lane.specId)) continue;
        const spec = specById(session, lane.specId);
        if (spec) startLane(lane, spec, false);
        else {
          yield* dropLane(session, lane, 'its spec file is no longer in the spec directory');
          closeLater(lane, 'its spec file is no longer in the spec directory');
        }
      }
      const open = lanesInOrder(state);
      const free = width - withTree.size;
      if (free > 0) {
        const ready = readySpecs(state, session.specs).filter((s) => !parallel.lanes[s.id]);
        if (ready.length) {
          const limit = reachedLimit(state, elapsedMs(session));
          if (limit) stop = { status: 'limit', reason: limit };
          else {
            const running = open
              .map((l) => specById(session, l.specId))
              .filter((s): s is Spec => !!s);
            const base = await headCommit(session.workDir);
            for (const spec of specsToStart(ready, running, free)) {
              withTree.add(spec.id);
              startLane(newLane(session, spec, base), spec, true);
            }
          }
        }
      }
    }
    // Merging costs no model call: work accepted before a limit is still merged; only a
    // signal (Ctrl-C, SIGTERM) leaves it for --resume.
    if (stop?.status !== 'interrupted' && !tasks.has(MERGE)) {
      const batch = mergeBatch(session, solo);
      if (batch.length) {
        tasks.set(
          MERGE,
          wrap(mergeLanes(session, workflow, batch, trees), (end) => ({
            merge: batch.map((b) => b.lane.specId).join(','),
            end,
          })),
        );
      }
    }
    if (tasks.size === 0) break;
    const next = yield* interleave(tasks);
    if ('closed' in next) {
      withTree.delete(next.closed);
      continue;
    }
    if ('merge' in next) {
      const end = next.end;
      if (end.kind === 'stopped')
        stop ??= { status: 'interrupted', reason: 'interrupted by a signal' };
      if (end.kind === 'batch_failed') solo = true;
      if (end.kind === 'merged') {
        solo = false;
        for (const lane of end.lanes) closeLater(lane);
      }
      continue;
    }
    const { end } = next;
    if (end.kind === 'stop') {
      stop ??= { status: end.status, reason: end.reason };
      continue;
    }
    const lane = parallel.lanes[next.lane];
    const status = state.specs[next.lane]?.status;
    if (lane && status === 'failed') {
      yield* dropLane(session, lane, undefined);
      closeLater(lane);
    } else if (lane && lane.phase !== 'accepted') lane.phase = 'accepted';
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

/** One piece of lane-tree work at a time, in the order asked. */
function treeLock(): TreeLock {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = last.then(work, work);
    last = run.catch(() => undefined);
    return run;
  };
}

/**
 * The lanes to merge now: the accepted lanes at the head of the queue, in spec order, up
 * to the first that is still working (strict order keeps the branch timing-independent);
 * only the head after a batch failed.
 */
function mergeBatch(session: RunSession, solo: boolean): MergeItem[] {
  const batch: MergeItem[] = [];
  for (const lane of lanesInOrder(session.state)) {
    if (lane.phase !== 'accepted') break;
    const spec = specById(session, lane.specId);
    if (!spec) break;
    batch.push({ lane, item: specItem(spec) });
    if (solo) break;
  }
  return batch;
}

function wrap<E, R, T>(gen: AsyncGenerator<E, R>, done: (r: R) => T): AsyncGenerator<E, T> {
  return (async function* () {
    return done(yield* gen);
  })();
}

/** A lane recorded in the state; its worktree is made by its task (startLane). */
function newLane(session: RunSession, spec: Spec, base: string): Lane {
  const { state } = session;
  const lane: Lane = {
    specId: spec.id,
    branch: laneBranch(state, spec.id),
    dir: laneDir(session.repoRoot, state.runId, spec.id),
    base,
    phase: 'working',
    cursor: null,
    current: null,
  };
  parallelOf(state).lanes[spec.id] = lane;
  return lane;
}

/** A lane that ends without merging (its spec failed, or is gone); its tree is closed later. */
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
  await saveRunState(session);
}
