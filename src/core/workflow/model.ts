/**
 * The parsed form of a workflow file (docs/workflows.md). The parser (workflow/parse.ts,
 * workflow/validate.ts) turns YAML — mmm's format or the predecessor's list of
 * `- claude:` / `- shell:` items — into this; the interpreter (run/) only ever reads this.
 * Templates (`${spec.title}`, `${vars.x}`, `${steps.<id>.output}`, `${feedback}`, `${item}`)
 * stay as text here: they are expanded when the step runs.
 */

/** Where a definition came from, for messages that name file:line:col. */
export interface SourcePos {
  line: number;
  col: number;
}

export interface OnFailure {
  /** Go back to this earlier step (by id) with the failure as `${feedback}`. */
  retry?: string;
  /** Attempts of the retried span in total (the first try counts); default 1 without retry, 3 with. */
  maxAttempts: number;
  /** When attempts are used up: fail the item (default), carry on with the next step, or stop the run. */
  then: 'fail' | 'continue' | 'stop';
  /**
   * The file gave no `max_attempts`: the run's config `max_attempts` applies (and a spec's
   * own `max_attempts:` wins over it), as in the loop before workflows.
   */
  maxAttemptsFromConfig?: boolean;
}

export interface StepBudget {
  usd?: number;
  tokens?: number;
}

interface StepCommon {
  /**
   * Unique within the workflow; generated as `<kind>-<n>` (1-based position) when the file
   * gives none. Results are `steps.<id>.{output, ok, exit_code,
   * score, attempts}` (workflow/context.ts): `output` is a shell step's stdout+stderr, an
   * agent's final text, a validate step's failure report (what `${feedback}` gets), a
   * goal_seek's last score output.
   */
  id: string;
  /** CEL over `steps`, `spec`, `item`, `run`, `vars`; the step is skipped when false. */
  when?: string;
  onFailure?: OnFailure;
  /** Seconds. */
  timeout?: number;
  pos: SourcePos;
}

export interface AgentStep extends StepCommon {
  kind: 'agent';
  /** The task text (a template). */
  prompt: string;
  model?: string;
  maxTurns?: number;
  budget?: StepBudget;
}

export interface ShellStep extends StepCommon {
  kind: 'shell';
  command: string;
  /** The exit code that counts as success (default 0). */
  expectExit: number;
  /** Also store the output as `vars.<capture>`. Output is always `steps.<id>.output`. */
  capture?: string;
}

/** The project commands a validate step can be limited to (config `[commands]`). */
export type ProjectCommandName = 'build' | 'test' | 'lint' | 'typecheck';

export interface ValidateStep extends StepCommon {
  kind: 'validate';
  /** The project's commands (from config). Default true. */
  commands: boolean;
  /**
   * Only these of the project's commands (YAML `commands: [lint]`), e.g. the lint-clean
   * built-in; absent = all of them. Ignoring it runs all commands: stricter, never looser.
   */
  only?: ProjectCommandName[];
  /** The spec's own checks and criterion checks (spec items only). Default true. */
  checks: boolean;
}

export interface CommitStep extends StepCommon {
  kind: 'commit';
  /** The commit subject (a template); mmm adds its trailers. */
  message: string;
}

export interface GoalSeekStep extends StepCommon {
  kind: 'goal_seek';
  prompt: string;
  /** A command that prints a number (the last number in its output counts). */
  score: string;
  target: number;
  /**
   * YAML `target: "${vars.<name>}"`: the target is that variable (a number) at run time, so
   * `--var <name>=…` sets it; `target` holds the number of the variable's default.
   */
  targetVar?: string;
  /** `up`: done when score >= target (default); `down`: done when score <= target. */
  direction: 'up' | 'down';
  maxAttempts: number;
  model?: string;
  maxTurns?: number;
  budget?: StepBudget;
}

export interface WorkflowStep extends StepCommon {
  kind: 'workflow';
  /** A workflow name (built-in or project) run for the current item. */
  workflow: string;
  vars: Record<string, string>;
}

export type Step = AgentStep | ShellStep | ValidateStep | CommitStep | GoalSeekStep | WorkflowStep;

export type StepKind = Step['kind'];

export type ForEach =
  | {
      kind: 'specs';
      /**
       * `propose: review`: when no spec is ready, a review round (an agent) writes the
       * next one as a spec file, until it finds nothing more (the `review` workflow).
       */
      propose?: 'review';
    }
  | { kind: 'list'; items: string[] }
  | { kind: 'command'; command: string; lines: boolean };

export interface WorkflowSource {
  /** Absolute path of the file, or the built-in's path inside the package. */
  path: string;
  origin: 'builtin' | 'project' | 'path';
  /** sha256 of the file's bytes: `--resume` refuses a changed workflow unless `--force`. */
  hash: string;
  /** The predecessor's list format, converted. */
  format: 'mmm' | 'predecessor';
}

export interface Workflow {
  name: string;
  description: string;
  /** Absent: one item, no `spec`/`item`. */
  forEach?: ForEach;
  /** Defaults; `--var key=value` overrides. */
  vars: Record<string, string>;
  steps: Step[];
  source: WorkflowSource;
}
