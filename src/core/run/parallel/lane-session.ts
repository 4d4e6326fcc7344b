import { openTools } from '../lifecycle/services.js';
import type { RunSession } from '../session.js';
import type { Lane, RunState, WorkflowRun } from '../store/state.js';
import { laneTipRef } from '../../git/run-refs.js';

/**
 * A lane's view of the run (run/parallel): the same session — state, engine, budgets,
 * stopper, paths — with the lane's worktree as the work directory, tools rooted there, and
 * a state whose `current` and `workflowRun.cursor` are the lane's own. Everything else in
 * the state (specs, iterations, totals, limits) is the run's, shared by every lane, so the
 * interpreter's steps run in a lane unchanged and every budget check sees all lanes'
 * spending. A checkpoint saves the run's record (`sharedState`), lanes included.
 */
export function laneSession(session: RunSession, lane: Lane): RunSession {
  const shared = session.sharedState ?? session.state;
  return {
    ...session,
    workDir: lane.dir,
    tools: openTools(lane.dir, session.repoRoot, session.config),
    state: laneStateView(shared, lane),
    sharedState: shared,
    lane: { specId: lane.specId, tipRef: laneTipRef(shared.runId, lane.specId), base: lane.base },
  };
}

/** The run's state with `current` and `workflowRun.cursor` read from and written to `lane`. */
function laneStateView(state: RunState, lane: Lane): RunState {
  const runView = (run: WorkflowRun): WorkflowRun =>
    new Proxy(run, {
      get: (target, key, receiver) =>
        key === 'cursor' ? (lane.cursor ?? null) : Reflect.get(target, key, receiver),
      set: (target, key, value, receiver) => {
        if (key !== 'cursor') return Reflect.set(target, key, value, receiver);
        lane.cursor = value as Lane['cursor'];
        return true;
      },
    });
  let view: { of: WorkflowRun; proxy: WorkflowRun } | undefined;
  return new Proxy(state, {
    get: (target, key, receiver) => {
      if (key === 'current') return lane.current ?? null;
      if (key === 'workflowRun') {
        const run = target.workflowRun;
        if (!run) return run;
        if (view?.of !== run) view = { of: run, proxy: runView(run) };
        return view.proxy;
      }
      return Reflect.get(target, key, receiver);
    },
    set: (target, key, value, receiver) => {
      if (key !== 'current') return Reflect.set(target, key, value, receiver);
      lane.current = value as Lane['current'];
      return true;
    },
  });
}
