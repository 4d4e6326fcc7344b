import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { InputError } from '../../errors.js';
import { createEngine } from '../../engine/index.js';
import type { Engine } from '../../engine/types.js';
import { priceOf } from '../../llm/pricing.js';
import { listSpecFiles, loadSpecs } from '../../specs/load.js';
import { formatProblem, type Spec } from '../../specs/model.js';
import type { SpecDirSetting } from '../../specs/spec-dir.js';
import { chooseSandbox, createSandbox, createTools, type ToolSet } from '../../tools/index.js';
import { holderState, readRunLock } from '../store/lock.js';
import type { ImproveOptions } from '../options.js';
import { listRunIds, lockPath, runPaths, runsDir, type RunPaths } from '../store/paths.js';
import { readStateHeader, type RunStatus } from '../store/state.js';

/**
 * The pieces a new and a resumed run both need: the lock pre-check, the model client,
 * the tools, and the specs as they are in the work tree.
 */

/**
 * Refuse early (exit 2, naming the holder) when a live process holds the run lock, so
 * that nothing is created before the credentials are checked. The lock itself is taken
 * later by acquireRunLock, which also takes over a stale one.
 */
export async function assertLockFree(repoRoot: string): Promise<void> {
  const holder = await readRunLock(repoRoot);
  if (!holder) return;
  const state = holderState(holder);
  if (state === 'dead') return;
  const where =
    state === 'unknown' ? `pid ${holder.pid} on host ${holder.host}` : `pid ${holder.pid}`;
  throw new InputError(
    `another mmm run is active in this repository: run ${holder.runId} (${where}, since ${holder.startedAt})`,
    {
      hint:
        `wait for it to finish (mmm status), stop it (kill ${holder.pid}), ` +
        `or, if it is no longer running, delete ${lockPath(repoRoot)}`,
    },
  );
}

/**
 * The engine of the agent steps (core/engine), config `engine`: throws ProviderError
 * (exit 4) without credentials, InputError (exit 2) for a missing or too old `claude`.
 */
export function openEngine(
  config: Config,
  options: ImproveOptions,
  paths: RunPaths,
): Promise<Engine> {
  return createEngine({
    config,
    ...(options.env ? { env: options.env } : {}),
    transcriptPath: paths.transcript,
    runDir: paths.dir,
    cwd: options.cwd,
    ...(options.replayPath ? { replayPath: options.replayPath } : {}),
    ...(options.replayDelayMs !== undefined ? { replayDelayMs: options.replayDelayMs } : {}),
  });
}

/**
 * The agent's tools, rooted in the work tree; mmm's run data is off limits. The shell
 * (and, through the tool set, the validation commands) run in the sandbox that
 * tools.sandbox chooses; "no sandbox available" comes back as a warning.
 */
export function openTools(workDir: string, repoRoot: string, config: Config): ToolSet {
  const worktrees = join(repoRoot, '.mmm', 'worktrees');
  // The run's own worktree lives under .mmm/worktrees: only an in-place run protects it.
  const inWorktree = workDir.startsWith(worktrees);
  const choice = chooseSandbox(config.tools);
  const sandbox = choice.bwrap
    ? createSandbox({ bwrap: choice.bwrap, workDir, repoRoot, network: config.tools.network })
    : undefined;
  return createTools({
    root: workDir,
    protectedPaths: [runsDir(repoRoot), lockPath(repoRoot), ...(inWorktree ? [] : [worktrees])],
    config: config.tools,
    ...(sandbox ? { sandbox } : {}),
    warnings: choice.warning ? [choice.warning] : [],
  });
}

/** Whether the spec directories of `root` hold any spec file (false when they are missing). */
export async function hasSpecFiles(root: string, specDir: SpecDirSetting): Promise<boolean> {
  try {
    return (await listSpecFiles(root, specDir)).length > 0;
  } catch (error) {
    if (error instanceof InputError && /(does|do) not exist/.test(error.message)) return false;
    throw error;
  }
}

/**
 * The specs in the work tree. Problems in files the run depends on are fatal (InputError);
 * without a spec directory the list is empty.
 */
export async function loadWorkSpecs(
  workDir: string,
  specDir: SpecDirSetting,
  specsConfig: Config['specs'],
): Promise<{ specs: Spec[]; problems: string[] }> {
  if (!(await hasSpecFiles(workDir, specDir))) return { specs: [], problems: [] };
  // The same options as the check before the run: the prompt cap is the configured one.
  const loaded = await loadSpecs(workDir, specDir, {
    missingDependency: specsConfig.missing_dependency,
    maxSize: specsConfig.max_size,
  });
  return {
    specs: loaded.specs,
    problems: loaded.problems.filter((p) => p.severity === 'error').map(formatProblem),
  };
}

/** Warnings about limits that cannot be enforced. */
export function limitWarnings(config: Config, client: Pick<Engine, 'model'>): string[] {
  if (config.budget.usd === undefined) return [];
  if (priceOf(client.model, config.pricing)) return [];
  return [
    `the price of model ${client.model} is unknown, so the cost limit ($${config.budget.usd}) cannot be enforced; ` +
      `set [pricing."${client.model}"] in .mmm/config.toml or use --max-tokens`,
  ];
}

/** Statuses a run can be resumed from (`running`: its process died). */
export const RESUMABLE: readonly RunStatus[] = [
  'running',
  'interrupted',
  'limit',
  'provider_error',
];

/** The most recent resumable run of the repository, if any (unreadable runs are skipped). */
export async function latestResumableRun(repoRoot: string): Promise<string | undefined> {
  for (const id of (await listRunIds(repoRoot)).reverse()) {
    try {
      const header = await readStateHeader(runPaths(repoRoot, id).state);
      if (RESUMABLE.includes(header.status)) return id;
    } catch {
      // An unreadable run is skipped here; naming it explicitly reports why.
    }
  }
  return undefined;
}
