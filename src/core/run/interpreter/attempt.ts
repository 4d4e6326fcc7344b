import { headCommit } from '../../git/index.js';
import { emptyUsage } from '../../llm/usage.js';
import type { Step, Workflow } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { checkBeforeAttempt } from '../lifecycle/run-identity.js';
import { saveRunState, type RunSession } from '../session.js';
import type { Cursor, Iteration } from '../store/state.js';
import { recoveryOf } from '../steps/index.js';
import type { ItemRef } from './context.js';
import { maxAttemptsOf } from './item-decision.js';

/**
 * Opening an attempt of an item: a new iteration record from the commit the work tree is
 * at (what a failure rolls back to), the cursor at the step it starts from, one
 * checkpoint. A re-entry after the attempt's commit (resume) opens no new record.
 */
export interface Opened {
  cursor: Cursor;
  iteration: Iteration | undefined;
}

export function stepIndex(workflow: Workflow, id: string): number {
  const i = workflow.steps.findIndex((s) => s.id === id);
  if (i < 0) throw new Error(`workflow ${workflow.name} has no step ${id}`);
  return i;
}

/** The most attempts any retry of the workflow allows this item (for the progress line). */
export function attemptsAllowed(session: RunSession, workflow: Workflow, item: ItemRef): number {
  let max = 1;
  for (const s of workflow.steps) {
    if (s.onFailure?.retry) max = Math.max(max, maxAttemptsOf(session, item, s.onFailure));
  }
  return max;
}

export function setCurrent(session: RunSession, cursor: Cursor, step: Step): void {
  session.state.current = {
    specId: cursor.item,
    attempt: cursor.attempt,
    step: recoveryOf(step),
    checkpoint: cursor.checkpoint,
    stepId: step.id,
  };
}

/** The open (not yet judged) iteration of this attempt, if any. */
export function openIteration(
  session: RunSession,
  key: string,
  attempt: number,
): Iteration | undefined {
  const its = session.state.iterations;
  for (let i = its.length - 1; i >= 0; i--) {
    const it = its[i] as Iteration;
    if (it.specId === key && it.attempt === attempt && it.outcome === undefined) return it;
  }
  return undefined;
}

function attemptStart(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  attempt: number,
): RunEventBody {
  return {
    type: 'attempt_start',
    specId: item.key,
    title: item.title,
    iteration: session.state.totals.iterations + 1,
    attempt,
    maxAttempts: attemptsAllowed(session, workflow, item),
  };
}

/**
 * A new attempt starting at step `start`. The results of the steps before it are kept
 * from `previous` (a retry goes back to an earlier step with the failure as feedback).
 */
export async function* openAttempt(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  attempt: number,
  start: string,
  previous: Cursor | null,
): AsyncGenerator<RunEventBody, Opened> {
  const { state } = session;
  for (const message of await checkBeforeAttempt(session)) yield { type: 'warning', message };
  const sha = await headCommit(session.workDir);
  const iteration: Iteration = {
    index: state.iterations.length,
    specId: item.key,
    attempt,
    startedAt: new Date().toISOString(),
    usage: emptyUsage(),
    cost: 0,
    checkpoint: sha,
  };
  state.iterations.push(iteration);
  const s = state.specs[item.key];
  if (s) state.specs[item.key] = { ...s, status: 'in-progress', attempts: attempt };
  const from = stepIndex(workflow, start);
  const steps: Cursor['steps'] = {};
  for (const step of workflow.steps.slice(0, from)) {
    const record = previous?.steps[step.id];
    if (record) steps[step.id] = record;
  }
  const cursor: Cursor = {
    item: item.key,
    attempt,
    start,
    step: start,
    checkpoint: sha,
    steps,
    ...(previous?.feedback ? { feedback: previous.feedback } : {}),
  };
  if (state.workflowRun) state.workflowRun.cursor = cursor;
  setCurrent(session, cursor, workflow.steps[from] as Step);
  await saveRunState(session);
  if (attempt === 1) yield { type: 'spec_status', specId: item.key, status: 'in-progress' };
  yield attemptStart(session, workflow, item, attempt);
  return { cursor, iteration };
}

/**
 * Resume: recovery reset the tree to the cursor's checkpoint (an agent was cut off, or
 * the tree could not be trusted), so the attempt runs again from where it started —
 * with a new record, unless the attempt was already committed (then the steps after
 * that commit run again).
 */
export async function* reopenAttempt(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  cursor: Cursor,
): AsyncGenerator<RunEventBody, Opened> {
  const committed = session.state.iterations.some(
    (it) => it.specId === item.key && it.attempt === cursor.attempt && it.outcome === 'passed',
  );
  if (!committed) {
    const attempt = cursor.attempt;
    return yield* openAttempt(session, workflow, item, attempt, cursor.start, cursor);
  }
  cursor.step = cursor.start;
  setCurrent(session, cursor, workflow.steps[stepIndex(workflow, cursor.start)] as Step);
  await saveRunState(session);
  return { cursor, iteration: undefined };
}

/** Resume inside a step whose changes recovery kept: the open record, announced again. */
export function* continueAttempt(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  cursor: Cursor,
): Generator<RunEventBody, Opened> {
  const iteration = openIteration(session, item.key, cursor.attempt);
  if (iteration) yield attemptStart(session, workflow, item, cursor.attempt);
  return { cursor, iteration };
}
