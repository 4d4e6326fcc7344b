import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where a run keeps its files. Everything lives under `<repoRoot>/.mmm/` (git-ignored
 * through `.git/info/exclude`); see docs/state.md.
 */
export interface RunPaths {
  /** `.mmm/runs/<id>` */
  dir: string;
  /**
   * `state.json`: the snapshot, replaced atomically at each checkpoint. Its iterations are
   * in `iterations-<gen>.jsonl` next to it, named by state.json (see state.ts).
   */
  state: string;
  /** `events.jsonl`: every RunEvent, append-only. */
  events: string;
  /** `transcript.jsonl`: every request and response. */
  transcript: string;
  /** Directory of `<spec>-<n>.patch` files of rolled-back attempts. */
  attempts: string;
  debugLog: string;
  /** `.mmm/worktrees/<id>` */
  worktree: string;
}

const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** A sortable, unique run id: `20261122-014500-a1b2` (UTC time + 4 random hex digits). */
export function newRunId(now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(2).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

export function mmmDir(repoRoot: string): string {
  return join(repoRoot, '.mmm');
}

export function runsDir(repoRoot: string): string {
  return join(repoRoot, '.mmm', 'runs');
}

export function lockPath(repoRoot: string): string {
  return join(repoRoot, '.mmm', 'run.lock');
}

export function runPaths(repoRoot: string, runId: string): RunPaths {
  const dir = join(runsDir(repoRoot), runId);
  return {
    dir,
    state: join(dir, 'state.json'),
    events: join(dir, 'events.jsonl'),
    transcript: join(dir, 'transcript.jsonl'),
    attempts: join(dir, 'attempts'),
    debugLog: join(dir, 'debug.log'),
    worktree: join(repoRoot, '.mmm', 'worktrees', runId),
  };
}

/** Ids of the runs recorded in this repository, oldest first. */
export async function listRunIds(repoRoot: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(runsDir(repoRoot), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isDirectory() && isRunId(e.name))
    .map((e) => e.name)
    .sort();
}
