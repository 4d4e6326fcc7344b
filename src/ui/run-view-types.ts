import type { AgentStopReason } from '../core/agent/events.js';
import type { Cost, Usage } from '../core/llm/usage.js';
import type {
  AttemptOutcome,
  CheckResult,
  LanePhase,
  Limits,
  RunEventBody,
  RunStep,
  SpecSummary,
  Totals,
} from '../core/run/events.js';

/**
 * What the live UI shows, reduced from the RunEvent stream by a pure function.
 * Times are epoch milliseconds taken from the events' `t`, so a replayed stream
 * reduces to the same state.
 */
export interface ToolView {
  id: string;
  name: string;
  summary: string;
  status: 'running' | 'ok' | 'error';
  display?: string;
  durationMs?: number;
}

export interface ValidationView {
  passed: boolean;
  checks: CheckResult[];
}

/** A workflow step of the current item, as the step list shows it. */
export interface StepView {
  id: string;
  kind: string;
  status: 'pending' | 'running' | 'ok' | 'failed' | 'skipped' | 'stopped';
}

export interface AttemptView {
  specId: string;
  title: string;
  iteration: number;
  attempt: number;
  maxAttempts: number;
  startedAt: number;
  step: RunStep;
  stepStartedAt: number;
  turn: number;
  /** The assistant's text of the latest turn (streamed, then final). */
  text: string;
  /** The `text` event of that turn came (the next delta starts a new text). */
  textFinal: boolean;
  /** The most recent tool calls (bounded), oldest first. */
  tools: ToolView[];
  toolCount: number;
  toolErrors: number;
  validation?: ValidationView;
  /** "retry 2 in 4s: overloaded" while the provider is retried. */
  notice?: string;
  agentEnd?: { reason: AgentStopReason; turns: number; error?: string };
  /** The workflow's steps for this item (empty for streams without them). */
  steps: StepView[];
}

/**
 * A lane of a parallel run: the attempt running in its own worktree (everything the
 * attempt panel knows), then its way onto the run branch (`phase`).
 */
export interface LaneView extends AttemptView {
  /** `opened` while its attempt runs (and after it ended, until `queued`). */
  phase: LanePhase;
  branch?: string;
  /** The workflow step running now (step_start), when the workflow names its steps. */
  stepId?: string;
  stepKind?: string;
  /** How the lane's attempt ended (attempt_end), before it is queued or re-attempted. */
  outcome?: AttemptOutcome;
  /** merged: the commit on the run branch; conflict / merge_failed: why not. */
  commit?: string;
  reason?: string;
}

/** A line in the scrollback (Ink `<Static>`): append-only. */
export type LogItem =
  | {
      kind: 'attempt';
      key: string;
      specId: string;
      title: string;
      iteration: number;
      attempt: number;
      maxAttempts: number;
      outcome: AttemptOutcome;
      commit?: string;
      feedback?: string;
      durationMs: number;
      toolCount: number;
      validation?: ValidationView;
      agentError?: string;
      /** Criteria ticked with verified evidence (or before the run), when judged. */
      criteriaDone?: number;
      /** It ran in a lane of a parallel run: its commit is the lane's, not yet merged. */
      inLane?: boolean;
    }
  | { kind: 'warning'; key: string; message: string; specId?: string }
  | {
      kind: 'lane';
      key: string;
      specId: string;
      phase: 'merged' | 'conflict' | 'merge_failed';
      commit?: string;
      reason?: string;
    }
  | {
      kind: 'baseline';
      key: string;
      commit: string;
      source: string;
      checks: { name: string; passed: boolean; summary: string }[];
      preExisting: string[];
      flaky: string[];
    }
  | { kind: 'spec'; key: string; specId: string; status: string; reason?: string };

export type RunEnd = Extract<RunEventBody, { type: 'run_end' }>;

export interface RunViewState {
  runId: string;
  branch: string;
  model: string;
  workflow: string;
  /** The workflow's steps (run_start). */
  workflowSteps: { id: string; kind: string }[];
  worktree: string;
  resumed: boolean;
  started: boolean;
  startedAt: number;
  specs: SpecSummary[];
  limits: Limits;
  /** The latest `totals` event, and when it came. */
  totals: Totals;
  totalsAt: number;
  /** Usage reported by the agent since that `totals` event (added for live gauges). */
  sinceTotals: { usage: Usage; cost: Cost };
  current?: AttemptView;
  /** Lanes that run at once (run_start `parallel`; 1: one spec at a time). */
  parallel: number;
  /**
   * Show lanes instead of the single attempt: the run is parallel, or a second spec's
   * attempt started while one was running. Then `current` stays empty.
   */
  laneMode: boolean;
  /** The active lanes, in the order they opened; a lane goes on `closed`. */
  lanes: LaneView[];
  /** Spec ids waiting to merge, in merge order (the latest lane event's `queue`). */
  mergeQueue: string[];
  /** The spec being merged onto the run branch now. */
  merging?: string;
  lastValidation?: ValidationView;
  log: LogItem[];
  end?: RunEnd;
  /** The time of the last event. */
  lastEventAt: number;
  events: number;
}
