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
}

export type EngineEvents = AsyncGenerator<RunEventBody, void>;

export function elapsedMs(session: RunSession, now = Date.now()): number {
  return session.elapsedBase + (now - session.sessionStart);
}

/** Write the state (atomically) with the current time and elapsed time. */
export async function checkpoint(session: RunSession): Promise<void> {
  const now = Date.now();
  session.state.updatedAt = new Date(now).toISOString();
  session.state.totals = { ...session.state.totals, elapsedMs: elapsedMs(session, now) };
  await saveState(session.paths.state, session.state);
}

export function specById(session: RunSession, id: string): Spec | undefined {
  return session.specs.find((s) => s.id === id);
}
