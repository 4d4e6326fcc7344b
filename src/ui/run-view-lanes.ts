import type { AttemptOutcome, RunEvent } from '../core/run/events.js';
import type { AttemptView, LaneView, LogItem, RunViewState } from './run-view-types.js';

/**
 * The part of `reduceRunView` for parallel runs: one attempt per lane, the lanes' way
 * onto the run branch (`lane` events) and the merge queue. A serial run never gets here
 * beyond `startAttempt`, which then only sets `current` as it always did.
 */

type AttemptStart = Extract<RunEvent, { type: 'attempt_start' }>;
type LaneEvent = Extract<RunEvent, { type: 'lane' }>;
type StepStart = Extract<RunEvent, { type: 'step_start' }>;

/** A fresh attempt, as the attempt panel and a lane line start it. */
export function newAttempt(
  event: AttemptStart,
  now: number,
  workflowSteps: { id: string; kind: string }[],
): AttemptView {
  return {
    specId: event.specId,
    title: event.title,
    iteration: event.iteration,
    attempt: event.attempt,
    maxAttempts: event.maxAttempts,
    startedAt: now,
    step: 'agent',
    stepStartedAt: now,
    turn: 0,
    text: '',
    textFinal: false,
    tools: [],
    toolCount: 0,
    toolErrors: 0,
    steps: workflowSteps.map((s) => ({ ...s, status: 'pending' })),
  };
}

/**
 * An attempt starts: the current attempt of a serial run, or a lane's attempt. A second
 * spec's attempt starting while another runs turns the view into lanes for good.
 */
export function startAttempt(state: RunViewState, attempt: AttemptView): RunViewState {
  const cur = state.current;
  const overlap = !state.laneMode && cur !== undefined && cur.specId !== attempt.specId;
  const laneMode = state.laneMode || overlap;
  let lanes = state.lanes;
  if (overlap && cur && !lanes.some((l) => l.specId === cur.specId)) {
    lanes = [...lanes, { ...cur, phase: 'opened' }];
  }
  const i = lanes.findIndex((l) => l.specId === attempt.specId);
  if (i < 0 && !laneMode) return { ...state, current: attempt };
  const lane: LaneView = { ...attempt, phase: 'opened', branch: lanes[i]?.branch };
  lanes = i < 0 ? [...lanes, lane] : lanes.map((l, j) => (j === i ? lane : l));
  return { ...state, laneMode, lanes, current: laneMode ? undefined : attempt };
}

export function findLane(
  state: RunViewState,
  specId: string,
  attempt: number,
): LaneView | undefined {
  return state.lanes.find((l) => l.specId === specId && l.attempt === attempt);
}

/** The lane's attempt ended (it stays, until it is queued, re-attempted or closed). */
export function endLaneAttempt(
  lanes: LaneView[],
  specId: string,
  attempt: number,
  outcome: AttemptOutcome,
): LaneView[] {
  if (!lanes.some((l) => l.specId === specId && l.attempt === attempt)) return lanes;
  return lanes.map((l) => (l.specId === specId && l.attempt === attempt ? { ...l, outcome } : l));
}

/** The workflow step a lane is in, for its one line. */
export function stepLane(state: RunViewState, event: StepStart): RunViewState {
  const i = state.lanes.findIndex((l) => l.specId === event.specId && l.attempt === event.attempt);
  if (i < 0) return state;
  const lanes = [...state.lanes];
  lanes[i] = { ...(lanes[i] as LaneView), stepId: event.id, stepKind: event.kind };
  return { ...state, lanes };
}

/** A spec that failed, was blocked or skipped has no lane any more. */
export function dropLane(state: RunViewState, specId: string): RunViewState {
  if (!state.lanes.some((l) => l.specId === specId)) return state;
  return { ...state, lanes: state.lanes.filter((l) => l.specId !== specId) };
}

/** Where the queue stands after the event, when the event does not say. */
function queueAfter(queue: string[], event: LaneEvent): string[] {
  if (event.queue) return event.queue;
  const rest = queue.filter((id) => id !== event.specId);
  return event.phase === 'queued' ? [...rest, event.specId] : rest;
}

function placeholder(state: RunViewState, specId: string, now: number): LaneView {
  const spec = state.specs.find((s) => s.id === specId);
  return {
    specId,
    title: spec?.title ?? specId,
    iteration: 0,
    attempt: 0,
    maxAttempts: 0,
    startedAt: now,
    step: 'agent',
    stepStartedAt: now,
    turn: 0,
    text: '',
    textFinal: false,
    tools: [],
    toolCount: 0,
    toolErrors: 0,
    steps: [],
    phase: 'opened',
  };
}

/** A `lane` event: the lane's phase, the merge queue, the spec being merged, the log. */
export function reduceLane(state: RunViewState, event: LaneEvent, now: number): RunViewState {
  const { specId, phase } = event;
  const mergeQueue = queueAfter(state.mergeQueue, event);
  const merging =
    phase === 'merging' ? specId : state.merging === specId ? undefined : state.merging;
  let lanes: LaneView[];
  if (phase === 'closed') {
    lanes = state.lanes.filter((l) => l.specId !== specId);
  } else {
    const i = state.lanes.findIndex((l) => l.specId === specId);
    const prev = state.lanes[i] ?? placeholder(state, specId, now);
    const lane: LaneView = {
      ...prev,
      phase,
      branch: event.branch ?? prev.branch,
      commit: phase === 'merged' ? event.commit : undefined,
      reason: event.reason,
    };
    lanes = i < 0 ? [...state.lanes, lane] : state.lanes.map((l, j) => (j === i ? lane : l));
  }
  const next = { ...state, lanes, mergeQueue, merging };
  if (phase !== 'merged' && phase !== 'conflict' && phase !== 'merge_failed') return next;
  const item: LogItem = {
    kind: 'lane',
    key: `l${state.log.length}`,
    specId,
    phase,
    commit: event.commit,
    reason: event.reason,
  };
  return { ...next, log: [...state.log, item] };
}
