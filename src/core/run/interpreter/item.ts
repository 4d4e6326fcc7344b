import type { Step, Workflow } from '../../workflow/model.js';
import type { RunEndStatus, RunEventBody } from '../events.js';
import { reachedLimit, refreshTotals } from './limits.js';
import { saveRunState, elapsedMs, type RunSession } from '../session.js';
import type { Cursor } from '../store/state.js';
import { recoveryOf, runStep, type StepEnv, type StepResult } from '../steps/index.js';
import { interrupted } from '../steps/types.js';
import {
  attemptsAllowed,
  continueAttempt,
  openAttempt,
  reopenAttempt,
  setCurrent,
  stepIndex,
  type Opened,
} from './attempt.js';
import { evaluateWhen, expandTemplate, itemContext, type ItemRef } from './context.js';
import { guardsOf, scopeOf, scopedContext } from './expand.js';
import { rejected, stopped } from './rollback.js';
import { failItem, decideItem, maxAttemptsOf } from './item-decision.js';
import { acceptLane } from '../parallel/lane-state.js';

/**
 * One item of a workflow, from wherever the run state says it is to its end: walk the
 * steps in order (a false `when` skips one), and on a failure roll the item's
 * uncommitted changes back and apply the step's `on_failure` — retry from an earlier
 * step with the failure as `${feedback}` while attempts are left, then fail the item,
 * continue with the next step, or stop the run. The state is checkpointed before each
 * step, so a kill at any instant resumes at the step that was running.
 */
export type ItemEnd = { kind: 'next' } | { kind: 'stop'; status: RunEndStatus; reason: string };

type WalkEnd =
  { kind: 'done' } | { kind: 'failed' } | { kind: 'stop'; status: RunEndStatus; reason: string };

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 200);
}

function envOf(session: RunSession, workflow: Workflow, item: ItemRef, opened: Opened): StepEnv {
  const env: StepEnv = {
    session,
    workflow,
    item,
    cursor: opened.cursor,
    iteration: opened.iteration,
    notes: {},
    context: () =>
      scopedContext(
        itemContext(session, workflow, item, env.cursor),
        env.step ? scopeOf(env.step) : undefined,
        expandTemplate,
      ),
  };
  return env;
}

/** What a failed step's `on_failure` leads to, once its rollback is done. */
async function* afterFailure(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  cursor: Cursor,
): AsyncGenerator<RunEventBody, ItemEnd | Opened> {
  const step = workflow.steps[stepIndex(workflow, cursor.step)] as Step;
  const onFailure = step.onFailure;
  let reason = `step ${step.id} failed: ${firstLine(cursor.feedback ?? '')}`;
  if (onFailure?.retry) {
    const decision = decideItem(session, item, maxAttemptsOf(session, item, onFailure));
    if (decision.kind === 'attempt') {
      const limit = reachedLimit(session.state, elapsedMs(session));
      if (limit) return { kind: 'stop', status: 'limit', reason: limit };
      if (session.stopper.stopping) return interrupted();
      return yield* openAttempt(session, workflow, item, decision.attempt, onFailure.retry, cursor);
    }
    reason = decision.reason;
  }
  switch (onFailure?.then ?? 'fail') {
    case 'fail':
      yield* failItem(session, item.key, reason);
      return { kind: 'next' };
    case 'stop':
      yield* failItem(session, item.key, reason);
      return { kind: 'stop', status: 'failed', reason: `${reason} (on_failure: then: stop)` };
    case 'continue': {
      const next = workflow.steps[stepIndex(workflow, step.id) + 1];
      cursor.failed = false;
      if (next) {
        cursor.step = next.id;
        cursor.start = next.id;
        setCurrent(session, cursor, next);
      }
      await saveRunState(session);
      return { cursor, iteration: undefined, ...(next ? {} : { done: true }) } as Opened;
    }
  }
}

export async function* advanceItem(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
): AsyncGenerator<RunEventBody, ItemEnd> {
  const run = session.state.workflowRun;
  if (!run) throw new Error('the run records no workflow');
  for (;;) {
    const cursor = run.cursor && run.cursor.item === item.key ? run.cursor : null;
    let opened: ItemEnd | Opened;
    if (!cursor) {
      // Attempts recorded without a cursor (a run from before workflows): the retry limit holds.
      const decision = decideItem(session, item, attemptsAllowed(session, workflow, item));
      if (decision.kind === 'failed') {
        yield* failItem(session, item.key, decision.reason);
        return { kind: 'next' };
      }
      const limit = reachedLimit(session.state, elapsedMs(session));
      if (limit) return { kind: 'stop', status: 'limit', reason: limit };
      const first = workflow.steps[0];
      if (!first) return yield* completeItem(session, item, undefined);
      opened = yield* openAttempt(session, workflow, item, decision.attempt, first.id, null);
    } else if (cursor.failed) {
      opened = yield* afterFailure(session, workflow, item, cursor);
    } else if (!session.state.current) {
      opened = yield* reopenAttempt(session, workflow, item, cursor);
    } else {
      opened = yield* continueAttempt(session, workflow, item, cursor);
    }
    if ('kind' in opened) return opened;
    if ((opened as Opened & { done?: boolean }).done) {
      return yield* completeItem(session, item, undefined);
    }
    const env = envOf(session, workflow, item, opened);
    const end = yield* walk(env);
    if (end.kind === 'done') return yield* completeItem(session, item, env);
    if (end.kind === 'stop') return end;
  }
}

