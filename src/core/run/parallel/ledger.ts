import type { SharedBudget } from '../../agent/budget.js';
import { totalTokens } from '../../llm/usage.js';
import type { RunState } from '../store/state.js';

/**
 * The run's budget shared by its lanes (issue 11): one ledger per run of what the agents
 * working at this moment hold for their requests in flight. Before every request, an
 * agent checks the run's caps against everything the run has spent (the live totals,
 * every lane's usage included) plus the other agents' holds — so N lanes together stay
 * within `--max-cost` / `--max-tokens` exactly as one agent does (agent/budget.ts).
 */
type Hold = { usd: number; tokens: number };

const ledgers = new WeakMap<RunState, Map<symbol, Hold>>();

function ledgerOf(state: RunState): Map<symbol, Hold> {
  let ledger = ledgers.get(state);
  if (!ledger) {
    ledger = new Map();
    ledgers.set(state, ledger);
  }
  return ledger;
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
      for (const [key, hold] of ledger) {
        if (mine.has(key)) continue;
        if (usd !== null) usd += hold.usd;
        tokens += hold.tokens;
      }
      return { usd, tokens };
    },
    hold(worst) {
      const key = Symbol('hold');
      ledger.set(key, worst);
      mine.add(key);
      return () => {
        ledger.delete(key);
        mine.delete(key);
      };
    },
    releaseAll() {
      for (const key of mine) ledger.delete(key);
      mine.clear();
    },
  };
}
