import { z } from 'zod';
import type { Usage } from '../../llm/usage.js';
import type {
  AttemptOutcome,
  CheckResult,
  CriterionVerdict,
  Limits,
  RunStep,
  SpecRunStatus,
  Totals,
} from '../events.js';

/**
 * The zod schema of a run's state (`.mmm/runs/<id>/state.json` + its iteration log).
 * Version 1. Adding an optional field is compatible; anything else bumps the version.
 * Documented in docs/state.md.
 */
export const STATE_VERSION = 1;

const count = z.number().int().nonnegative();

export const usageSchema = z.object({
  input: count,
  output: count,
  cacheWrite: count,
  cacheRead: count,
});

/** USD, or null when the price is unknown. */
export const costSchema = z.number().nonnegative().nullable();

export const specRunStatusSchema = z.enum([
  'pending',
  'in-progress',
  'done',
  'failed',
  'blocked',
  'skipped',
]);
export const attemptOutcomeSchema = z.enum([
  'passed',
  'failed',
  'no_changes',
  'agent_error',
  'stopped',
]);
export const runStepSchema = z.enum([
  'review',
  'agent',
  'validate',
  'commit',
  'rollback',
  'fix',
  'shell',
  'goal_seek',
]);
export const runStatusSchema = z.enum([
  'running',
  'completed',
  'failed',
  'limit',
  'interrupted',
  'provider_error',
]);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const checkResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  summary: z.string(),
  exitCode: z.number().int().optional(),
  failedTests: z.array(z.string()).optional(),
  output: z.string().optional(),
  durationMs: z.number().nonnegative(),
  tests: z
    .object({
      runner: z.string(),
      source: z.enum(['report', 'console', 'counts']),
      identity: z.enum(['names', 'counts']),
      tests: z.array(
        z.object({
          id: z.string(),
          file: z.string().optional(),
          name: z.string(),
          status: z.enum(['passed', 'failed', 'skipped']),
        }),
      ),
      passed: count,
      failed: count,
      skipped: count,
    })
    .optional(),
  diagnostics: z
    .object({
      tool: z.string(),
      identity: z.enum(['names', 'counts']),
      diagnostics: z.array(
        z.object({
          id: z.string(),
          file: z.string().optional(),
          line: z.number().int().optional(),
          rule: z.string().optional(),
          severity: z.enum(['error', 'warning']),
          message: z.string(),
        }),
      ),
      errors: count,
      warnings: count,
    })
    .optional(),
});

/** report_evidence calls of an attempt (tools/report-evidence-tool.ts). */
export const evidenceReportSchema = z.object({
  criterion: z.number().int().positive(),
  tests: z.array(z.string()),
  note: z.string().optional(),
});

/** Each acceptance criterion's verdict (verdict/evidence.ts). */
export const criterionVerdictSchema = z.object({
  n: z.number().int().positive(),
  text: z.string(),
  status: z.enum(['verified', 'unverified', 'contradicted', 'ticked']),
  evidence: z.array(z.string()),
  reason: z.string().optional(),
  note: z.string().optional(),
});