async function* walk(env: StepEnv): AsyncGenerator<RunEventBody, WalkEnd> {
  const { session, workflow, item, cursor } = env;
  const run = session.state.workflowRun;
  for (let i = stepIndex(workflow, cursor.step); i < workflow.steps.length; i++) {
    const step = workflow.steps[i] as Step;
    cursor.step = step.id;
    setCurrent(session, cursor, step);
    await saveRunState(session);
    if (session.stopper.stopping) return interrupted();
    const base = { specId: item.key, attempt: cursor.attempt, id: step.id, kind: step.kind };
    env.step = step;
    let result: StepResult | undefined;
    let skipped: string | undefined;
    // The `when` of an expanded workflow step guards each of its steps.
    const top = itemContext(session, workflow, item, cursor);
    const guards = guardsOf(top, scopeOf(step), expandTemplate);
    if (step.when) guards.push({ when: step.when, context: env.context() });
    for (const guard of guards) {
      const when = evaluateWhen(guard.when, guard.context);
      if (!when.ok) {
        result = {
          kind: 'failed',
          failure: { outcome: 'failed', feedback: when.message, fingerprint: 'when', results: [] },
        };
        break;
      }
      if (!when.value) {
        skipped = guard.when;
        break;
      }
    }
    if (skipped !== undefined) {
      cursor.steps[step.id] = { kind: step.kind, ok: false, skipped: true };
      yield {
        type: 'step_end',
        ...base,
        outcome: 'skipped',
        durationMs: 0,
        reason: `when: ${skipped}`,
      };
      continue;
    }
    yield { type: 'step_start', ...base };
    const started = Date.now();
    result ??= yield* runStep(env, step);
    const durationMs = Date.now() - started;
    if (result.kind === 'stop') {
      yield { type: 'step_end', ...base, outcome: 'stopped', durationMs, reason: result.reason };
      const redo = recoveryOf(step) === 'agent' || recoveryOf(step) === 'goal_seek';
      const end = redo ? yield* stopped(session, env.iteration, result) : result;
      return { kind: 'stop', status: end.status, reason: end.reason };
    }
    const ok = result.kind === 'ok';
    cursor.steps[step.id] = {
      kind: step.kind,
      ok,
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.changed !== undefined ? { changed: result.changed } : {}),
      ...(result.kind === 'failed' ? { failure: result.failure.feedback } : {}),
      durationMs,
    };
    if (ok && step.kind === 'shell' && step.capture && run) {
      run.captured = { ...run.captured, [step.capture]: result.output ?? '' };
    }
    if (result.kind === 'ok') {
      yield { type: 'step_end', ...base, outcome: 'ok', durationMs };
      continue;
    }
    yield {
      type: 'step_end',
      ...base,
      outcome: 'failed',
      durationMs,
      reason: firstLine(result.failure.feedback),
    };
    cursor.failed = true;
    cursor.feedback = result.failure.feedback;
    yield* rejected(
      session,
      { item: item.key, attempt: cursor.attempt, stepId: step.id, checkpoint: cursor.checkpoint },
      env.iteration,
      result.failure,
    );
    env.iteration = undefined;
    return { kind: 'failed' };
  }
  return { kind: 'done' };
}

/** Every step ran: the item is done (an attempt without a commit step passes here). */
async function* completeItem(
  session: RunSession,
  item: ItemRef,
  env: StepEnv | undefined,
): AsyncGenerator<RunEventBody, ItemEnd> {
  const { state } = session;
  const iteration = env?.iteration;
  if (iteration) {
    iteration.outcome = 'passed';
    iteration.endedAt = new Date().toISOString();
  }
  const s = state.specs[item.key];
  // In a lane, the item waits to be merged: the merge marks it done (run/parallel).
  const newlyDone = s !== undefined && s.status !== 'done' && !session.lane;
  if (s && newlyDone) state.specs[item.key] = { ...s, status: 'done' };
  if (session.lane) acceptLane(session, item.key);
  if (state.workflowRun) state.workflowRun.cursor = null;
  state.current = null;
  refreshTotals(state);
  await saveRunState(session);
  if (iteration) {
    yield { type: 'attempt_end', specId: item.key, attempt: iteration.attempt, outcome: 'passed' };
  }
  if (newlyDone) yield { type: 'spec_status', specId: item.key, status: 'done' };
  if (iteration || newlyDone) yield { type: 'totals', totals: state.totals, limits: state.limits };
  return { kind: 'next' };
}
