import type { Config } from '../config/schema.js';
import type { Engine } from '../engine/types.js';
import type { Spec } from '../specs/model.js';
import type { SpecDirSetting } from '../specs/spec-dir.js';
import type { ToolSet } from '../tools/index.js';
import type { ProjectCommand } from '../validate/index.js';
import type { Workflow } from '../workflow/model.js';
import type { RunEventBody } from './events.js';
import type { RunLock } from './store/lock.js';
import type { RunPaths } from './store/paths.js';
import { saveState, type RunState } from './store/state.js';
import type { RunStopper } from './stop.js';

/**
 * Everything a started run works with: its state (the single mutable record, saved at
 * every step transition), where it works, and the services it calls. Built by setup.ts,
 * used by the loop, released by `closeSession`.
 */
export interface RunSession {
  state: RunState;
  paths: RunPaths;
  /** The main working tree, where `.mmm/` lives. */
  repoRoot: string;
  /** Where the agent works: the run's worktree, or the checkout with --in-place. */
  workDir: string;
  config: Config;
  /** What runs the agent steps (core/engine). */
  engine: Engine;
  tools: ToolSet;
  /** The spec directory, or the list of them (new specs go into the first), relative to the work tree. */
  specDir: SpecDirSetting;
  /** Specs as found in the work tree (the run's source of truth for their text). */
  specs: Spec[];
  commands: ProjectCommand[];
  agentNotes: string | undefined;
  /** The workflow the run interprets (run/interpreter). */
  workflow: Workflow;
  stopper: RunStopper;
  lock: RunLock;
  resumed: boolean;
  /** Warnings to announce right after run_start. */
  warnings: string[];
  /** Epoch ms this process took over the run; elapsed = state base + (now - this). */
  sessionStart: number;
  elapsedBase: number;
  /** The baseline taken by this session's setup, announced right after run_start. */
  baselineEvent?: Extract<RunEventBody, { type: 'baseline' }>;
  /**
   * Set in a lane of a parallel run (run/parallel/lane-session.ts): `state` is then a view
   * whose `current` and `workflowRun.cursor` are the lane's, and `workDir` the lane's
   * worktree; `sharedState` is the run's record, the one that is saved.
   */
  lane?: LaneRef;
  sharedState?: RunState;
}

/** What a step needs to know about the lane it runs in. */
export interface LaneRef {
  specId: string;
  /** The lane's tip ref (refs/mmm/<run-id>/lanes/<spec>): its last checkpoint. */
  tipRef: string;
  /** The run branch commit the lane started from. */
  base: string;
}

export type EngineEvents = AsyncGenerator<RunEventBody, void>;

export function elapsedMs(session: RunSession, now = Date.now()): number {
  return session.elapsedBase + (now - session.sessionStart);
}

/**
 * Write the state (atomically) with the current time and elapsed time. saveState runs
 * saves of one file one after another, so lanes checkpointing at once never interleave.
 */
export async function saveRunState(session: RunSession): Promise<void> {
  const state = session.sharedState ?? session.state;
  const now = Date.now();
  state.updatedAt = new Date(now).toISOString();
  state.totals = { ...state.totals, elapsedMs: elapsedMs(session, now) };
  await saveState(session.paths.state, state);
}

export function specById(session: RunSession, id: string): Spec | undefined {
  return session.specs.find((s) => s.id === id);
}
