import { buildSystemPrompt, taskMessage, type AgentResult } from '../../agent/index.js';
import { identityProblems, pinOf } from '../../git/pin.js';
import type { EvidenceSink } from '../../tools/index.js';
import { protectedForPrompt } from '../../verdict/guard-git.js';
import { attemptChecks, checkResultName } from '../../verdict/evidence-checks.js';
import type { RunEventBody } from '../events.js';
import { agentStep } from './agent-step.js';
import {
  budgetStop,
  countsAsIteration,
  reachedLimit,
  specBudgetBinding,
  specBudgetSpent,
} from '../interpreter/limits.js';
import { agentStopFeedback, describeChecks } from './prompts.js';
import { elapsedMs } from '../session.js';
import { checkAfterAgent } from '../lifecycle/run-identity.js';
import { guardOptions } from './guard-options.js';
import { failed, interrupted, type StepEnv, type StepResult } from './types.js';

/** One agent run inside an attempt (the agent and goal_seek steps). */
export interface AgentTask {
  /** The expanded prompt: the user message (and, without a spec, the task itself). */
  prompt: string;
  maxTurns?: number;
  budget?: { usd?: number; tokens?: number };
  /** A model other than the run's. */
  model?: string;
}

function previousAttempts(env: StepEnv) {
  return env.session.state.iterations
    .filter((it) => it.specId === env.item.key && countsAsIteration(it) && it.outcome !== 'passed')
    .map((it) => ({ attempt: it.attempt, summary: it.summary ?? '', feedback: it.feedback ?? '' }));
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/**
 * Runs the agent with the attempt's system prompt (the spec, its checks and criteria, the
 * earlier attempts' feedback), its evidence sink and the run's containment: the run
 * identity is checked after every tool batch and everything the agent did to git is
 * undone before mmm's git touches the tree. `ok` carries the agent's summary.
 */
export async function* runAgentTask(
  env: StepEnv,
  task: AgentTask,
): AsyncGenerator<RunEventBody, StepResult & { summary?: string }> {
  const { session, item, cursor } = env;
  const { state } = session;
  const spec = item.spec;
  const checks = spec ? attemptChecks(spec) : [];
  const validates = env.workflow.steps.some((s) => s.kind === 'validate' && s.commands);
  // report_evidence records into this attempt's sink (kept in the iteration below).
  const evidence: EvidenceSink = {
    criteria: (spec?.criteria ?? []).map((c) => ({
      text: c.text,
      hasCheck: c.check !== undefined,
    })),
    reports: [],
  };
  session.tools.context.evidence = evidence;
  const protectedFiles = await protectedForPrompt(guardOptions(env, checks, []));
  const taskSpec = spec
    ? { id: spec.id, title: spec.title, body: spec.body, file: spec.file }
    : { id: item.key, title: firstLine(task.prompt), body: task.prompt, file: '' };
  const result: AgentResult = yield* agentStep(
    session,
    {
      specId: item.key,
      attempt: cursor.attempt,
      system: buildSystemPrompt({
        ...(state.plan?.analysisSummary ? { analysisSummary: state.plan.analysisSummary } : {}),
        ...(session.agentNotes ? { agentNotes: session.agentNotes } : {}),
        spec: taskSpec,
        checks: describeChecks(
          validates ? session.commands : [],
          checks,
          new Set(state.baseline?.results.filter((r) => !r.passed).map((r) => r.name)),
        ),
        ...(state.baseline?.preExisting.length ? { preExisting: state.baseline.preExisting } : {}),
        previousAttempts: previousAttempts(env),
        ...(spec
          ? {
              criteria: spec.criteria.map((c) => ({
                text: c.text,
                done: c.done,
                ...(c.check ? { check: checkResultName(c.check) } : {}),
              })),
            }
          : {}),
        requireEvidence: session.config.validate.require_evidence,
        protectedFiles,
      }),
      task: spec ? task.prompt : taskMessage({ id: item.key, title: taskSpec.title }),
      ...(spec ? { spec } : {}),
      ...(task.model ? { model: task.model } : {}),
      ...(task.maxTurns ? { maxTurns: task.maxTurns } : {}),
      ...(task.budget ? { stepBudget: task.budget } : {}),
      onUsage: (usage, cost) => {
        if (!env.iteration) return;
        env.iteration.usage = usage;
        env.iteration.cost = cost;
      },
    },
    () => {
      const pin = pinOf(session.workDir);
      return pin ? identityProblems(pin) : [];
    },
  );
  delete session.tools.context.evidence;
  if (env.iteration) {
    env.iteration.summary = result.summary;
    if (evidence.reports.length) env.iteration.evidence = evidence.reports;
  }
  // What the agent did to git itself is undone before mmm's git touches the tree.
  const contained = yield* checkAfterAgent(session, cursor.checkpoint, spec?.file);
  if (contained.violation && ['end_turn', 'max_turns', 'tool_loop'].includes(result.reason)) {
    return failed(contained.violation, 'agent:git_tampered', 'agent_error');
  }
  switch (result.reason) {
    case 'aborted':
      return interrupted();
    case 'budget_usd':
    case 'budget_tokens':
    case 'budget_time': {
      const runLimit = reachedLimit(state, elapsedMs(session));
      const specLimit = spec
        ? (specBudgetSpent(state, spec.id, spec.budget) ??
          specBudgetBinding(state, spec.id, spec.budget, result.reason))
        : undefined;
      if (!runLimit && specLimit) {
        // The spec's own budget, not the run's: this spec stops, the run goes on.
        return failed(`The attempt was stopped: ${specLimit}.`, 'agent:spec_budget', 'agent_error');
      }
      if (!runLimit && task.budget && result.reason !== 'budget_time') {
        return failed(
          'The step was stopped: its budget is spent.',
          'agent:step_budget',
          'agent_error',
        );
      }
      return {
        kind: 'stop',
        status: 'limit',
        reason: runLimit ?? budgetStop(result.reason) ?? 'limit',
      };
    }
    case 'provider_error':
      return { kind: 'stop', status: 'provider_error', reason: result.error ?? 'provider error' };
    case 'tool_loop':
    case 'refusal':
      return failed(
        agentStopFeedback(result.reason, result.error),
        `agent:${result.reason}`,
        'agent_error',
      );
    case 'max_turns':
      env.notes.agent = agentStopFeedback('max_turns', undefined);
      break;
    case 'end_turn':
      break;
  }
  return { kind: 'ok', output: result.summary, summary: result.summary };
}
