import { join } from 'node:path';
import { resetTo } from '../../git/index.js';
import type { RunEventBody } from '../events.js';
import { refreshTotals } from './limits.js';
import { saveRunState, type RunSession } from '../session.js';
import type { Iteration } from '../store/state.js';
import type { Failure, StepStop } from '../steps/types.js';
import { freePatchPath, savePatch } from '../lifecycle/workspace.js';

/**
 * How an attempt ends when it does not pass: stopped mid-way (redone on resume), or
 * rejected (feedback kept, the diff saved as a patch, the tree reset to the checkpoint).
 */

/** The run stops in the middle of an agent step; resume redoes the attempt from its checkpoint. */
export async function* stopped(
  session: RunSession,
  iteration: Iteration | undefined,
  end: StepStop,
): AsyncGenerator<RunEventBody, StepStop> {
  if (!iteration) return end;
  iteration.outcome = 'stopped';
  iteration.endedAt = new Date().toISOString();
  await saveRunState(session);
  yield {
    type: 'attempt_end',
    specId: iteration.specId,
    attempt: iteration.attempt,
    outcome: 'stopped',
  };
  return end;
}

/**
 * Rejected (checks failed, no changes, agent gave up): feedback recorded, the diff saved
 * as `attempts/<item>-<n>.patch`, the work tree reset to the checkpoint. A failure after
 * the attempt was committed (no open iteration) undoes only what came after that commit.
 */
export async function* rejected(
  session: RunSession,
  at: { item: string; attempt: number; stepId: string; checkpoint: string },
  iteration: Iteration | undefined,
  verdict: Failure,
): AsyncGenerator<RunEventBody, void> {
  const { state } = session;
  if (iteration) {
    iteration.outcome = verdict.outcome;
    iteration.feedback = verdict.feedback;
    iteration.fingerprint = verdict.fingerprint;
    if (verdict.results.length) iteration.validation = verdict.results;
    iteration.endedAt = new Date().toISOString();
  }
  state.current = {
    specId: at.item,
    attempt: at.attempt,
    step: 'rollback',
    checkpoint: at.checkpoint,
    stepId: at.stepId,
  };
  await saveRunState(session);
  yield { type: 'step', specId: at.item, attempt: at.attempt, step: 'rollback' };
  if (iteration) {
    await rollBack(session, iteration);
    yield {
      type: 'attempt_end',
      specId: at.item,
      attempt: at.attempt,
      outcome: verdict.outcome,
      feedback: verdict.feedback,
      ...(iteration.patch ? { patch: iteration.patch } : {}),
      ...(iteration.criteria ? { criteria: iteration.criteria } : {}),
    };
    yield { type: 'totals', totals: state.totals, limits: state.limits };
    return;
  }
  const file = freePatchPath(session.paths.attempts, `${at.item}-${at.stepId}`);
  const saved = await savePatch(session.workDir, file);
  await resetTo(session.workDir, at.checkpoint);
  state.current = null;
  await saveRunState(session);
  const first = verdict.feedback.split('\n')[0] ?? '';
  yield {
    type: 'warning',
    message: `step ${at.stepId} failed: ${first}${saved ? `; its changes were undone (kept as ${saved})` : ''}`,
  };
}

/** Save the attempt's diff (once) and reset to its checkpoint; idempotent for resume. */
export async function rollBack(session: RunSession, iteration: Iteration): Promise<void> {
  if (!iteration.patch) {
    const file = join(session.paths.attempts, `${iteration.specId}-${iteration.attempt}.patch`);
    const saved = await savePatch(session.workDir, file);
    if (saved) iteration.patch = saved;
  }
  await resetTo(session.workDir, session.state.current?.checkpoint ?? iteration.checkpoint);
  session.state.current = null;
  refreshTotals(session.state);
  await saveRunState(session);
}
