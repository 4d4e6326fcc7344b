import { existsSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { totalTokens, type Cost, type Usage } from '../../llm/usage.js';
import { branchExists, isAncestor, removeWorktree } from '../../git/worktree.js';
import { removeLaneWorktrees } from '../parallel/lane-git.js';
import type { SpecRunStatus } from '../events.js';
import { holderState, readRunLock, type LockInfo } from './lock.js';
import { isRunId, listRunIds, runPaths } from './paths.js';
import { readStateHeader, type RunStateHeader, type RunStatus } from './state.js';

/** What `mmm status` and `mmm runs` show about one run (from state.json and the lock). */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  /** A process holding the lock is working on this run right now. */
  live: boolean;
  /** `mmm improve --resume <id>` can continue it. */
  resumable: boolean;
  branch: string;
  baseBranch: string | null;
  baseCommit: string;
  worktree: string;
  worktreeExists: boolean;
  inPlace: boolean;
  workflow: string;
  createdAt: string;
  updatedAt: string;
  specs: {
    id: string;
    title: string;
    status: SpecRunStatus;
    attempts: number;
    commit?: string;
    failure?: string;
    /** Done, but these criteria had no verified evidence ("2. text"). */
    unverified?: string[];
  }[];
  specCounts: Record<SpecRunStatus, number> & { total: number };
  iterations: number;
  commits: number;
  usage: Usage;
  tokens: number;
  cost: Cost;
  elapsedMs: number;
  current: RunStateHeader['current'];
  /** A parallel run's open lanes, in spec order, and the spec being merged (issue 11). */
  lanes?: { specId: string; phase: 'working' | 'accepted'; branch: string; step?: string }[];
  merging?: string;
  stopReason?: string;
  /** Commands to run next (resume, merge, clean). */
  next: string[];
  /** The lock holder, when live. */
  holder?: LockInfo;
  /** The baseline (core/verdict): what already failed before any attempt. */
  baseline?: {
    commit: string;
    takenAt: string;
    checks: { name: string; passed: boolean; summary: string }[];
    preExisting: string[];
    flaky: string[];
  };
}

export type RunListEntry = RunSummary | { runId: string; error: string };

const RESUMABLE: readonly RunStatus[] = ['running', 'interrupted', 'limit', 'provider_error'];

function liveHolder(lock: LockInfo | undefined, runId: string): LockInfo | undefined {
  if (!lock || lock.runId !== runId) return undefined;
  return holderState(lock) === 'dead' ? undefined : lock;
}

export function summarizeRun(
  repoRoot: string,
  header: RunStateHeader & { iterationCount: number },
  lock: LockInfo | undefined,
): RunSummary {
  const holder = liveHolder(lock, header.runId);
  const live = holder !== undefined;
  const resumable = !live && RESUMABLE.includes(header.status);
  const worktree = header.inPlace ? header.repoRoot : runPaths(repoRoot, header.runId).worktree;
  const worktreeExists = existsSync(worktree);
  const ids = [
    ...header.specOrder,
    ...Object.keys(header.specs).filter((id) => !header.specOrder.includes(id)),
  ];
  const specs = ids.flatMap((id) => {
    const s = header.specs[id];
    return s ? [{ id, ...s }] : [];
  });
  const specCounts = {
    pending: 0,
    'in-progress': 0,
    done: 0,
    failed: 0,
    blocked: 0,
    skipped: 0,
    total: specs.length,
  };
  for (const s of specs) specCounts[s.status]++;
  const next: string[] = [];
  if (live) next.push(`mmm status ${header.runId}`);
  else if (resumable) next.push(`mmm improve --resume ${header.runId}`);
  if (!live && !header.inPlace && header.totals.commits > 0 && !resumable) {
    next.push(
      header.baseBranch
        ? `git switch ${header.baseBranch} && git merge --ff-only ${header.branch}`
        : `git merge --ff-only ${header.branch}`,
    );
  }
  if (!live && !resumable && !header.inPlace && worktreeExists) next.push('mmm runs clean');
  return {
    runId: header.runId,
    status: header.status,
    live,
    resumable,
    branch: header.branch,
    baseBranch: header.baseBranch,
    baseCommit: header.baseCommit,
    worktree,
    worktreeExists,
    inPlace: header.inPlace,
    workflow: header.workflow,
    createdAt: header.createdAt,
    updatedAt: header.updatedAt,
    specs,
    specCounts,
    iterations: Math.max(header.totals.iterations, header.iterationCount),
    commits: header.totals.commits,
    usage: header.totals.usage,
    tokens: totalTokens(header.totals.usage),
    cost: header.totals.cost,
    elapsedMs: header.totals.elapsedMs,
    current: header.current ?? null,
    ...lanesOf(header),
    ...(header.stopReason !== undefined ? { stopReason: header.stopReason } : {}),
    next,
    ...(holder ? { holder } : {}),
    ...(header.baseline
      ? {
          baseline: {
            commit: header.baseline.commit,
            takenAt: header.baseline.takenAt,
            checks: header.baseline.results.map((r) => ({
              name: r.name,
              passed: r.passed,
              summary: r.summary,
            })),
            preExisting: header.baseline.preExisting,
            flaky: header.baseline.flaky,
          },
        }
      : {}),
  };
}

