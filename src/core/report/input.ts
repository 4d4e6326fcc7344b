import type { RunEvent } from '../run/events.js';
import type { RunState } from '../run/store/state-schema.js';

/**
 * The shape of what a report is made from. The run's own types are re-exported here so
 * the pure modules of src/core/report name the run through this file only.
 */
export type { RunEvent, CheckResult, CriterionVerdict, VerdictSummary } from '../run/events.js';
export type { RunState, Iteration } from '../run/store/state-schema.js';

/** A commit the run made, as git tells it (source.ts). */
export interface CommitFacts {
  sha: string;
  subject: string;
  /** `Key: value` trailers in order, e.g. ["Mmm-Spec", "add-retry"]. */
  trailers: [string, string][];
  /** Lines added/deleted per file; null for binary files. */
  files: { path: string; added: number | null; deleted: number | null }[];
}

/** What a report is made from: read once by source.ts, then only pure functions. */
export interface ReportInput {
  state: RunState;
  /** events.jsonl, in order (empty when the file is gone). */
  events: RunEvent[];
  /** By sha: the commits of accepted attempts that git still has. */
  commits: Record<string, CommitFacts>;
  /** Saved patch path → the same path relative to the repository. */
  patches: Record<string, string>;
  /** A process is working on the run right now. */
  live: boolean;
  /** What to run next (resume, merge, clean), as `mmm status` says. */
  next: string[];
  /** events.jsonl had events (else timings are "not recorded"). */
  eventsRecorded: boolean;
}
