import type { Cost, Usage } from '../core/llm/usage.js';
import { addCost, addUsage, emptyUsage } from '../core/llm/usage.js';
import { patchCurrent, reduceAgent } from './run-view-agent.js';
import {
  dropLane,
  endLaneAttempt,
  findLane,
  newAttempt,
  reduceLane,
  startAttempt,
  stepLane,
} from './run-view-lanes.js';
import type { RunEvent, SpecSummary } from '../core/run/events.js';

export type {
  AttemptView,
  LaneView,
  LogItem,
  RunEnd,
  RunViewState,
  StepView,
  ToolView,
  ValidationView,
} from './run-view-types.js';
import type { LogItem, RunViewState } from './run-view-types.js';

export { MAX_TOOL_LINES } from './run-view-agent.js';

export function initialRunView(): RunViewState {
  return {
    runId: '',
    branch: '',
    model: '',
    workflow: '',
    workflowSteps: [],
    worktree: '',
    resumed: false,
    started: false,
    startedAt: 0,
    specs: [],
    limits: { maxIterations: 0 },
    totals: { usage: emptyUsage(), cost: 0, iterations: 0, commits: 0, elapsedMs: 0 },
    totalsAt: 0,
    sinceTotals: { usage: emptyUsage(), cost: 0 },
    parallel: 1,
    laneMode: false,
    lanes: [],
    mergeQueue: [],
    log: [],
    lastEventAt: 0,
    events: 0,
  };
}

function at(event: RunEvent, fallback: number): number {
  const ms = Date.parse(event.t);
  return Number.isNaN(ms) ? fallback : ms;
}

function setSpec(specs: SpecSummary[], specId: string, patch: Partial<SpecSummary>): SpecSummary[] {
  return specs.map((s) => (s.id === specId ? { ...s, ...patch } : s));
}