export const iterationSchema = z.object({
  index: count,
  specId: z.string(),
  attempt: z.number().int().positive(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  outcome: attemptOutcomeSchema.optional(),
  usage: usageSchema,
  cost: costSchema,
  validation: z.array(checkResultSchema).optional(),
  /** The commit the attempt started from (what a rollback resets to). */
  checkpoint: z.string(),
  commit: z.string().optional(),
  /** Path of the saved patch of a rolled-back attempt. */
  patch: z.string().optional(),
  feedback: z.string().optional(),
  summary: z.string().optional(),
  fingerprint: z.string().optional(),
  /** What the model reported with report_evidence. */
  evidence: z.array(evidenceReportSchema).optional(),
  /** The criteria's verdicts after validation. */
  criteria: z.array(criterionVerdictSchema).optional(),
});
export type Iteration = z.infer<typeof iterationSchema>;

export const specStateSchema = z.object({
  title: z.string(),
  file: z.string(),
  status: specRunStatusSchema,
  attempts: count,
  commit: z.string().optional(),
  failure: z.string().optional(),
  /** Done, but these criteria ("2. text") had no verified evidence and stay unticked. */
  unverified: z.array(z.string()).optional(),
});
export type SpecState = z.infer<typeof specStateSchema>;

export const limitsSchema = z.object({
  maxIterations: z.number().int().positive(),
  usd: z.number().positive().optional(),
  tokens: z.number().int().positive().optional(),
  time: z.number().positive().optional(),
});

export const totalsSchema = z.object({
  usage: usageSchema,
  cost: costSchema,
  iterations: count,
  commits: count,
  /** Accumulated across sessions (resume adds to it). */
  elapsedMs: z.number().nonnegative(),
});

export const currentStepSchema = z.object({
  specId: z.string(),
  attempt: z.number().int().positive(),
  /** What recovery does with the tree: redo the attempt (agent), keep it (validate, shell), … */
  step: runStepSchema,
  checkpoint: z.string(),
  /** The workflow step being run (absent in runs before workflows). */
  stepId: z.string().optional(),
});

/** One step's result for the current item (the CEL `steps.<id>` and `${steps.<id>.output}`). */
export const stepRecordSchema = z.object({
  kind: z.string(),
  ok: z.boolean(),
  skipped: z.boolean().optional(),
  /** Captured output (shell: stdout+stderr tail; agent: its summary; goal_seek: the score). */
  output: z.string().optional(),
  exitCode: z.number().int().optional(),
  /** The work tree had uncommitted changes when the step ended. */
  changed: z.boolean().optional(),
  /** Why it failed (the feedback of a retry). */
  failure: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/**
 * Where the interpreter is inside the current item (run/interpreter): the attempt, the
 * step it started at, the step running or next, and each step's result so far.
 * `failed` marks a step that failed: its rollback is done or under way, and what follows
 * (retry, fail the item, continue, stop) is decided from the recorded state.
 */
export const cursorSchema = z.object({
  item: z.string(),
  attempt: z.number().int().positive(),
  start: z.string(),
  step: z.string(),
  failed: z.boolean().optional(),
  /** The commit uncommitted changes are measured from (moves with each commit step). */
  checkpoint: z.string(),
  steps: z.record(z.string(), stepRecordSchema),
  /** The feedback of the last failure (`${feedback}`). */
  feedback: z.string().optional(),
});
export type Cursor = z.infer<typeof cursorSchema>;

/** The workflow a run interprets (`--resume` refuses a changed file unless --force). */
export const workflowRunSchema = z.object({
  name: z.string(),
  path: z.string(),
  origin: z.string(),
  /** sha256 of the file's bytes when the run started. */
  hash: z.string(),
  /** The variables after `--var` overrides. */
  vars: z.record(z.string(), z.string()),
  /** Items of a `for_each` list or command, fixed at the start (specs are in specOrder). */
  items: z.array(z.string()).optional(),
  cursor: cursorSchema.nullable().optional(),
  /** Captured outputs by name (`capture:`), also `${vars.<name>}`. */
  captured: z.record(z.string(), z.string()).optional(),
});
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

/**
 * What the run was asked to do and what it decided once at the start (kept so that a
 * resumed run prompts and validates exactly like an uninterrupted one). Owned by the
 * improve loop (src/core/run/improve.ts).
 */
export const runPlanSchema = z.object({
  /** `--spec` ids, when the run was limited to them. */
  specIds: z.array(z.string()).optional(),
  /** `--focus`: the area the review step looks at. */
  focus: z.string().optional(),
  /** `--merge`: fast-forward the base branch when everything passed. */
  merge: z.boolean().optional(),
  /** The analyzer's summary, as put into every system prompt. */
  analysisSummary: z.string().optional(),
  /** Project commands every attempt is validated with, in order. */
  commands: z
    .array(z.object({ name: z.enum(['build', 'test', 'lint', 'typecheck']), command: z.string() }))
    .optional(),
  /** The formatter the review workflow runs after each accepted spec. */
  formatCommand: z.string().optional(),
  /** The project's commands as configured or detected ('' = none): `run.<name>_command`. */
  projectCommands: z.record(z.string(), z.string()).optional(),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

/** Review workflow progress: rounds run, and whether the last one proposed nothing. */
export const reviewStateSchema = z.object({
  rounds: count,
  /** Review rounds in a row that produced no usable spec. */
  empty: count,
  finished: z.boolean(),
});

/**
 * The baseline (core/verdict): the project's commands run on the untouched run branch
 * before any model call; what fails there is pre-existing, never an attempt's fault.
 */
export const baselineSchema = z.object({
  /** The commit the commands ran on. */
  commit: z.string(),
  takenAt: z.string(),
  durationMs: z.number().nonnegative(),
  /** Per command and, for tests, per test (failing ones re-run once, merged). */
  results: z.array(checkResultSchema),
  /** Test ids (or command names) that failed once and passed once: never decide alone. */
  flaky: z.array(z.string()),
  /** One line per pre-existing failure. */
  preExisting: z.array(z.string()),
});

/**
 * One lane of a parallel run (run/parallel): a spec worked on in its own worktree and
 * branch, started from the run branch at `base`. The lane has its own cursor and current
 * step (what `workflowRun.cursor` and `current` are for a serial run). `accepted`: its
 * attempt passed and was committed on the lane branch (`commit`); it waits to merge.
 */
export const laneSchema = z.object({
  specId: z.string(),
  branch: z.string(),
  dir: z.string(),
  base: z.string(),
  phase: z.enum(['working', 'accepted']),
  commit: z.string().optional(),
  cursor: cursorSchema.nullable().optional(),
  current: currentStepSchema.nullable().optional(),
});
export type Lane = z.infer<typeof laneSchema>;

/** `--parallel N`: the lanes open now, and the merge under way (redone on resume). */
export const parallelStateSchema = z.object({
  width: z.number().int().min(2),
  /** Open lanes by spec id. */
  lanes: z.record(z.string(), laneSchema),
  /** A merge onto the run branch in progress: `before` is the run branch before it. */
  merging: z.object({ specId: z.string(), before: z.string() }).nullable().optional(),
});
export type ParallelState = z.infer<typeof parallelStateSchema>;

export const runStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  runId: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: runStatusSchema,
  repoRoot: z.string(),
  worktree: z.string(),
  branch: z.string(),
  baseBranch: z.string().nullable(),
  baseCommit: z.string(),
  inPlace: z.boolean(),
  /** The workflow's name (`specs` and `review` are built in). */
  workflow: z.string(),
  workflowRun: workflowRunSchema.optional(),
  /** The Config snapshot the run started with. */
  config: z.record(z.string(), z.unknown()),
  specOrder: z.array(z.string()),
  specs: z.record(z.string(), specStateSchema),
  iterations: z.array(iterationSchema),
  totals: totalsSchema,
  current: currentStepSchema.nullable().optional(),
  stopReason: z.string().optional(),
  limits: limitsSchema,
  plan: runPlanSchema.optional(),
  review: reviewStateSchema.optional(),
  baseline: baselineSchema.optional(),
  parallel: parallelStateSchema.optional(),
});
export type RunState = z.infer<typeof runStateSchema>;

/** state.json on disk: the snapshot without iterations, which live in the iteration log. */
export const iterationLogRefSchema = z.object({
  /** File name in the run directory, e.g. `iterations-0.jsonl`. */
  file: z.string().regex(/^iterations-\d+\.jsonl$/),
  /** Number of iterations of the snapshot. */
  count,
  /** Bytes of the file that belong to the snapshot; anything after is ignored. */
  bytes: count,
});
export const stateFileSchema = runStateSchema
  .omit({ iterations: true })
  .extend({ iterationLog: iterationLogRefSchema });
export type StateFile = z.infer<typeof stateFileSchema>;
export type RunStateHeader = Omit<RunState, 'iterations'>;

// The schema and the event contracts must describe the same shapes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<z.infer<typeof usageSchema>, Usage>,
  Same<z.infer<typeof specRunStatusSchema>, SpecRunStatus>,
  Same<z.infer<typeof attemptOutcomeSchema>, AttemptOutcome>,
  Same<z.infer<typeof runStepSchema>, RunStep>,
  Same<z.infer<typeof checkResultSchema>, CheckResult>,
  Same<z.infer<typeof limitsSchema>, Limits>,
  Same<z.infer<typeof totalsSchema>, Totals>,
  Same<z.infer<typeof criterionVerdictSchema>, CriterionVerdict>,
] = [true, true, true, true, true, true, true, true];
void sameShapes;
