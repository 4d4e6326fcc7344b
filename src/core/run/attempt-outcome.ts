import { join } from 'node:path';
import { commitAll, resetTo } from '../git/index.js';
import { logger } from '../log.js';
import { findSecretsInChanges, secretFeedback } from '../secrets/diff-scan.js';
import { unverified, verifiedIndices } from '../verdict/evidence.js';
import type { Spec } from '../specs/model.js';
import type { AttemptOutcome, CheckResult, RunEventBody } from './events.js';
import type { AttemptEnd } from './attempt.js';
import { refreshTotals } from './limits.js';
import { commitMessage } from './prompts.js';
import { checkpoint, type RunSession } from './session.js';
import type { Iteration } from './state.js';
import { describeHead, savePatch } from './workspace.js';
import { markSpecDone } from './spec-done.js';
import { keepAccepted } from './run-identity.js';

const log = logger('improve');

/**
 * How an attempt ends: stopped mid-way (redone on resume), accepted (one commit with the
 * spec marked done), or rejected (feedback kept, diff saved as a patch, tree reset).
 */

export function trailersOf(
  session: RunSession,
  specId: string,
  attempt: number,
): Record<string, string> {
  return { 'Mmm-Run': session.state.runId, 'Mmm-Spec': specId, 'Mmm-Attempt': String(attempt) };
}

/** The run stops in the middle of the agent step; resume redoes it from the checkpoint. */
export async function* stopped(
  session: RunSession,
  iteration: Iteration,
  end: AttemptEnd,
): AsyncGenerator<RunEventBody, AttemptEnd> {
  iteration.outcome = 'stopped';
  iteration.endedAt = new Date().toISOString();
  await checkpoint(session);
  yield {
    type: 'attempt_end',
    specId: iteration.specId,
    attempt: iteration.attempt,
    outcome: 'stopped',
  };
  return end;
}

/** Passed: the spec file marked done, everything committed in one commit with trailers. */
export async function* accepted(
  session: RunSession,
  spec: Spec,
  iteration: Iteration,
  results: CheckResult[],
): AsyncGenerator<RunEventBody, AttemptEnd> {
  const { state } = session;
  const { attempt } = iteration;
  yield { type: 'step', specId: spec.id, attempt, step: 'commit' };
  const trailers = trailersOf(session, spec.id, attempt);
  const head = await describeHead(session.workDir);
  let sha: string;
  if (
    head.sha !== iteration.checkpoint &&
    head.parent === iteration.checkpoint &&
    head.trailers['Mmm-Run'] === trailers['Mmm-Run'] &&
    head.trailers['Mmm-Spec'] === trailers['Mmm-Spec'] &&
    head.trailers['Mmm-Attempt'] === trailers['Mmm-Attempt']
  ) {
    // Committed just before an interruption: keep that commit.
    sha = head.sha;
  } else {
    // A secret value written into a file (by the agent or a check script) is never
    // committed: the attempt is rejected, naming the files, and rolled back.
    const leaks = await findSecretsInChanges(session.workDir, iteration.checkpoint);
    if (leaks.length) {
      return yield* rejected(session, spec, iteration, {
        outcome: 'failed',
        feedback: secretFeedback(leaks),
        fingerprint: `secret:${leaks.map((l) => l.file).join(',')}`,
        results,
      });
    }
    // Never hangs nor writes through a link; a refused write-back still commits the work.
    // Only criteria with verified evidence are ticked (verdict/evidence.ts).
    const tick = verifiedIndices(iteration.criteria ?? []);
    for (const message of await markSpecDone(
      session.workDir,
      spec.file,
      iteration.checkpoint,
      tick,
      {
        ...(spec.layout ? { layout: spec.layout } : {}),
        ...(spec.taskId ? { taskId: spec.taskId } : {}),
      },
    )) {
      log.warn('spec file write-back', { file: spec.file, message });
      yield { type: 'warning', message };
    }
    sha = await commitAll(
      session.workDir,
      commitMessage(spec.title, iteration.summary ?? '', results, iteration.criteria),
      trailers,
    );
  }
  await keepAccepted(session, spec.id, sha);
  iteration.outcome = 'passed';
  iteration.commit = sha;
  iteration.validation = results;
  iteration.endedAt = new Date().toISOString();
  const s = state.specs[spec.id];
  const open = unverified(iteration.criteria ?? []).map((v) => `${v.n}. ${v.text}`);
  if (s) {
    state.specs[spec.id] = {
      ...s,
      status: 'done',
      commit: sha,
      ...(open.length ? { unverified: open } : {}),
    };
  }
  state.current = null;
  refreshTotals(state);
  await checkpoint(session);
  yield {
    type: 'attempt_end',
    specId: spec.id,
    attempt,
    outcome: 'passed',
    commit: sha,
    ...(iteration.criteria ? { criteria: iteration.criteria } : {}),
  };
  yield { type: 'spec_status', specId: spec.id, status: 'done' };
  yield { type: 'totals', totals: state.totals, limits: state.limits };
  return { kind: 'continue' };
}

/**
 * Rejected (checks failed, no changes, agent gave up): feedback recorded, the diff saved
 * as `attempts/<spec>-<n>.patch`, the work tree reset to the checkpoint.
 */
export async function* rejected(
  session: RunSession,
  spec: Spec,
  iteration: Iteration,
  verdict: {
    outcome: AttemptOutcome;
    feedback: string;
    fingerprint: string;
    results: CheckResult[];
  },
): AsyncGenerator<RunEventBody, AttemptEnd> {
  const { state } = session;
  const { attempt } = iteration;
  iteration.outcome = verdict.outcome;
  iteration.feedback = verdict.feedback;
  iteration.fingerprint = verdict.fingerprint;
  if (verdict.results.length) iteration.validation = verdict.results;
  iteration.endedAt = new Date().toISOString();
  state.current = { specId: spec.id, attempt, step: 'rollback', checkpoint: iteration.checkpoint };
  await checkpoint(session);
  yield { type: 'step', specId: spec.id, attempt, step: 'rollback' };
  await rollBack(session, iteration);
  yield {
    type: 'attempt_end',
    specId: spec.id,
    attempt,
    outcome: verdict.outcome,
    feedback: verdict.feedback,
    ...(iteration.patch ? { patch: iteration.patch } : {}),
    ...(iteration.criteria ? { criteria: iteration.criteria } : {}),
  };
  yield { type: 'totals', totals: state.totals, limits: state.limits };
  return { kind: 'continue' };
}

/** Save the attempt's diff (once) and reset to its checkpoint; idempotent for resume. */
export async function rollBack(session: RunSession, iteration: Iteration): Promise<void> {
  if (!iteration.patch) {
    const file = join(session.paths.attempts, `${iteration.specId}-${iteration.attempt}.patch`);
    const saved = await savePatch(session.workDir, file);
    if (saved) iteration.patch = saved;
  }
  await resetTo(session.workDir, iteration.checkpoint);
  session.state.current = null;
  refreshTotals(session.state);
  await checkpoint(session);
}