/** Pure: the next view state after one event. Unknown event types are ignored. */
export function reduceRunView(prev: RunViewState, event: RunEvent): RunViewState {
  const now = at(event, prev.lastEventAt);
  const state: RunViewState = { ...prev, lastEventAt: now, events: prev.events + 1 };
  switch (event.type) {
    case 'run_start':
      return {
        ...state,
        runId: event.runId,
        branch: event.branch,
        model: event.model,
        workflow: event.workflow,
        workflowSteps: event.steps ?? [],
        worktree: event.worktree,
        resumed: event.resumed,
        started: true,
        startedAt: now,
        totalsAt: now,
        specs: event.specs,
        limits: event.limits,
        parallel: event.parallel ?? 1,
        laneMode: (event.parallel ?? 1) > 1,
        lanes: [],
        mergeQueue: [],
        merging: undefined,
      };
    case 'attempt_start':
      return startAttempt(
        { ...state, specs: setSpec(state.specs, event.specId, { status: 'in-progress' }) },
        newAttempt(event, now, state.workflowSteps),
      );
    case 'step':
      return patchCurrent(state, event.specId, event.attempt, () => ({
        step: event.step,
        stepStartedAt: now,
      }));
    case 'step_start':
    case 'step_end': {
      const status = event.type === 'step_start' ? 'running' : event.outcome;
      const next = patchCurrent(state, event.specId, event.attempt, (a) => ({
        steps: a.steps.map((s) => (s.id === event.id ? { ...s, status } : s)),
      }));
      return event.type === 'step_start' ? stepLane(next, event) : next;
    }
    case 'agent':
      return reduceAgent(state, event);
    case 'validation': {
      const validation = { passed: event.passed, checks: event.checks };
      return {
        ...patchCurrent(state, event.specId, event.attempt, () => ({ validation })),
        lastValidation: validation,
      };
    }
    case 'attempt_end': {
      const cur = state.current;
      const same = cur && cur.specId === event.specId && cur.attempt === event.attempt;
      // The attempt as it ran: the current one, or the one in its lane.
      const lane = same ? undefined : findLane(state, event.specId, event.attempt);
      const ran = same ? cur : lane;
      const spec = state.specs.find((s) => s.id === event.specId);
      const item: LogItem = {
        kind: 'attempt',
        key: `a${state.log.length}`,
        specId: event.specId,
        title: ran ? ran.title : (spec?.title ?? event.specId),
        iteration: ran ? ran.iteration : 0,
        attempt: event.attempt,
        maxAttempts: ran ? ran.maxAttempts : 0,
        outcome: event.outcome,
        commit: event.commit,
        feedback: event.feedback,
        durationMs: ran ? now - ran.startedAt : 0,
        toolCount: ran ? ran.toolCount : 0,
        validation: ran ? ran.validation : undefined,
        agentError: ran ? ran.agentEnd?.error : undefined,
        criteriaDone: event.criteria?.filter(
          (v) => v.status === 'verified' || v.status === 'ticked',
        ).length,
        ...(lane ? { inLane: true } : {}),
      };
      return {
        ...state,
        current: same ? undefined : cur,
        lanes: endLaneAttempt(state.lanes, event.specId, event.attempt, event.outcome),
        log: [...state.log, item],
      };
    }
    case 'spec_status': {
      // A done spec has its verified criteria ticked (the engine's rule).
      const patch: Partial<SpecSummary> = { status: event.status };
      const spec = state.specs.find((s) => s.id === event.specId);
      if (event.status === 'done' && spec) {
        // Criteria without verified evidence stay unticked (core/verdict/evidence.ts).
        const judged = state.log.findLast(
          (i) => i.kind === 'attempt' && i.specId === event.specId && i.outcome === 'passed',
        );
        const counted = judged?.kind === 'attempt' ? judged.criteriaDone : undefined;
        patch.criteriaDone = counted ?? spec.criteriaTotal;
      }
      const next = { ...state, specs: setSpec(state.specs, event.specId, patch) };
      if (event.status === 'failed') return dropLane(next, event.specId);
      if (event.status === 'blocked' || event.status === 'skipped') {
        const item: LogItem = {
          kind: 'spec',
          key: `s${state.log.length}`,
          specId: event.specId,
          status: event.status,
          reason: event.reason,
        };
        return { ...dropLane(next, event.specId), log: [...state.log, item] };
      }
      return next;
    }
    case 'totals':
      return {
        ...state,
        totals: event.totals,
        limits: event.limits,
        totalsAt: now,
        sinceTotals: { usage: emptyUsage(), cost: 0 },
      };
    case 'baseline':
      return {
        ...state,
        log: [
          ...state.log,
          {
            kind: 'baseline',
            key: `b${state.log.length}`,
            commit: event.commit,
            source: event.source,
            checks: event.checks.map((c) => ({
              name: c.name,
              passed: c.passed,
              summary: c.summary,
            })),
            preExisting: event.preExisting,
            flaky: event.flaky,
          },
        ],
      };
    case 'warning':
      return {
        ...state,
        log: [
          ...state.log,
          {
            kind: 'warning',
            key: `w${state.log.length}`,
            message: event.message,
            ...(event.specId ? { specId: event.specId } : {}),
          },
        ],
      };
    case 'lane':
      return reduceLane(state, event, now);
    case 'run_end':
      return {
        ...state,
        end: event,
        specs: event.specs,
        totals: event.totals,
        totalsAt: now,
        sinceTotals: { usage: emptyUsage(), cost: 0 },
        current: undefined,
        lanes: [],
        mergeQueue: [],
        merging: undefined,
      };
    default:
      return state;
  }
}

/** Live totals: the last `totals` plus what the agent reported since. */
export function liveUsage(state: RunViewState): { usage: Usage; cost: Cost } {
  return {
    usage: addUsage(state.totals.usage, state.sinceTotals.usage),
    cost: addCost(state.totals.cost, state.sinceTotals.cost),
  };
}

/** Run time at `now`: the last reported elapsed time plus the time since it was reported. */
export function liveElapsed(state: RunViewState, now: number): number {
  if (state.end) return state.totals.elapsedMs;
  if (!state.started) return 0;
  return state.totals.elapsedMs + Math.max(0, now - state.totalsAt);
}
