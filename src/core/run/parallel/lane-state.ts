import type { Workflow } from '../../workflow/model.js';
import type { RunSession } from '../session.js';
import type { Lane, ParallelState, RunState } from '../store/state.js';

/** The lane records of a parallel run (state.parallel), read and changed in one place. */

export function parallelOf(state: RunState): ParallelState {
  if (!state.parallel) throw new Error('the run records no parallel lanes');
  return state.parallel;
}

function laneOf(state: RunState, specId: string): Lane | undefined {
  return state.parallel?.lanes[specId];
}

/** Every step of the lane's item ran: its work waits in the merge queue. */
export function acceptLane(session: RunSession, specId: string): void {
  const lane = laneOf(session.sharedState ?? session.state, specId);
  if (lane) lane.phase = 'accepted';
}

/** Open lanes in spec order (the merge order of independent specs). */
export function lanesInOrder(state: RunState): Lane[] {
  const lanes = state.parallel?.lanes ?? {};
  const order = state.specOrder.filter((id) => lanes[id]);
  const rest = Object.keys(lanes).filter((id) => !order.includes(id));
  return [...order, ...rest].map((id) => lanes[id] as Lane);
}

/**
 * How many lanes the run works with: config `parallel` (`--parallel`), or the width a
 * resumed parallel run was started with (so a plain `--resume` goes on in lanes, and its
 * resume clears what a kill left of them, whether or not lanes were open). 1 = serial. Only `for_each: specs` workflows that
 * do not propose their own specs (the review workflow writes one spec at a time) run in
 * lanes; any other workflow runs serially whatever the setting.
 */
export function parallelWidth(session: RunSession, workflow: Workflow): number {
  const forEach = workflow.forEach;
  if (forEach?.kind !== 'specs' || forEach.propose === 'review') return 1;
  return Math.max(session.config.parallel, session.state.parallel?.width ?? 1);
}
