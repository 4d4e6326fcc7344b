import type { AgentEvent, AgentResult } from '../../agent/index.js';
import { ExitCode, isMmmError } from '../../errors.js';
import { logger } from '../../log.js';
import { addCost, addUsage, emptyUsage, type Cost, type Usage } from '../../llm/usage.js';
import type { RunEventBody } from '../events.js';
import { agentBudget, withStepBudget } from '../interpreter/limits.js';
import { shareOfRun } from '../parallel/ledger.js';
import { saveRunState, elapsedMs, type RunSession } from '../session.js';

const log = logger('improve');

/**
 * One agent session inside the run (a spec attempt or a review): runs the session's engine
 * (core/engine: the API loop or Claude Code) with the
 * run's remaining budget, forwards its events, adds its usage to the run totals as it
 * comes (checkpointing each time, so a crash loses no spent money from the budget), and
 * returns the agent's result. A provider error that the agent throws (authentication)
 * is returned as a `provider_error` result, never thrown.
 */
export async function* agentStep(
  session: RunSession,
  args: {
    specId: string;
    attempt: number;
    system: string;
    task: string;
    /** The attempt's own running totals (for its iteration record). */
    onUsage?: (usage: Usage, cost: Cost) => void;
    /** A spec with its own `budget:`, counted on top of the run's limits. */
    spec?: { id: string; budget?: { usd?: number; tokens?: number } };
    /** A workflow step's own model, turn limit and budget, per run of the step. */
    model?: string;
    maxTurns?: number;
    stepBudget?: { usd?: number; tokens?: number };
  },
  /**
   * Checked after every tool batch (file reads only, no process): what the agent did to
   * the run's git identity. Anything found ends the attempt at once — nothing more is
   * spent on a tree mmm must repair and reject anyway (run-identity.ts does both).
   */
  identityProblems: () => string[] = () => [],
): AsyncGenerator<RunEventBody, AgentResult> {
  const { state, stopper, tools } = session;
  const { specId, attempt } = args;
  let counted = emptyUsage();
  let countedCost: Cost = 0;
  // In a lane, the run's caps are shared with the other lanes, request by request.
  const share = session.lane ? shareOfRun(session.sharedState ?? state) : undefined;
  const budget = withStepBudget(agentBudget(state, elapsedMs(session), args.spec), args.stepBudget);
  const agent = session.engine.run({
    specId,
    attempt,
    workDir: session.workDir,
    repoRoot: session.repoRoot,
    tools,
    system: args.system,
    task: args.task,
    budget: share ? { ...budget, shared: share } : budget,
    ...(args.model ? { model: args.model } : {}),
    ...(args.maxTurns ? { maxTurns: args.maxTurns } : {}),
    signal: stopper.signal,
    requestSignal: stopper.requestSignal,
    stopAfterTool: () => stopper.stopping,
  });
  // However the agent ends, what it held of the shared budget is released.
  try {
    for (;;) {
      let next: IteratorResult<AgentEvent, AgentResult>;
      try {
        next = await agent.next();
      } catch (error) {
        if (!isMmmError(error) || error.exitCode !== ExitCode.Provider) throw error;
        log.warn('provider error', { message: error.message });
        const result: AgentResult = {
          type: 'attempt_end',
          reason: 'provider_error',
          summary: '',
          turns: 0,
          usage: counted,
          cost: countedCost,
          error: error.hint ? `${error.message} (${error.hint})` : error.message,
        };
        yield { type: 'agent', specId, attempt, event: result };
        return result;
      }
      if (next.done) return next.value;
      const event = next.value;
      yield { type: 'agent', specId, attempt, event };
      if (event.type === 'turn_end') {
        const problems = identityProblems();
        if (problems.length > 0) {
          log.warn('git identity changed by a tool call', { problems });
          const result: AgentResult = {
            type: 'attempt_end',
            reason: 'end_turn',
            summary: `mmm stopped this attempt after a tool call changed the run's git: ${problems.join('; ')}`,
            turns: event.turn,
            usage: counted,
            cost: countedCost,
          };
          await agent.return(result);
          yield { type: 'agent', specId, attempt, event: result };
          return result;
        }
      }
      if (event.type === 'usage') {
        state.totals = {
          ...state.totals,
          usage: addUsage(state.totals.usage, event.usage),
          cost: addCost(state.totals.cost, event.cost),
        };
        counted = event.total;
        countedCost = event.totalCost;
        args.onUsage?.(event.total, event.totalCost);
        await saveRunState(session);
        yield { type: 'totals', totals: state.totals, limits: state.limits };
      }
    }
  } finally {
    share?.releaseAll();
  }
}
