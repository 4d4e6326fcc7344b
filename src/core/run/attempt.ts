import { buildSystemPrompt, taskMessage, type AgentResult } from '../agent/index.js';
import { hasChanges, headCommit } from '../git/index.js';
import { identityProblems, pinOf } from '../git/pin.js';
import { emptyUsage } from '../llm/usage.js';
import type { Spec, SpecCheck } from '../specs/model.js';
import { validateAttempt } from '../validate/index.js';
import { judgeAttempt, type AttemptVerdict } from '../verdict/attempt-verdict.js';
import { sessionRunOptions } from '../verdict/baseline-step.js';
import { verdictFeedback, verdictFingerprint, verdictSummary } from '../verdict/feedback.js';
import { formatGuardFeedback, guardFingerprint } from '../verdict/guard.js';
import { guardAttempt, protectedForPrompt, type GuardOptions } from '../verdict/guard-git.js';
import { evidenceFailure, evidenceFingerprint, judgeCriteria } from '../verdict/evidence.js';
import { attemptChecks, checkResultName } from '../verdict/evidence-checks.js';
import type { EvidenceSink } from '../tools/index.js';
import { testFilesOf } from '../verdict/guard-test-files.js';
import { removedTestLinesOf, testsWentAway } from '../verdict/removed-test-lines.js';
import type { CheckResult, RunEventBody } from './events.js';
import { agentStep } from './agent-step.js';
import { accepted, rejected, stopped } from './attempt-outcome.js';
import {
  budgetStop,
  countsAsIteration,
  reachedLimit,
  specBudgetBinding,
  specBudgetSpent,
} from './limits.js';
import { agentStopFeedback, describeChecks, NO_CHANGES_FEEDBACK } from './prompts.js';
import { checkpoint, elapsedMs, type RunSession } from './session.js';
import { checkAfterAgent, checkBeforeAttempt } from './run-identity.js';
import type { Iteration } from './state.js';

/** How the run goes on after an attempt: next attempt/spec, or stop the run. */
export type AttemptEnd =
  | { kind: 'continue' }
  | { kind: 'stop'; status: 'interrupted' | 'limit' | 'provider_error'; reason: string };

/** Where a resumed attempt picks up (its agent already finished before the interruption). */
export type ResumePoint = 'validate' | 'commit';

function openIteration(
  session: RunSession,
  specId: string,
  attempt: number,
): Iteration | undefined {
  for (let i = session.state.iterations.length - 1; i >= 0; i--) {
    const it = session.state.iterations[i] as Iteration;
    if (it.specId === specId && it.attempt === attempt && it.outcome === undefined) return it;
  }
  return undefined;
}

function previousAttempts(session: RunSession, specId: string) {
  return session.state.iterations
    .filter((it) => it.specId === specId && countsAsIteration(it) && it.outcome !== 'passed')
    .map((it) => ({ attempt: it.attempt, summary: it.summary ?? '', feedback: it.feedback ?? '' }));
}

/** What the integrity guard needs to know about an attempt (verdict/guard-git.ts). */
function guardOptions(
  session: RunSession,
  spec: Spec,
  iteration: Iteration,
  checks: SpecCheck[],
  results: CheckResult[],
): GuardOptions {
  return {
    workDir: session.workDir,
    checkpoint: iteration.checkpoint,
    commands: [
      ...session.commands.map((c) => ({ command: c.command, origin: `the ${c.name} command` })),
      ...checks.flatMap((c) =>
        c.kind === 'run' ? [{ command: c.run, origin: 'the spec check' }] : [],
      ),
    ],
    configGlobs: session.config.validate.protect,
    specGlobs: spec.protect ?? [],
    allowEdit: spec.allowEdit ?? [],
    specFile: spec.file,
    knownTestFiles: testFilesOf(
      [
        ...(session.state.baseline?.results ?? []),
        ...session.state.iterations.flatMap((i) => i.validation ?? []),
        ...results,
      ],
      session.workDir,
    ),
  };
}

function interrupted(reason = 'interrupted by a signal'): AttemptEnd {
  return { kind: 'stop', status: 'interrupted', reason };
}

/**
 * One attempt at a spec: checkpoint → agent → validate → commit (pass) or roll back
 * (fail, the diff kept as a patch). The state is checkpointed at every step, so a crash
 * at any moment resumes to the same result: an unfinished agent step is redone from the
 * checkpoint commit, a finished one is validated again, a commit made just before the
 * crash is recognised by its trailers.
 */
