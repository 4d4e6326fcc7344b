import type { AgentBudget, AgentEvent, AgentResult } from '../agent/index.js';
import type { ToolSet } from '../tools/index.js';

/**
 * What runs an agent step (DESIGN.md §6). The run's agent step hands an engine a task in
 * a directory and reads back the same AgentEvent stream, whichever engine it is: mmm's
 * own loop on the Messages API, or the user's `claude` CLI. Budgets, validation, commits
 * and state stay outside the engines; an engine only stops early when told (the budget,
 * the stop signals) and says why in its attempt_end.
 */
export type EngineName = 'api' | 'claude-code';

export interface EngineTask {
  /** Which step this is: a retry of the same spec can continue the same session. */
  specId: string;
  attempt: number;
  /** Where the agent works (the run's worktree, or the checkout with --in-place). */
  workDir: string;
  /** The main checkout, where `.mmm/` lives. */
  repoRoot: string;
  /** mmm's rules and the task text (agent/prompt.ts), and the first user message. */
  system: string;
  task: string;
  budget: AgentBudget;
  /** mmm's own tools (the API engine runs them; Claude Code brings its own). */
  tools: ToolSet;
  /** Hard abort: stop now. */
  signal: AbortSignal;
  /** Any stop, graceful or hard: cancel the in-flight request. */
  requestSignal: AbortSignal;
  /** Graceful stop, polled between tool calls. */
  stopAfterTool: () => boolean;
  /** A workflow step's own `model:` (default: config `model`). */
  model?: string;
  /** A workflow step's own `max_turns:` (default: config `max_turns`). */
  maxTurns?: number;
}

export interface Engine {
  readonly name: EngineName;
  /** The model the engine asks for (config `model`). */
  readonly model: string;
  /**
   * Runs one agent step. Yields every event and returns (after yielding it) the
   * attempt_end. Throws only an MmmError with exit code 4 (authentication): no later
   * attempt can succeed either.
   */
  run(task: EngineTask): AsyncGenerator<AgentEvent, AgentResult>;
}
