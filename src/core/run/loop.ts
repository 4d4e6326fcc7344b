import type { Spec } from '../specs/model.js';
import type { RunEndStatus, RunEventBody } from './events.js';
import { runAttempt, type AttemptEnd } from './attempt.js';
import { countsAsIteration, reachedLimit, specBudgetSpent } from './limits.js';
import { blockDependents, nextSpec } from './plan.js';
import { formatStep, reviewRound } from './review.js';
import { checkpoint, elapsedMs, specById, type RunSession } from './session.js';

/**
 * The improve loop: pick the next ready spec → attempt it (checkpoint, agent, validate,
 * commit or roll back) → retry with feedback up to its attempt limit, stop it on
 * stagnation → block its dependents if it failed → next spec. In the review workflow a
 * review round proposes the next spec whenever none is left. Limits are checked before
 * every attempt and every review round. Yields the run's events; returns how it ended.
 */
export interface LoopEnd {
  status: RunEndStatus;
  reason: string;
}

type Verdict = { kind: 'attempt'; attempt: number } | { kind: 'failed'; reason: string };

/** Stagnation: this many attempts in a row with the same failure fingerprint. */
export const STAGNATION_REPEATS = 3;

/** What to do with a spec, from its recorded attempts (so resume decides the same). */
export function specVerdict(session: RunSession, spec: Spec): Verdict {
  const max = spec.maxAttempts ?? session.config.max_attempts;
  const attempts = session.state.iterations.filter(
    (it) => it.specId === spec.id && countsAsIteration(it),
  );
  const last = attempts.at(-1);
  const spent = specBudgetSpent(session.state, spec.id, spec.budget);
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

async function* failSpec(
  session: RunSession,
  spec: Spec,
  reason: string,
): AsyncGenerator<RunEventBody, void> {
  const { state } = session;
  const s = state.specs[spec.id];
  if (s) state.specs[spec.id] = { ...s, status: 'failed', failure: reason };
  const blocked = blockDependents(state, session.specs, spec.id);
  await checkpoint(session);
  yield { type: 'spec_status', specId: spec.id, status: 'failed', reason };
  for (const id of blocked) {
    yield {
      type: 'spec_status',
      specId: id,
      status: 'blocked',
      reason: `depends on ${spec.id}, which failed`,
    };
  }
}

function stopOf(end: AttemptEnd): LoopEnd | undefined {
  return end.kind === 'stop' ? { status: end.status, reason: end.reason } : undefined;
}

/** Continue what an interruption left half done (recovery has already reset the tree). */
async function* resumeCurrent(
  session: RunSession,
): AsyncGenerator<RunEventBody, LoopEnd | undefined> {
  const current = session.state.current;
  if (!current) return undefined;
  if (current.step === 'fix') {
    return stopOf(yield* formatStep(session, current.specId, current.attempt));
  }
  if (current.step !== 'validate' && current.step !== 'commit') return undefined;
  const spec = specById(session, current.specId);
  if (!spec) return undefined;
  const end = yield* runAttempt(session, spec, current.attempt, current.step);
  const stop = stopOf(end);
  if (stop) return stop;
  return yield* afterAttempt(session, spec);
}

/** After an attempt: the formatter when the spec passed (review workflow). */
async function* afterAttempt(
  session: RunSession,
  spec: Spec,
): AsyncGenerator<RunEventBody, LoopEnd | undefined> {
  const { state } = session;
  if (state.workflow !== 'review' || state.specs[spec.id]?.status !== 'done') return undefined;
  const attempt = state.specs[spec.id]?.attempts ?? 1;
  return stopOf(yield* formatStep(session, spec.id, attempt));
}

export async function* runLoop(session: RunSession): AsyncGenerator<RunEventBody, LoopEnd> {
  const { state, stopper } = session;
  const resumed = yield* resumeCurrent(session);
  if (resumed) return resumed;
  for (;;) {
    if (stopper.stopping) return { status: 'interrupted', reason: 'interrupted by a signal' };
    const spec = nextSpec(state, session.specs);
    if (!spec) {
      if (state.workflow !== 'review' || state.review?.finished) break;
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
      const stop = stopOf(yield* reviewRound(session));
      if (stop) return stop;
      continue;
    }
    const verdict = specVerdict(session, spec);
    if (verdict.kind === 'failed') {
      yield* failSpec(session, spec, verdict.reason);
      continue;
    }
    const limit = reachedLimit(state, elapsedMs(session));
    if (limit) return { status: 'limit', reason: limit };
    const stop = stopOf(yield* runAttempt(session, spec, verdict.attempt));
    if (stop) return stop;
    const after = yield* afterAttempt(session, spec);
    if (after) return after;
  }
  return yield* settle(session);
}

/** No spec is ready any more: whatever is still pending cannot run. Then the verdict. */
async function* settle(session: RunSession): AsyncGenerator<RunEventBody, LoopEnd> {
  const { state } = session;
  for (const id of state.specOrder) {
    const s = state.specs[id];
    if (s && (s.status === 'pending' || s.status === 'in-progress')) {
      const reason = specById(session, id)
        ? 'its dependencies were not done'
        : 'its spec file is no longer in the spec directory';
      state.specs[id] = { ...s, status: 'blocked', failure: reason };
      yield { type: 'spec_status', specId: id, status: 'blocked', reason };
    }
  }
  await checkpoint(session);
  const all = state.specOrder.map((id) => state.specs[id]);
  const done = all.filter((s) => s?.status === 'done').length;
  const failed = all.filter((s) => s?.status === 'failed').length;
  const blocked = all.filter((s) => s?.status === 'blocked').length;
  if (failed + blocked > 0) {
    const parts = [`${done} of ${all.length} specs done`];
    if (failed) parts.push(`${failed} failed`);
    if (blocked) parts.push(`${blocked} blocked`);
    return { status: 'failed', reason: parts.join(', ') };
  }
  if (all.length === 0) {
    return {
      status: 'completed',
      reason:
        state.workflow === 'review'
          ? 'the review found nothing worth doing'
          : 'nothing to do: no spec is ready',
    };
  }
  return { status: 'completed', reason: `all ${done} spec${done === 1 ? '' : 's'} done` };
}
