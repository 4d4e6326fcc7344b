import { totalTokens, type Cost, type Usage } from '../llm/usage.js';
import type { AgentStopReason } from './events.js';

export interface AgentBudget {
  usd?: number;
  tokens?: number;
  /** Epoch ms. */
  deadline?: number;
  /** Already spent by earlier attempts of the run; counted against `usd`. */
  spentUsd?: number;
  spentTokens?: number;
  /**
   * The run's caps when several agents spend at once (parallel lanes): checked before
   * every request against what the whole run has spent by then and what the other agents
   * hold for their requests in flight. `usd`/`tokens` above are then the spec's and step's.
   */
  shared?: SharedBudget;
}

/** A run-wide budget shared by agents working at the same time (run/parallel/ledger.ts). */
export interface SharedBudget {
  usd?: number;
  tokens?: number;
  /** Spent by the run so far (this agent's attempt included) plus other agents' holds. */
  spentByRun(): { usd: number | null; tokens: number };
  /** Hold `worst` for the request about to be sent; the returned function releases it. */
  hold(worst: { usd: number; tokens: number }): () => void;
  /** Other agents hold something for requests in flight. */
  othersHolding(): boolean;
  /** Resolves when any hold of the run is released (a request elsewhere settled). */
  released(): Promise<void>;
}

/**
 * The shared budget as a budget of this agent: what the rest of the run spent and holds
 * counted as spent before it, so budgetReached and reserveRequest apply as they are.
 */
export function sharedAsBudget(shared: SharedBudget, spent: Spent): AgentBudget {
  const run = shared.spentByRun();
  const rest = (total: number, mine: number) => Math.max(0, total - mine);
  return {
    ...(shared.usd !== undefined && run.usd !== null && spent.cost !== null
      ? { usd: shared.usd, spentUsd: rest(run.usd, spent.cost) }
      : {}),
    ...(shared.tokens !== undefined
      ? { tokens: shared.tokens, spentTokens: rest(run.tokens, totalTokens(spent.usage)) }
      : {}),
  };
}

/** What the attempt has spent so far. */
export interface Spent {
  usage: Usage;
  cost: Cost;
}

/** A request is not sent when the caps leave it fewer output tokens than this. */
export const MIN_OUTPUT_TOKENS = 1024;

/** Which cap the spending so far has reached; undefined when none. */
export function budgetReached(
  budget: AgentBudget,
  spent: Spent,
  now = Date.now(),
): AgentStopReason | undefined {
  if (budget.deadline !== undefined && now >= budget.deadline) return 'budget_time';
  const tokens = (budget.spentTokens ?? 0) + totalTokens(spent.usage);
  if (budget.tokens !== undefined && tokens >= budget.tokens) return 'budget_tokens';
  // An unknown cost (null) cannot be enforced; it is never taken as zero.
  if (budget.usd !== undefined && spent.cost !== null) {
    if ((budget.spentUsd ?? 0) + spent.cost >= budget.usd) return 'budget_usd';
  }
  return undefined;
}

export type Reservation = { maxTokens: number } | { stop: AgentStopReason };

/**
 * Reserves the next request's worst case against the caps before it is sent: its
 * prompt (estimated, `inputTokens`) priced as if all of it were written to the cache
 * (the dearest kind of input), and `maxTokens` of output. When that would pass a cap,
 * the request gets only the output tokens the cap still pays for; when that is fewer
 * than MIN_OUTPUT_TOKENS (or the configured maximum, if smaller), the attempt stops
 * before sending. So a cap is passed only by what the prompt estimate missed.
 */
export function reserveRequest(
  budget: AgentBudget,
  spent: Spent,
  request: { inputTokens: number; maxTokens: number },
  price: (usage: Usage) => Cost,
): Reservation {
  const { inputTokens } = request;
  let maxTokens = request.maxTokens;
  const floor = Math.min(MIN_OUTPUT_TOKENS, request.maxTokens);
  if (budget.tokens !== undefined) {
    const left = budget.tokens - (budget.spentTokens ?? 0) - totalTokens(spent.usage);
    maxTokens = Math.min(maxTokens, Math.floor(left - inputTokens));
    if (maxTokens < floor) return { stop: 'budget_tokens' };
  }
  if (budget.usd !== undefined && spent.cost !== null) {
    const left = budget.usd - (budget.spentUsd ?? 0) - spent.cost;
    const prompt = { input: 0, output: 0, cacheRead: 0, cacheWrite: inputTokens };
    const inputCost = price(prompt);
    const perMillion = price({ ...prompt, output: 1_000_000 });
    if (inputCost !== null && perMillion !== null) {
      const perToken = (perMillion - inputCost) / 1_000_000;
      const affordable = perToken > 0 ? Math.floor((left - inputCost) / perToken) : maxTokens;
      maxTokens = Math.min(maxTokens, affordable);
      if (maxTokens < floor) return { stop: 'budget_usd' };
    }
  }
  return { maxTokens };
}
