import type { Workflow } from '../../workflow/model.js';
import type { RunEndStatus, RunEventBody } from '../events.js';
import { saveRunState, specById, type RunSession } from '../session.js';
import type { ItemRef } from './context.js';

/** How a run's loop ended (serial or parallel), and what both loops share. */
export interface LoopEnd {
  status: RunEndStatus;
  reason: string;
}

export function specItem(spec: NonNullable<ReturnType<typeof specById>>): ItemRef {
  return { key: spec.id, spec, text: spec.id, title: spec.title };
}

/** No item is left to run: whatever is still pending cannot run. Then the run's result. */
export async function* settle(
  session: RunSession,
  workflow: Workflow,
): AsyncGenerator<RunEventBody, LoopEnd> {
  const { state } = session;
  const specs = workflow.forEach?.kind === 'specs';
  for (const id of state.specOrder) {
    const s = state.specs[id];
    if (s && (s.status === 'pending' || s.status === 'in-progress')) {
      const reason =
        !specs || specById(session, id)
          ? 'its dependencies were not done'
          : 'its spec file is no longer in the spec directory';
      state.specs[id] = { ...s, status: 'blocked', failure: reason };
      yield { type: 'spec_status', specId: id, status: 'blocked', reason };
    }
  }
  await saveRunState(session);
  const noun = specs ? 'spec' : 'item';
  const all = state.specOrder.map((id) => state.specs[id]);
  const done = all.filter((s) => s?.status === 'done').length;
  const failed = all.filter((s) => s?.status === 'failed').length;
  const blocked = all.filter((s) => s?.status === 'blocked').length;
  if (failed + blocked > 0) {
    const parts = [`${done} of ${all.length} ${noun}s done`];
    if (failed) parts.push(`${failed} failed`);
    if (blocked) parts.push(`${blocked} blocked`);
    return { status: 'failed', reason: parts.join(', ') };
  }
  if (all.length === 0) {
    return {
      status: 'completed',
      reason:
        workflow.forEach?.kind === 'specs' && workflow.forEach.propose === 'review'
          ? 'the review found nothing worth doing'
          : `nothing to do: no ${specs ? 'spec is ready' : 'item'}`,
    };
  }
  return { status: 'completed', reason: `all ${done} ${noun}${done === 1 ? '' : 's'} done` };
}
