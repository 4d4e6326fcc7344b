import { hasChanges } from '../../git/index.js';
import { validateAttempt } from '../../validate/index.js';
import { judgeAttempt, type AttemptVerdict } from '../../verdict/attempt-verdict.js';
import { sessionRunOptions } from '../../verdict/baseline-step.js';
import { verdictFeedback, verdictFingerprint, verdictSummary } from '../../verdict/feedback.js';
import { formatGuardFeedback, guardFingerprint } from '../../verdict/guard.js';
import { guardAttempt } from '../../verdict/guard-git.js';
import { evidenceFailure, evidenceFingerprint, judgeCriteria } from '../../verdict/evidence.js';
import { attemptChecks } from '../../verdict/evidence-checks.js';
import { removedTestLinesOf, testsWentAway } from '../../verdict/removed-test-lines.js';
import type { ValidateStep } from '../../workflow/model.js';
import type { CheckResult, RunEventBody } from '../events.js';
import { NO_CHANGES_FEEDBACK } from './prompts.js';
import { guardOptions } from './guard-options.js';
import { failed, interrupted, type StepEnv, type StepResult } from './types.js';

/**
 * `validate:` — the item's uncommitted changes judged: the project's commands against the
 * baseline (no new failure), the spec's checks, the integrity guard (the diff may not
 * weaken what judges it), and for a spec each criterion's evidence. Fails with feedback
 * that names what broke; a tree without changes fails as `no_changes`.
 */
export async function* validateStepKind(
  env: StepEnv,
  step: ValidateStep,
): AsyncGenerator<RunEventBody, StepResult> {
  const { session, item, cursor, iteration } = env;
  const { state, stopper } = session;
  const spec = step.checks ? item.spec : undefined;
  const checks = spec ? attemptChecks(spec) : [];
  // `commands: [lint]` limits the project's commands to those named.
  const commands = step.commands
    ? session.commands.filter((c) => !step.only || step.only.includes(c.name))
    : [];
  yield { type: 'step', specId: item.key, attempt: cursor.attempt, step: 'validate' };
  // A merge's changes are committed already (run/parallel/merge.ts): judged from the checkpoint.
  if (!env.merging && !(await hasChanges(session.workDir))) {
    return failed(NO_CHANGES_FEEDBACK, 'no_changes', 'no_changes');
  }
  const scope = stopper.stepSignal();
  let passed: boolean;
  let judged: AttemptVerdict;
  let results: CheckResult[];
  try {
    ({ results } = await validateAttempt({
      root: session.workDir,
      commands,
      checks,
      timeoutSec: session.config.validate.timeout,
      signal: scope.signal,
      sandbox: session.tools.sandbox,
      policy: session.config.tools,
    }));
    // The verdict (core/verdict): no new failure against the baseline, spec checks pass.
    judged = await judgeAttempt({
      results,
      commands,
      baseline: state.baseline,
      iterations: state.iterations,
      options: sessionRunOptions(session, scope.signal),
    });
    ({ passed, results } = judged);
    if (state.baseline && judged.newlyFlaky.length) {
      state.baseline.flaky = [...state.baseline.flaky, ...judged.newlyFlaky];
    }
  } catch (error) {
    if (stopper.stopping) return interrupted();
    throw error;
  } finally {
    scope.dispose();
  }
  yield {
    type: 'validation',
    specId: item.key,
    attempt: cursor.attempt,
    passed,
    checks: results,
    verdict: verdictSummary(judged.verdict),
  };
  // --- integrity guard (verdict/guard.ts): the diff may not weaken what judges it ---
  // Checked whatever the verdict, so a cheat's feedback names the vanished tests and
  // the deleted lines together.
  const guardOpts = guardOptions(env, checks, results);
  const violations = await guardAttempt(guardOpts);
  if (!passed || violations.length) {
    const removed = testsWentAway(judged.verdict)
      ? await removedTestLinesOf(session.workDir, cursor.checkpoint, guardOpts.knownTestFiles)
      : undefined;
    const feedback = [
      passed ? undefined : verdictFeedback(judged.verdict, results),
      removed,
      violations.length ? formatGuardFeedback(violations) : undefined,
      env.notes.agent,
    ]
      .filter(Boolean)
      .join('\n\n');
    const fingerprint = [
      passed ? undefined : verdictFingerprint(judged.verdict),
      violations.length ? guardFingerprint(violations) : undefined,
    ]
      .filter(Boolean)
      .join('+');
    return { kind: 'failed', failure: { outcome: 'failed', feedback, fingerprint, results } };
  }
  // --- end integrity guard ---
  // --- evidence (verdict/evidence.ts): criteria are ticked only with verified evidence ---
  if (spec && iteration) {
    iteration.criteria = judgeCriteria({
      criteria: spec.criteria,
      reports: iteration.evidence ?? [],
      results,
    });
    const unproven = evidenceFailure(iteration.criteria, session.config.validate.require_evidence);
    if (unproven) {
      return {
        kind: 'failed',
        failure: {
          outcome: 'failed',
          feedback: unproven,
          fingerprint: evidenceFingerprint(iteration.criteria),
          results,
        },
      };
    }
  }
  // --- end evidence ---
  if (iteration) iteration.validation = results;
  env.results = results;
  return { kind: 'ok', output: results.map((r) => `${r.name}: ${r.summary}`).join('\n') };
}
