import { logger } from '../log.js';
import type { Cost, Usage } from '../llm/usage.js';
import {
  budgetReached,
  reserveRequest,
  sharedAsBudget,
  type AgentBudget,
  type SharedBudget,
  type Spent,
} from './budget.js';
import type { AgentStopReason } from './events.js';

const log = logger('agent');

/**
 * The request may go out with this many output tokens (and, with a shared run budget,
 * is held in it: `release` ends the hold); or the attempt ends.
 */
export type Admission =
  { inputTokens: number; maxTokens: number; release?: () => void } | { stop: AgentStopReason };

export interface AdmissionCheck {
  budget: AgentBudget;
  spent: Spent;
  /** Requests sent so far, and how many the attempt may send. */
  turns: number;
  maxTurns: number;
  /** A stop was asked for (the hard signal, or a graceful stop). */
  stopping: () => boolean;
  /** The estimated prompt, and the output tokens the config asks for. */
  inputTokens: number;
  maxTokens: number;
  price: (usage: Usage) => Cost;
}

/**
 * Decides whether the next request is sent, before it is: not when a stop was asked for,
 * the turns are used up or a cap is reached; otherwise its worst case is reserved against
 * the caps (budget.ts), which may lower its output tokens or end the attempt. With a
 * shared run budget (parallel lanes), a request that only the other lanes' requests in
 * flight keep from being sent waits for one of them to settle, then is reserved again.
 * An admitted request is held in the shared budget at once, in the same synchronous step
 * as the check: no other lane is admitted against the headroom it was given.
 */
export async function admitRequest(check: AdmissionCheck): Promise<Admission> {
  const { budget, spent, inputTokens, price } = check;
  const limit = limitReached(check);
  if (limit) return { stop: limit };
  let reservation = reserveRequest(
    budget,
    spent,
    { inputTokens, maxTokens: check.maxTokens },
    price,
  );
  const own = reservation;
  while (budget.shared && !('stop' in own)) {
    reservation = reserveRequest(
      sharedAsBudget(budget.shared, spent),
      spent,
      { inputTokens, maxTokens: own.maxTokens },
      price,
    );
    if (!('stop' in reservation) || !budget.shared.othersHolding() || check.stopping()) break;
    await budget.shared.released();
  }
  if ('stop' in reservation) return reservation;
  if (reservation.maxTokens < check.maxTokens) {
    log.info('output tokens lowered to stay within the budget', {
      maxTokens: reservation.maxTokens,
    });
  }
  const admitted = { inputTokens, maxTokens: reservation.maxTokens };
  if (!budget.shared) return admitted;
  return { ...admitted, release: holdInFlight(budget.shared, admitted, price) };
}

function limitReached(check: AdmissionCheck): AgentStopReason | undefined {
  const { budget, spent } = check;
  if (check.stopping()) return 'aborted';
  if (check.turns >= check.maxTurns) return 'max_turns';
  return (
    budgetReached(budget, spent) ??
    (budget.shared ? budgetReached(sharedAsBudget(budget.shared, spent), spent) : undefined)
  );
}

/**
 * Holds the request's worst case in the shared budget until it has settled, so the
 * other lanes count it (its prompt priced as cache writes, all its output tokens). The
 * returned function releases the hold.
 */
function holdInFlight(
  shared: SharedBudget,
  request: { inputTokens: number; maxTokens: number },
  price: (usage: Usage) => Cost,
): () => void {
  const { inputTokens, maxTokens } = request;
  const worst = { input: 0, output: maxTokens, cacheRead: 0, cacheWrite: inputTokens };
  return shared.hold({ usd: price(worst) ?? 0, tokens: inputTokens + maxTokens });
}
