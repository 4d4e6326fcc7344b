import type { AgentBudget } from '../../agent/index.js';
import type { Config } from '../../config/schema.js';
import { totalTokens } from '../../llm/usage.js';
import type { AgentStopReason } from '../../agent/events.js';
import { formatDuration } from '../duration.js';
import type { Limits } from '../events.js';
import type { Iteration, RunState } from '../store/state.js';

/**
 * Run-wide limits: iterations, cost, tokens and wall time. They are counted over the
 * whole run, across resumes (the totals and the elapsed time are part of the state).
 */

/** Outcomes of attempts that count as iterations (an interrupted attempt does not). */
export function countsAsIteration(it: Iteration): boolean {
  return it.outcome !== undefined && it.outcome !== 'stopped';
}

/** Recompute the derived totals from the iterations (idempotent, so safe on resume). */
export function refreshTotals(state: RunState): void {
  let iterations = 0;
  let commits = 0;
  for (const it of state.iterations) {
    if (countsAsIteration(it)) iterations++;
    if (it.commit) commits++;
  }
  state.totals = { ...state.totals, iterations, commits };
}

export function limitsFromConfig(config: Config): Limits {
  return {
    maxIterations: config.max_iterations,
    ...(config.budget.usd !== undefined ? { usd: config.budget.usd } : {}),
    ...(config.budget.tokens !== undefined ? { tokens: config.budget.tokens } : {}),
    ...(config.budget.time !== undefined ? { time: config.budget.time } : {}),
  };
}

/** Which limit the run has reached, as a sentence; undefined when none. */
export function reachedLimit(state: RunState, elapsedMs: number): string | undefined {
  const { limits, totals } = state;
  if (totals.iterations >= limits.maxIterations) {
    return `reached the iteration limit (${limits.maxIterations})`;
  }
  if (limits.usd !== undefined && totals.cost !== null && totals.cost >= limits.usd) {
    return `reached the cost limit ($${limits.usd.toFixed(2)}; spent $${totals.cost.toFixed(2)})`;
  }
  const tokens = totalTokens(totals.usage);
  if (limits.tokens !== undefined && tokens >= limits.tokens) {
    return `reached the token limit (${limits.tokens}; used ${tokens})`;
  }
  if (limits.time !== undefined && elapsedMs >= limits.time * 1000) {
    return `reached the time limit (${formatDuration(limits.time)})`;
  }
  return undefined;
}

/** What a spec has used so far in this run (its `budget:` is counted against this). */
export function specSpent(state: RunState, specId: string): { usd: number | null; tokens: number } {
  let usd: number | null = 0;
  let tokens = 0;
  for (const it of state.iterations) {
    if (it.specId !== specId) continue;
    usd = usd === null || it.cost === null ? null : usd + it.cost;
    tokens += totalTokens(it.usage);
  }
  return { usd, tokens };
}

/** The spec's own budget is used up: a sentence, or undefined. */
export function specBudgetSpent(
  state: RunState,
  specId: string,
  budget: { usd?: number; tokens?: number } | undefined,
): string | undefined {
  if (!budget) return undefined;
  const spent = specSpent(state, specId);
  if (budget.usd !== undefined && spent.usd !== null && spent.usd >= budget.usd) {
    return `its budget of $${budget.usd} is spent`;
  }
  if (budget.tokens !== undefined && spent.tokens >= budget.tokens) {
    return `its budget of ${budget.tokens} tokens is spent`;
  }
  return undefined;
}

/**
 * The attempt stopped on a budget although neither cap is spent: it stopped before a
 * request whose worst case the rest could not pay for (see agent/budget.ts). It was the
 * spec's own budget when that has less left than the run's: a sentence, or undefined.
 */
export function specBudgetBinding(
  state: RunState,
  specId: string,
  budget: { usd?: number; tokens?: number } | undefined,
  reason: AgentStopReason,
): string | undefined {
  if (!budget) return undefined;
  const spent = specSpent(state, specId);
  const { limits, totals } = state;
  if (reason === 'budget_usd' && budget.usd !== undefined && spent.usd !== null) {
    const runLeft = limits.usd === undefined ? Infinity : limits.usd - (totals.cost ?? 0);
    if (budget.usd - spent.usd < runLeft) {
      return `its budget of $${budget.usd} cannot pay for another request`;
    }
  }
  if (reason === 'budget_tokens' && budget.tokens !== undefined) {
    const runLeft =
      limits.tokens === undefined ? Infinity : limits.tokens - totalTokens(totals.usage);
    if (budget.tokens - spent.tokens < runLeft) {
      return `its budget of ${budget.tokens} tokens cannot pay for another request`;
    }
  }
  return undefined;
}

/**
 * The agent's share of the budget, checked before every request: what is left of the
 * run's limits and, when the spec has its own `budget:`, of that (whichever is smaller).
 */
export function agentBudget(
  state: RunState,
  elapsedMs: number,
  spec?: { id: string; budget?: { usd?: number; tokens?: number } },
  now = Date.now(),
): AgentBudget {
  const { limits, totals } = state;
  const spent = spec?.budget ? specSpent(state, spec.id) : undefined;
  const left = (cap: number | undefined, used: number): number | undefined =>
    cap === undefined ? undefined : cap - used;
  const min = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  const usd = min(left(limits.usd, totals.cost ?? 0), left(spec?.budget?.usd, spent?.usd ?? 0));
  const tokens = min(
    left(limits.tokens, totalTokens(totals.usage)),
    left(spec?.budget?.tokens, spent?.tokens ?? 0),
  );
  return {
    ...(usd !== undefined ? { usd, spentUsd: 0 } : {}),
    ...(tokens !== undefined ? { tokens, spentTokens: 0 } : {}),
    ...(limits.time !== undefined ? { deadline: now + limits.time * 1000 - elapsedMs } : {}),
  };
}

/** A workflow step's `budget:` (per run of the step) on top of what is left of the run's. */
export function withStepBudget(
  budget: AgentBudget,
  step: { usd?: number; tokens?: number } | undefined,
): AgentBudget {
  if (!step) return budget;
  const min = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  const usd = min(budget.usd, step.usd);
  const tokens = min(budget.tokens, step.tokens);
  return {
    ...budget,
    ...(usd !== undefined ? { usd, spentUsd: 0 } : {}),
    ...(tokens !== undefined ? { tokens, spentTokens: 0 } : {}),
  };
}

const BUDGET_REASONS: Partial<Record<AgentStopReason, string>> = {
  budget_usd: 'cost',
  budget_tokens: 'token',
  budget_time: 'time',
};

/** `budget_usd` → "reached the cost limit during an attempt"; undefined for other reasons. */
export function budgetStop(reason: AgentStopReason): string | undefined {
  const what = BUDGET_REASONS[reason];
  return what ? `reached the ${what} limit during an attempt` : undefined;
}

/** The flag to raise each limit with, for the resume hint. */
export function raiseHint(reason: string): string {
  if (reason.includes('iteration')) return '--max-iterations <n>';
  if (reason.includes('cost')) return '--max-cost <usd>';
  if (reason.includes('token')) return '--max-tokens <n>';
  if (reason.includes('time')) return '--max-time <duration>';
  return '';
}
