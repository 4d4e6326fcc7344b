import type { CriterionVerdict, RunState } from './input.js';

/**
 * The report of one run: everything `mmm report` shows, computed once (build.ts) and
 * rendered as markdown, HTML, JSON (this object) or a pull-request body. Version 1;
 * fields are only added. Absent facts are `null` ("not recorded"), never zero.
 */
export const REPORT_VERSION = 1;

export interface Tokens {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** Where an attempt's wall time went, from the event log. */
export interface TimeSplit {
  /** Waiting for the model (request sent → response complete). */
  modelMs: number;
  /** Running tools (edits, shell commands). */
  toolsMs: number;
  /** Running the checks after the model finished. */
  validationMs: number;
  /** The rest: commits, rollbacks, bookkeeping. */
  otherMs: number;
}

export interface CheckReport {
  name: string;
  passed: boolean;
  summary: string;
  durationMs: number;
  failedTests: string[];
  /** The first lines of the output of a failing check (empty when it passed). */
  outputHead: string[];
}

export interface CommitReport {
  sha: string;
  subject: string | null;
  trailers: [string, string][];
  files: { path: string; added: number | null; deleted: number | null }[];
  insertions: number | null;
  deletions: number | null;
}

export interface AttemptReport {
  /** Position in the run (0-based), as in state.json. */
  index: number;
  specId: string;
  attempt: number;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  /** null while it is under way. */
  outcome: string | null;
  usage: Tokens;
  tokens: number;
  cost: number | null;
  /**
   * The cost split by token kind: the model's list prices weighted by the tokens of each
   * kind, scaled to add up to `cost`. null when the price is unknown.
   */
  costByKind: Tokens | null;
  time: TimeSplit | null;
  checks: CheckReport[];
  /** Why it was rejected, one line each (empty when accepted). */
  failureReasons: string[];
  /** Failures that were there before the attempt, as the verdict said. */
  preExisting: string[];
  flaky: string[];
  criteria: CriterionVerdict[];
  commit: CommitReport | null;
  /** The saved patch of a rejected attempt, relative to the repository. */
  patch: string | null;
  /** The same patch's absolute path (the HTML report links to it). */
  patchFile: string | null;
  summary: string | null;
  feedback: string | null;
  /** Timeline lane: 0 unless attempts overlapped in time. */
  lane: number;
}

export interface SpecReport {
  id: string;
  title: string;
  file: string;
  status: string;
  failure: string | null;
  unverified: string[];
  commit: string | null;
  attempts: AttemptReport[];
  cost: number | null;
  tokens: number;
  durationMs: number;
  /** The verdict of each criterion, from the last attempt that has them. */
  criteria: CriterionVerdict[];
}

export interface RunReport {
  version: typeof REPORT_VERSION;
  run: {
    id: string;
    status: RunState['status'];
    live: boolean;
    /** Why it stopped, in words (null while running without one). */
    reason: string | null;
    branch: string;
    baseBranch: string | null;
    baseCommit: string;
    workflow: RunState['workflow'];
    model: string | null;
    createdAt: string;
    updatedAt: string;
    /** Summed over every session of the run. */
    durationMs: number;
    inPlace: boolean;
    /** `--parallel` lanes (1: one spec at a time); the time split then sums overlapping lanes. */
    parallel: number;
  };
  totals: {
    usage: Tokens;
    tokens: number;
    cost: number | null;
    /** What the same tokens would have cost without prompt caching; null if unpriced. */
    costWithoutCache: number | null;
    cacheSavings: number | null;
    /** Cache reads over all prompt tokens, 0..1; null without prompt tokens. */
    cacheShare: number | null;
    iterations: number;
    commits: number;
    specs: Record<string, number> & { total: number };
    /** Summed over attempts; null when no attempt has timings. */
    time: TimeSplit | null;
  };
  limits: RunState['limits'];
  baseline: {
    commit: string;
    takenAt: string;
    durationMs: number;
    checks: { name: string; passed: boolean; summary: string }[];
    preExisting: string[];
    flaky: string[];
  } | null;
  specs: SpecReport[];
  /** Every attempt in run order (the charts' x axis). */
  attempts: AttemptReport[];
  warnings: string[];
  next: string[];
  /** False when events.jsonl is missing: timings and verdict details are not recorded. */
  eventsRecorded: boolean;
}
