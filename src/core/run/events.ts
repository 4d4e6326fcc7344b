import type { AgentEvent } from '../agent/events.js';
import type { Cost, Usage } from '../llm/usage.js';
import type { DiagnosticReport, TestReport } from '../validate/test-report.js';

/**
 * The event stream of `mmm improve`. Appended to `.mmm/runs/<id>/events.jsonl`,
 * printed one per line by `--json`, rendered by the TUI and the plain renderer.
 * Documented in docs/events.md; adding a field is compatible, renaming is not.
 */
export type SpecRunStatus = 'pending' | 'in-progress' | 'done' | 'failed' | 'blocked' | 'skipped';

export interface SpecSummary {
  id: string;
  title: string;
  status: SpecRunStatus;
  criteriaDone: number;
  criteriaTotal: number;
  /** Why it failed, was blocked or skipped. */
  reason?: string;
  /** The commit that completed it in this run. */
  commit?: string;
  /** Attempts made in this run. */
  attempts?: number;
}

export interface Limits {
  maxIterations: number;
  usd?: number;
  tokens?: number;
  /** seconds */
  time?: number;
}

export interface Totals {
  usage: Usage;
  cost: Cost;
  iterations: number;
  commits: number;
  elapsedMs: number;
}

export interface CheckResult {
  /** e.g. "test", "lint", "run: npm run e2e", "file_exists: src/x.ts", "expr" */
  name: string;
  passed: boolean;
  /** One line: "12 passed, 1 failed", "exit 2", "missing" … */
  summary: string;
  exitCode?: number;
  failedTests?: string[];
  /** Tail of the output, for feedback; bounded. */
  output?: string;
  durationMs: number;
  /** Per-test results of a test command (see validate/test-report.ts). */
  tests?: TestReport;
  /** Per-finding results of a lint or typecheck command. */
  diagnostics?: DiagnosticReport;
}

/** An acceptance criterion's verdict (core/verdict/evidence.ts). */
export type CriterionStatus = 'verified' | 'unverified' | 'contradicted' | 'ticked';

export interface CriterionVerdict {
  /** 1-based, in the order of the spec's criteria. */
  n: number;
  text: string;
  status: CriterionStatus;
  /** What proved it, or what was named: e.g. `test "adds" passed`. */
  evidence: string[];
  /** Why it is unverified or contradicted. */
  reason?: string;
  /** The model's note from report_evidence. */
  note?: string;
}

/** The verdict on an attempt's validation, as sentences (see docs/validation.md). */
export interface VerdictSummary {
  /** Failures this attempt introduced. */
  newFailures: string[];
  /** Failures that were there before the attempt (not its fault). */
  preExisting: string[];
  /** Flaky tests (or commands) whose failure was not counted. */
  flaky: string[];
}

export type RunStep =
  'review' | 'agent' | 'validate' | 'commit' | 'rollback' | 'fix' | 'shell' | 'goal_seek';

/** How a workflow step ended (step_end). */
export type StepOutcome = 'ok' | 'failed' | 'skipped' | 'stopped';

export type AttemptOutcome = 'passed' | 'failed' | 'no_changes' | 'agent_error' | 'stopped';

export type RunEndStatus = 'completed' | 'failed' | 'limit' | 'interrupted' | 'provider_error';

interface Base {
  /** ISO time */
  t: string;
  runId: string;
}

export type LanePhase =
  'opened' | 'queued' | 'merging' | 'merged' | 'conflict' | 'merge_failed' | 'closed';

export type RunEventBody =
  | {
      type: 'run_start';
      branch: string;
      worktree: string;
      baseCommit: string;
      model: string;
      workflow: string;
      /** The workflow's steps, in order (what the renderers list for the current item). */
      steps?: { id: string; kind: string }[];
      specs: SpecSummary[];
      limits: Limits;
      resumed: boolean;
      /** Lanes that run at once (`--parallel`); absent or 1: one spec at a time. */
      parallel?: number;
    }
  | {
      type: 'attempt_start';
      specId: string;
      title: string;
      iteration: number;
      attempt: number;
      maxAttempts: number;
    }
  | { type: 'step'; specId: string; attempt: number; step: RunStep }
  | {
      /** A workflow step starts for an item (`specId`: the spec id or the item's key). */
      type: 'step_start';
      specId: string;
      attempt: number;
      id: string;
      kind: string;
    }
  | {
      type: 'step_end';
      specId: string;
      attempt: number;
      id: string;
      kind: string;
      outcome: StepOutcome;
      durationMs: number;
      /** Why it failed or was skipped, one line. */
      reason?: string;
    }
  | { type: 'agent'; specId: string; attempt: number; event: AgentEvent }
  | {
      type: 'validation';
      specId: string;
      attempt: number;
      /** The verdict: no new failure and the spec's checks pass (not "every check exited 0"). */
      passed: boolean;
      checks: CheckResult[];
      /** What the verdict found (core/verdict), one sentence each; absent without one. */
      verdict?: VerdictSummary;
    }
  | {
      type: 'attempt_end';
      specId: string;
      attempt: number;
      outcome: AttemptOutcome;
      commit?: string;
      /** What the next attempt is told, when it failed. */
      feedback?: string;
      patch?: string;
      /** Each acceptance criterion with its evidence, once the checks passed. */
      criteria?: CriterionVerdict[];
    }
  | { type: 'spec_status'; specId: string; status: SpecRunStatus; reason?: string }
  | { type: 'totals'; totals: Totals; limits: Limits }
  | {
      type: 'warning';
      message: string;
      /** The lane (spec) it is about, in a parallel run. */ specId?: string;
    }
  | {
      /**
       * A lane of a parallel run (`--parallel N`, docs/improve.md): `opened` (its worktree
       * and branch made from the run branch), `queued` (its attempt passed in the lane and
       * waits to merge), `merging`, `merged` (on the run branch and validated there),
       * `conflict` / `merge_failed` (not merged: re-attempted with the reason as feedback),
       * `closed` (its worktree and branch removed).
       */
      type: 'lane';
      specId: string;
      phase: LanePhase;
      branch?: string;
      dir?: string;
      /** merged: the commit on the run branch. */
      commit?: string;
      /** conflict / merge_failed: one line. */
      reason?: string;
      /** Spec ids waiting to merge after this event, in merge order. */
      queue?: string[];
    }
  | {
      /** The baseline was taken (before any model call): what already fails is pre-existing. */
      type: 'baseline';
      commit: string;
      durationMs: number;
      /** Per project command, as on the untouched run branch. */
      checks: CheckResult[];
      /** One line per pre-existing failure (empty: the baseline is green). */
      preExisting: string[];
      /** Tests (or commands) that failed once and passed on a re-run. */
      flaky: string[];
      /**
       * `taken` at the start of the run; `retaken` at --resume because the run branch
       * moved; `recorded` at --resume: the run's baseline, as taken before.
       */
      source: 'taken' | 'retaken' | 'recorded';
    }
  | {
      type: 'run_end';
      status: RunEndStatus;
      reason: string;
      exitCode: number;
      branch: string;
      specs: SpecSummary[];
      totals: Totals;
      /** What to run next, e.g. the merge command. */
      next: string[];
    };

export type RunEvent = Base & RunEventBody;

/**
 * A started run as its readers see it: the event stream, and the two ways to stop it.
 * `requestStop` finishes the current tool call, checkpoints and ends the run (exit 130);
 * `abort` stops at once (a second Ctrl-C). Both keep state consistent.
 */
export interface RunHandle {
  events: AsyncIterable<RunEvent>;
  requestStop(): void;
  abort(): void;
}
