import type { Step, Workflow } from '../../workflow/model.js';
import type { AttemptOutcome, CheckResult } from '../events.js';
import type { ItemRef } from '../interpreter/context.js';
import type { RunSession } from '../session.js';
import type { Cursor, Iteration } from '../store/state.js';

/**
 * What a step kind works with and how it reports back to the interpreter. A step never
 * rolls back or retries by itself: it says `failed` with the feedback, and the
 * interpreter rolls the item's uncommitted changes back and applies `on_failure`.
 */
export interface StepEnv {
  session: RunSession;
  workflow: Workflow;
  item: ItemRef;
  /** The item's cursor in the run state (mutated by the interpreter). */
  cursor: Cursor;
  /** The attempt's record while it is open (closed by a commit or a failure). */
  iteration: Iteration | undefined;
  /** Said by an agent step, added to a later validation failure (max_turns). */
  notes: { agent?: string };
  /** The last validation's results since the last commit (for the commit message). */
  results?: CheckResult[];
  /**
   * Validating a lane's work merged onto the run branch (run/parallel/merge.ts): the spec
   * file's write-back in the diff is mmm's own, checked in the lane already.
   */
  merging?: boolean;
  /** The step being run (its context differs inside an expanded `workflow:` step). */
  step?: Step;
  /** The template and CEL context now. */
  context(): Record<string, unknown>;
}

export interface Failure {
  outcome: AttemptOutcome;
  feedback: string;
  fingerprint: string;
  results: CheckResult[];
}

export type StepStop = {
  kind: 'stop';
  status: 'interrupted' | 'limit' | 'provider_error';
  reason: string;
};

export type StepResult =
  | { kind: 'ok'; output?: string; exitCode?: number; changed?: boolean }
  | { kind: 'failed'; failure: Failure; output?: string; exitCode?: number; changed?: boolean }
  | StepStop;

export function interrupted(reason = 'interrupted by a signal'): StepStop {
  return { kind: 'stop', status: 'interrupted', reason };
}

export function failed(
  feedback: string,
  fingerprint: string,
  outcome: AttemptOutcome = 'failed',
): StepResult {
  return { kind: 'failed', failure: { outcome, feedback, fingerprint, results: [] } };
}
