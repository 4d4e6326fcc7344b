import type { Workflow } from '../../workflow/model.js';
import type { ItemRef } from './context.js';
import type { RunEventBody } from '../events.js';
import { reachedLimit } from './limits.js';
import { nextSpec } from './plan.js';
import { reviewRound } from './review.js';
import { saveRunState, elapsedMs, specById, type RunSession } from '../session.js';
import { settle, specItem, type LoopEnd } from './settle.js';
import { advanceItem } from './item.js';
import { parallelWidth } from '../parallel/lane-state.js';
import { runParallel } from '../parallel/run-parallel.js';

function itemByKey(session: RunSession, workflow: Workflow, key: string): ItemRef | undefined {
  if (workflow.forEach?.kind === 'specs') {
    const spec = specById(session, key);
    return spec ? specItem(spec) : undefined;
  }
  const s = session.state.specs[key];
  return s ? { key, text: s.title, title: s.title } : undefined;
}

function nextItem(session: RunSession, workflow: Workflow): ItemRef | undefined {
  const { state } = session;
  if (workflow.forEach?.kind === 'specs') {
    const spec = nextSpec(state, session.specs);
    return spec ? specItem(spec) : undefined;
  }
  for (const wanted of ['in-progress', 'pending'] as const) {
    const key = state.specOrder.find((id) => state.specs[id]?.status === wanted);
    if (key) return itemByKey(session, workflow, key);
  }
  return undefined;
}

/**
 * The interpreter's outer loop: the item the run is on (after a resume) or the next one —
 * the next ready spec in dependency order for `for_each: specs`, else the next pending
 * entry of the list fixed at the start — run to its end by advanceItem; with
 * `propose: review`, a review round writes the next spec whenever none is ready. Limits
 * are checked before every attempt and every review round. Returns how the run ended.
 */
export async function* runWorkflow(
  session: RunSession,
  workflow: Workflow,
): AsyncGenerator<RunEventBody, LoopEnd> {
  const width = parallelWidth(session, workflow);
  if (width > 1) return yield* runParallel(session, workflow, width);
  const { state, stopper } = session;
  const proposes = workflow.forEach?.kind === 'specs' && workflow.forEach.propose === 'review';
  for (;;) {
    if (stopper.stopping) return { status: 'interrupted', reason: 'interrupted by a signal' };
    const run = state.workflowRun;
    let item: ItemRef | undefined;
    if (run?.cursor) {
      item = itemByKey(session, workflow, run.cursor.item);
      // Its spec file is gone from the spec directory: the item cannot go on.
      if (!item) {
        run.cursor = null;
        state.current = null;
        await saveRunState(session);
      }
    }
    item ??= nextItem(session, workflow);
    if (!item) {
      if (!proposes || state.review?.finished) break;
      const limit = reachedLimit(state, elapsedMs(session));
      if (limit) return { status: 'limit', reason: limit };
      // Review rounds are bounded like attempts, so proposals that never become ready
      // cannot loop forever.
      if ((state.review?.rounds ?? 0) >= state.limits.maxIterations) {
        return {
          status: 'limit',
          reason: `reached the iteration limit (${state.limits.maxIterations} review rounds)`,
        };
      }
      const end = yield* reviewRound(session);
      if (end.kind === 'stop') return { status: end.status, reason: end.reason };
      continue;
    }
    const end = yield* advanceItem(session, workflow, item);
    if (end.kind === 'stop') return { status: end.status, reason: end.reason };
  }
  return yield* settle(session, workflow);
}

export type { LoopEnd } from './settle.js';
