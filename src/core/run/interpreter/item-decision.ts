import type { OnFailure } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { countsAsIteration, specBudgetSpent } from './limits.js';
import { blockDependents } from './plan.js';
import { saveRunState, type RunSession } from '../session.js';
import type { ItemRef } from './context.js';

/**
 * Whether an item gets another attempt, decided from its recorded attempts only (so a
 * resumed run decides the same): its budget, a tool loop, the attempt limit, stagnation.
 */
export type ItemDecision =
  { kind: 'attempt'; attempt: number } | { kind: 'failed'; reason: string };

/** Stagnation: this many attempts in a row with the same failure fingerprint. */
export const STAGNATION_REPEATS = 3;

/** The attempts a retry allows: the spec's own `max_attempts:`, else the file's or the config's. */
export function maxAttemptsOf(
  session: RunSession,
  item: ItemRef,
  onFailure: OnFailure | undefined,
): number {
  if (!onFailure?.retry) return 1;
  if (item.spec?.maxAttempts !== undefined) return item.spec.maxAttempts;
  return onFailure.maxAttemptsFromConfig ? session.config.max_attempts : onFailure.maxAttempts;
}

export function decideItem(session: RunSession, item: ItemRef, max: number): ItemDecision {
  const attempts = session.state.iterations.filter(
    (it) => it.specId === item.key && countsAsIteration(it),
  );
  const last = attempts.at(-1);
  const spent = item.spec
    ? specBudgetSpent(session.state, item.spec.id, item.spec.budget)
    : undefined;
  if (spent) return { kind: 'failed', reason: spent };
  if (last?.fingerprint === 'agent:tool_loop') {
    return { kind: 'failed', reason: 'stagnation: the agent kept repeating the same tool call' };
  }
  if (attempts.length >= max) {
    return { kind: 'failed', reason: `all ${max} attempt${max === 1 ? '' : 's'} failed` };
  }
  const recent = attempts.slice(-STAGNATION_REPEATS);
  const fp = recent[0]?.fingerprint;
  if (recent.length === STAGNATION_REPEATS && fp && recent.every((it) => it.fingerprint === fp)) {
    return {
      kind: 'failed',
      reason: `stagnation: the same failure ${STAGNATION_REPEATS} attempts in a row`,
    };
  }
  return { kind: 'attempt', attempt: attempts.length + 1 };
}

/** The item failed: recorded, its dependents (specs) blocked, the cursor cleared. */
export async function* failItem(
  session: RunSession,
  key: string,
  reason: string,
): AsyncGenerator<RunEventBody, void> {
  const { state } = session;
  const s = state.specs[key];
  if (s) state.specs[key] = { ...s, status: 'failed', failure: reason };
  const blocked = blockDependents(state, session.specs, key);
  if (state.workflowRun) state.workflowRun.cursor = null;
  state.current = null;
  await saveRunState(session);
  yield { type: 'spec_status', specId: key, status: 'failed', reason };
  for (const id of blocked) {
    yield {
      type: 'spec_status',
      specId: id,
      status: 'blocked',
      reason: `depends on ${key}, which failed`,
    };
  }
}
