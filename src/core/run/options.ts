import type { RunEndStatus } from './events.js';

/** What `mmm improve` was asked to do (the CLI flags, already parsed). */
export interface ImproveOptions {
  /** Where mmm was started: inside the repository to improve. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** --model */
  model?: string;
  /** --parallel: specs worked on at once (config `parallel`). */
  parallel?: number;
  /** --max-iterations */
  maxIterations?: number;
  /** --max-cost, USD */
  maxCost?: number;
  /** --max-tokens */
  maxTokens?: number;
  /** --max-time, seconds */
  maxTime?: number;
  /** --spec: work only on these spec ids. */
  specIds?: string[];
  /** --focus: review mode, narrowed to this area. */
  focus?: string;
  /** --workflow: a workflow name (built-in or .mmm/workflows/) or a path to a file. */
  workflow?: string;
  /** --var key=value (repeatable): overrides of the workflow's vars. */
  vars?: Record<string, string>;
  /** --force: resume even though the workflow file changed since the run started. */
  force?: boolean;
  /** --in-place: work in the checkout (on a new branch) instead of a worktree. */
  inPlace?: boolean;
  /** --engine: what runs the agent steps (config `engine`). */
  engine?: 'api' | 'claude-code';
  /** --merge: fast-forward the starting branch when everything passed. */
  merge?: boolean;
  /** --resume [run-id]: `true` picks the latest resumable run. */
  resume?: string | true;
  /** Hidden --replay: serve the model's answers from this recorded transcript. */
  replayPath?: string;
  /** Hidden --replay-delay, milliseconds between streamed chunks. */
  replayDelayMs?: number;
}

/** How a run ended. */
export interface RunResult {
  exitCode: number;
  status: RunEndStatus;
  runId: string;
  branch: string;
}

/** The config keys the limit and model flags override (dotted, as loadConfig takes them). */
export function configFlags(options: ImproveOptions): Record<string, unknown> {
  return {
    model: options.model,
    engine: options.engine,
    max_iterations: options.maxIterations,
    parallel: options.parallel,
    'budget.usd': options.maxCost,
    'budget.tokens': options.maxTokens,
    'budget.time': options.maxTime,
  };
}