/**
 * Drop the merge advice of a run whose branch is gone or already in its base branch
 * (merged with --merge or by hand): running it again would do nothing or fail.
 */
async function withoutDoneMerge(repoRoot: string, summary: RunSummary): Promise<RunSummary> {
  const advice = summary.next.findIndex((n) => n.includes('git merge --ff-only'));
  if (advice === -1) return summary;
  let done = !(await branchExists(repoRoot, summary.branch));
  if (!done && summary.baseBranch && (await branchExists(repoRoot, summary.baseBranch))) {
    done = await isAncestor(
      repoRoot,
      `refs/heads/${summary.branch}`,
      `refs/heads/${summary.baseBranch}`,
    );
  }
  if (done) summary.next.splice(advice, 1);
  return summary;
}

async function entryFor(
  repoRoot: string,
  runId: string,
  lock: LockInfo | undefined,
): Promise<RunListEntry> {
  try {
    const header = await readStateHeader(runPaths(repoRoot, runId).state);
    return await withoutDoneMerge(repoRoot, summarizeRun(repoRoot, header, lock));
  } catch (error) {
    if (error instanceof InputError) return { runId, error: error.message };
    throw error;
  }
}

/** Every run of the repository, oldest first; unreadable ones carry their error. */
export async function listRuns(repoRoot: string): Promise<RunListEntry[]> {
  const [ids, lock] = await Promise.all([listRunIds(repoRoot), readRunLock(repoRoot)]);
  return Promise.all(ids.map((id) => entryFor(repoRoot, id, lock)));
}

/**
 * The run `mmm status` shows: `runId` if given (must exist), else the run holding the
 * lock, else the latest. undefined when the repository has no runs.
 */
export async function findRun(repoRoot: string, runId?: string): Promise<RunSummary | undefined> {
  const lock = await readRunLock(repoRoot);
  const ids = await listRunIds(repoRoot);
  let id = runId;
  if (id !== undefined) {
    if (!isRunId(id) || !ids.includes(id)) {
      throw new InputError(`no run ${id} in ${repoRoot}`, {
        hint: 'list the runs of this repository with `mmm runs`',
      });
    }
  } else {
    id = lock && ids.includes(lock.runId) && liveHolder(lock, lock.runId) ? lock.runId : ids.at(-1);
  }
  if (id === undefined) return undefined;
  const header = await readStateHeader(runPaths(repoRoot, id).state);
  return withoutDoneMerge(repoRoot, summarizeRun(repoRoot, header, lock));
}

export interface CleanResult {
  removed: { runId: string; worktree: string }[];
  kept: { runId: string; worktree: string; reason: string }[];
}

/**
 * Remove the worktrees of finished runs (and of resumable ones with `all`). Never the
 * worktree of a live run, never an in-place checkout; branches and run records are kept.
 */
export async function cleanRuns(
  repoRoot: string,
  options: { all?: boolean } = {},
): Promise<CleanResult> {
  const result: CleanResult = { removed: [], kept: [] };
  for (const entry of await listRuns(repoRoot)) {
    const worktree = runPaths(repoRoot, entry.runId).worktree;
    if ('error' in entry) {
      if (existsSync(worktree))
        result.kept.push({ runId: entry.runId, worktree, reason: entry.error });
      continue;
    }
    if (entry.inPlace || !existsSync(worktree)) continue;
    if (entry.live) {
      const pid = entry.holder ? ` (pid ${entry.holder.pid})` : '';
      result.kept.push({ runId: entry.runId, worktree, reason: `running${pid}` });
      continue;
    }
    if (entry.resumable && !options.all) {
      result.kept.push({
        runId: entry.runId,
        worktree,
        reason: `resumable (${entry.status}): mmm improve --resume ${entry.runId}; --all removes it`,
      });
      continue;
    }
    await removeWorktree(repoRoot, worktree);
    await removeLaneWorktrees(repoRoot, entry.runId);
    result.removed.push({ runId: entry.runId, worktree });
  }
  return result;
}

function lanesOf(header: RunStateHeader): Pick<RunSummary, 'lanes' | 'merging'> {
  const parallel = header.parallel;
  if (!parallel) return {};
  const lanes = header.specOrder
    .map((id) => parallel.lanes[id])
    .filter((l): l is NonNullable<typeof l> => l !== undefined)
    .map((l) => ({
      specId: l.specId,
      phase: l.phase,
      branch: l.branch,
      ...(l.current?.stepId ? { step: l.current.stepId } : {}),
    }));
  return {
    ...(lanes.length ? { lanes } : {}),
    ...(parallel.merging ? { merging: parallel.merging.specId } : {}),
  };
}
