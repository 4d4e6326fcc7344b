import type { SharedBudget } from '../../agent/budget.js';
import { totalTokens } from '../../llm/usage.js';
import type { RunState } from '../store/state.js';

/**
 * The run's budget shared by its lanes (issue 11): one ledger per run of what the agents
 * working at this moment hold for their requests in flight. Before every request, an
 * agent checks the run's caps against everything the run has spent (the live totals,
 * every lane's usage included) plus the other agents' holds — so N lanes together stay
 * within `--max-cost` / `--max-tokens` exactly as one agent does (agent/budget.ts). An
 * agent whose request only the others' holds keep from being sent waits for one of them
 * to settle (their worst case rarely happens) rather than stopping the run.
 */
type Hold = { usd: number; tokens: number };

interface Ledger {
  holds: Map<symbol, Hold>;
  /** Agents waiting for a hold to be released. */
  waiters: (() => void)[];
}

const ledgers = new WeakMap<RunState, Ledger>();

function ledgerOf(state: RunState): Ledger {
  let ledger = ledgers.get(state);
  if (!ledger) {
    ledger = { holds: new Map(), waiters: [] };
    ledgers.set(state, ledger);
  }
  return ledger;
}

function release(ledger: Ledger, key: symbol): void {
  if (!ledger.holds.delete(key)) return;
  const waiters = ledger.waiters.splice(0);
  for (const wake of waiters) wake();
}

export interface AgentShare extends SharedBudget {
  /** Drop every hold of this agent (its attempt ended, however it ended). */
  releaseAll(): void;
}

/** One agent's share of the run's caps; `state` is the run's record (not a lane's view). */
export function shareOfRun(state: RunState): AgentShare {
  const ledger = ledgerOf(state);
  const mine = new Set<symbol>();
  const { limits } = state;
  return {
    ...(limits.usd !== undefined ? { usd: limits.usd } : {}),
    ...(limits.tokens !== undefined ? { tokens: limits.tokens } : {}),
    spentByRun() {
      let usd = state.totals.cost;
      let tokens = totalTokens(state.totals.usage);
      for (const [key, hold] of ledger.holds) {
        if (mine.has(key)) continue;
        if (usd !== null) usd += hold.usd;
        tokens += hold.tokens;
      }
      return { usd, tokens };
    },
    hold(worst) {
      const key = Symbol('hold');
      ledger.holds.set(key, worst);
      mine.add(key);
      return () => {
        mine.delete(key);
        release(ledger, key);
      };
    },
    othersHolding() {
      return [...ledger.holds.keys()].some((key) => !mine.has(key));
    },
    released() {
      return new Promise((resolve) => ledger.waiters.push(resolve));
    },
    releaseAll() {
      for (const key of [...mine]) release(ledger, key);
      mine.clear();
    },
  };
}
