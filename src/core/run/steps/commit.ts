import { commitAll, hasChanges } from '../../git/index.js';
import { logger } from '../../log.js';
import { findSecretsInChanges, secretFeedback } from '../../secrets/diff-scan.js';
import { unverified, verifiedIndices } from '../../verdict/evidence.js';
import type { CommitStep } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { expandTemplate, TemplateError } from '../interpreter/context.js';
import { refreshTotals } from '../interpreter/limits.js';
import { commitMessage } from './prompts.js';
import { keepAccepted } from '../lifecycle/run-identity.js';
import { saveRunState } from '../session.js';
import { markSpecDone } from './spec-done.js';
import { describeHead } from '../lifecycle/workspace.js';
import { failed, type StepEnv, type StepResult } from './types.js';

const log = logger('improve');

/** mmm's trailers on every commit of a run; `Mmm-Step` names a commit step other than `commit`. */
export function commitTrailers(
  runId: string,
  item: string,
  attempt: number,
  stepId: string,
): Record<string, string> {
  return {
    'Mmm-Run': runId,
    'Mmm-Spec': item,
    'Mmm-Attempt': String(attempt),
    ...(stepId === 'commit' ? {} : { 'Mmm-Step': stepId }),
  };
}

/** HEAD is this step's commit, made just before an interruption. */
export function isStepCommit(
  head: { sha: string; parent: string | null; trailers: Record<string, string> },
  base: string,
  trailers: Record<string, string>,
): boolean {
  if (head.sha !== base && head.parent !== base) return false;
  if (head.trailers['Mmm-Step'] !== trailers['Mmm-Step']) return false;
  return (['Mmm-Run', 'Mmm-Spec', 'Mmm-Attempt'] as const).every(
    (k) => head.trailers[k] === trailers[k],
  );
}

/**
 * `commit:` — the item's changes in one commit with mmm's trailers, never with a secret
 * value in it (the attempt is rejected instead). The first commit of a spec's attempt
 * accepts it: the spec file is marked done (criteria ticked only with verified
 * evidence) and the message carries the agent's summary, the evidence and the checks.
 */
export async function* commitStepKind(
  env: StepEnv,
  step: CommitStep,
): AsyncGenerator<RunEventBody, StepResult> {
  const { session, item, cursor } = env;
  const { state } = session;
  const iteration = env.iteration;
  const spec = item.spec;
  let subject: string;
  try {
    subject = expandTemplate(step.message, env.context()).trim() || item.title;
  } catch (error) {
    if (error instanceof TemplateError) return failed(error.message, 'template');
    throw error;
  }
  const { attempt } = cursor;
  yield { type: 'step', specId: item.key, attempt, step: 'commit' };
  const trailers = commitTrailers(state.runId, item.key, attempt, step.id);
  const results = env.results ?? iteration?.validation ?? [];
  const head = await describeHead(session.workDir);
  let sha: string;
  if (isStepCommit(head, cursor.checkpoint, trailers)) {
    // Committed just before an interruption: keep that commit.
    sha = head.sha;
  } else {
    if (!(await hasChanges(session.workDir))) {
      if (spec && iteration)
        return failed('There was nothing to commit.', 'no_changes', 'no_changes');
      return { kind: 'ok', output: '' };
    }
    // A secret value written into a file (by the agent or a check script) is never
    // committed: the attempt is rejected, naming the files, and rolled back.
    const leaks = await findSecretsInChanges(session.workDir, cursor.checkpoint);
    if (leaks.length) {
      return {
        kind: 'failed',
        failure: {
          outcome: 'failed',
          feedback: secretFeedback(leaks),
          fingerprint: `secret:${leaks.map((l) => l.file).join(',')}`,
          results,
        },
      };
    }
    if (spec && iteration) {
      // Never hangs nor writes through a link; a refused write-back still commits the work.
      // Only criteria with verified evidence are ticked (verdict/evidence.ts).
      const tick = verifiedIndices(iteration.criteria ?? []);
      for (const message of await markSpecDone(
        session.workDir,
        spec.file,
        cursor.checkpoint,
        tick,
        {
          ...(spec.layout ? { layout: spec.layout } : {}),
          ...(spec.taskId ? { taskId: spec.taskId } : {}),
        },
      )) {
        log.warn('spec file write-back', { file: spec.file, message });
        yield { type: 'warning', message };
      }
    }
    sha = await commitAll(
      session.workDir,
      commitMessage(subject, iteration?.summary ?? '', results, iteration?.criteria),
      trailers,
    );
  }
  await keepAccepted(session, item.key, sha);
  cursor.checkpoint = sha;
  env.results = undefined;
  if (!iteration) {
    await saveRunState(session);
    return { kind: 'ok', output: sha };
  }
  // The attempt is accepted.
  iteration.outcome = 'passed';
  // A lane's commit is not on the run branch yet: the merge records the one that is.
  if (!session.lane) iteration.commit = sha;
  iteration.validation = results;
  iteration.endedAt = new Date().toISOString();
  env.iteration = undefined;
  const s = state.specs[item.key];
  const open = unverified(iteration.criteria ?? []).map((v) => `${v.n}. ${v.text}`);
  // In a lane the spec is done only once merged onto the run branch and validated there.
  const lane = session.lane !== undefined;
  if (s) {
    state.specs[item.key] = {
      ...s,
      ...(lane ? {} : { status: 'done' as const, commit: sha }),
      ...(open.length ? { unverified: open } : {}),
    };
  }
  refreshTotals(state);
  await saveRunState(session);
  yield {
    type: 'attempt_end',
    specId: item.key,
    attempt,
    outcome: 'passed',
    commit: sha,
    ...(iteration.criteria ? { criteria: iteration.criteria } : {}),
  };
  if (!lane) yield { type: 'spec_status', specId: item.key, status: 'done' };
  yield { type: 'totals', totals: state.totals, limits: state.limits };
  return { kind: 'ok', output: sha };
}