export async function* runAttempt(
  session: RunSession,
  spec: Spec,
  attempt: number,
  resumeAt?: ResumePoint,
): AsyncGenerator<RunEventBody, AttemptEnd> {
  const { state, stopper } = session;
  let it = resumeAt ? openIteration(session, spec.id, attempt) : undefined;
  if (!it) {
    resumeAt = undefined;
    for (const message of await checkBeforeAttempt(session)) yield { type: 'warning', message };
    const sha = await headCommit(session.workDir);
    it = {
      index: state.iterations.length,
      specId: spec.id,
      attempt,
      startedAt: new Date().toISOString(),
      usage: emptyUsage(),
      cost: 0,
      checkpoint: sha,
    };
    state.iterations.push(it);
    const s = state.specs[spec.id];
    if (s) state.specs[spec.id] = { ...s, status: 'in-progress', attempts: attempt };
    state.current = { specId: spec.id, attempt, step: 'agent', checkpoint: sha };
    await checkpoint(session);
    if (attempt === 1) yield { type: 'spec_status', specId: spec.id, status: 'in-progress' };
  }
  const iteration = it;
  yield {
    type: 'attempt_start',
    specId: spec.id,
    title: spec.title,
    iteration: state.totals.iterations + 1,
    attempt,
    maxAttempts: spec.maxAttempts ?? session.config.max_attempts,
  };

  const checks = attemptChecks(spec);
  let agentNote: string | undefined;
  if (!resumeAt) {
    yield { type: 'step', specId: spec.id, attempt, step: 'agent' };
    // report_evidence records into this attempt's sink (kept in the iteration below).
    const evidence: EvidenceSink = {
      criteria: spec.criteria.map((c) => ({ text: c.text, hasCheck: c.check !== undefined })),
      reports: [],
    };
    session.tools.context.evidence = evidence;
    const protectedFiles = await protectedForPrompt(
      guardOptions(session, spec, iteration, checks, []),
    );
    const result: AgentResult = yield* agentStep(
      session,
      {
        specId: spec.id,
        attempt,
        system: buildSystemPrompt({
          ...(state.plan?.analysisSummary ? { analysisSummary: state.plan.analysisSummary } : {}),
          ...(session.agentNotes ? { agentNotes: session.agentNotes } : {}),
          spec: { id: spec.id, title: spec.title, body: spec.body, file: spec.file },
          checks: describeChecks(
            session.commands,
            checks,
            new Set(state.baseline?.results.filter((r) => !r.passed).map((r) => r.name)),
          ),
          ...(state.baseline?.preExisting.length
            ? { preExisting: state.baseline.preExisting }
            : {}),
          previousAttempts: previousAttempts(session, spec.id),
          criteria: spec.criteria.map((c) => ({
            text: c.text,
            done: c.done,
            ...(c.check ? { check: checkResultName(c.check) } : {}),
          })),
          requireEvidence: session.config.validate.require_evidence,
          protectedFiles,
        }),
        task: taskMessage(spec),
        spec,
        onUsage: (usage, cost) => {
          iteration.usage = usage;
          iteration.cost = cost;
        },
      },
      () => {
        const pin = pinOf(session.workDir);
        return pin ? identityProblems(pin) : [];
      },
    );
    iteration.summary = result.summary;
    delete session.tools.context.evidence;
    if (evidence.reports.length) iteration.evidence = evidence.reports;
    // What the agent did to git itself is undone before mmm's git touches the tree.
    const contained = yield* checkAfterAgent(session, iteration.checkpoint, spec.file);
    if (contained.violation && ['end_turn', 'max_turns', 'tool_loop'].includes(result.reason)) {
      return yield* rejected(session, spec, iteration, {
        outcome: 'agent_error',
        feedback: contained.violation,
        fingerprint: 'agent:git_tampered',
        results: [],
      });
    }
    switch (result.reason) {
      case 'aborted':
        return yield* stopped(session, iteration, interrupted());
      case 'budget_usd':
      case 'budget_tokens':
      case 'budget_time': {
        const runLimit = reachedLimit(state, elapsedMs(session));
        const specLimit =
          specBudgetSpent(state, spec.id, spec.budget) ??
          specBudgetBinding(state, spec.id, spec.budget, result.reason);
        if (!runLimit && specLimit) {
          // The spec's own budget, not the run's: this spec stops, the run goes on.
          return yield* rejected(session, spec, iteration, {
            outcome: 'agent_error',
            feedback: `The attempt was stopped: ${specLimit}.`,
            fingerprint: 'agent:spec_budget',
            results: [],
          });
        }
        const reason = runLimit ?? budgetStop(result.reason) ?? 'limit';
        return yield* stopped(session, iteration, { kind: 'stop', status: 'limit', reason });
      }
      case 'provider_error':
        return yield* stopped(session, iteration, {
          kind: 'stop',
          status: 'provider_error',
          reason: result.error ?? 'provider error',
        });
      case 'tool_loop':
      case 'refusal':
        return yield* rejected(session, spec, iteration, {
          outcome: 'agent_error',
          feedback: agentStopFeedback(result.reason, result.error),
          fingerprint: `agent:${result.reason}`,
          results: [],
        });
      case 'max_turns':
        agentNote = agentStopFeedback('max_turns', undefined);
        break;
      case 'end_turn':
        break;
    }
    state.current = {
      specId: spec.id,
      attempt,
      step: 'validate',
      checkpoint: iteration.checkpoint,
    };
    await checkpoint(session);
    if (stopper.stopping) return interrupted();
  }

  let results: CheckResult[] = iteration.validation ?? [];
  if (resumeAt !== 'commit') {
    yield { type: 'step', specId: spec.id, attempt, step: 'validate' };
    if (!(await hasChanges(session.workDir))) {
      return yield* rejected(session, spec, iteration, {
        outcome: 'no_changes',
        feedback: NO_CHANGES_FEEDBACK,
        fingerprint: 'no_changes',
        results: [],
      });
    }
    const scope = stopper.stepSignal();
    let passed: boolean;
    let judged: AttemptVerdict;
    try {
      ({ results } = await validateAttempt({
        root: session.workDir,
        commands: session.commands,
        checks,
        timeoutSec: session.config.validate.timeout,
        signal: scope.signal,
        sandbox: session.tools.sandbox,
        policy: session.config.tools,
      }));
      // The verdict (core/verdict): no new failure against the baseline, spec checks pass.
      judged = await judgeAttempt({
        results,
        commands: session.commands,
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
      specId: spec.id,
      attempt,
      passed,
      checks: results,
      verdict: verdictSummary(judged.verdict),
    };
    // --- integrity guard (verdict/guard.ts): the diff may not weaken what judges it ---
    // Checked whatever the verdict, so a cheat's feedback names the vanished tests and
    // the deleted lines together.
    const violations = await guardAttempt(guardOptions(session, spec, iteration, checks, results));
    if (!passed || violations.length) {
      const guardOpts = guardOptions(session, spec, iteration, checks, results);
      const removed = testsWentAway(judged.verdict)
        ? await removedTestLinesOf(session.workDir, iteration.checkpoint, guardOpts.knownTestFiles)
        : undefined;
      const feedback = [
        passed ? undefined : verdictFeedback(judged.verdict, results),
        removed,
        violations.length ? formatGuardFeedback(violations) : undefined,
        agentNote,
      ]
        .filter(Boolean)
        .join('\n\n');
      return yield* rejected(session, spec, iteration, {
        outcome: 'failed',
        feedback,
        fingerprint: [
          passed ? undefined : verdictFingerprint(judged.verdict),
          violations.length ? guardFingerprint(violations) : undefined,
        ]
          .filter(Boolean)
          .join('+'),
        results,
      });
    }
    // --- end integrity guard ---
    // --- evidence (verdict/evidence.ts): criteria are ticked only with verified evidence ---
    iteration.criteria = judgeCriteria({
      criteria: spec.criteria,
      reports: iteration.evidence ?? [],
      results,
    });
    const unproven = evidenceFailure(iteration.criteria, session.config.validate.require_evidence);
    if (unproven) {
      return yield* rejected(session, spec, iteration, {
        outcome: 'failed',
        feedback: unproven,
        fingerprint: evidenceFingerprint(iteration.criteria),
        results,
      });
    }
    // --- end evidence ---
    iteration.validation = results;
    state.current = { specId: spec.id, attempt, step: 'commit', checkpoint: iteration.checkpoint };
    await checkpoint(session);
  }
  return yield* accepted(session, spec, iteration, results);
}
