import { relative } from 'node:path';
import { git } from '../git/exec.js';
import { readEventLog } from '../run/store/event-log.js';
import { runPaths } from '../run/store/paths.js';
import { findRun, listRuns } from '../run/store/runs.js';
import { loadState } from '../run/store/state.js';
import { InputError } from '../errors.js';
import type { ReportInput, CommitFacts } from './input.js';

/**
 * The one place the report reads a run's store (src/core/run) and git: everything else in
 * src/core/report is pure functions of what this returns. Reading never changes the run.
 */

/** The commit's subject, trailers and per-file line counts; undefined when git lacks it. */
async function commitFacts(repoRoot: string, sha: string): Promise<CommitFacts | undefined> {
  const r = await git(
    repoRoot,
    [
      'show',
      '--no-color',
      '--no-renames',
      '--numstat',
      '--format=%H%x00%s%x00%(trailers:only=true,unfold=true)%x00',
      sha,
      '--',
    ],
    { okCodes: [128] },
  );
  if (r.exitCode !== 0) return undefined;
  const [full = '', subject = '', trailerBlock = '', rest = ''] = r.stdout.split('\0');
  const trailers: [string, string][] = [];
  for (const line of trailerBlock.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const files: CommitFacts['files'] = [];
  for (const line of rest.split('\n')) {
    const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
    if (!m) continue;
    files.push({
      path: m[3] ?? '',
      added: m[1] === '-' ? null : Number(m[1]),
      deleted: m[2] === '-' ? null : Number(m[2]),
    });
  }
  return { sha: full.trim(), subject, trailers, files };
}

/**
 * Everything a report of `runId` (default: the running run, else the latest) is made of:
 * its state, its events, the commits it made. InputError (exit 2) when there is no such run.
 */
export async function loadReportInput(repoRoot: string, runId?: string): Promise<ReportInput> {
  const summary = await findRun(repoRoot, runId);
  if (!summary) {
    throw new InputError(`no runs yet in ${repoRoot}`, {
      hint: 'start one with `mmm improve`; `mmm report` describes a run once it exists',
    });
  }
  const paths = runPaths(repoRoot, summary.runId);
  const [state, events] = await Promise.all([loadState(paths.state), readEventLog(paths.events)]);
  const commits: Record<string, CommitFacts> = {};
  for (const it of state.iterations) {
    if (!it.commit || commits[it.commit]) continue;
    const facts = await commitFacts(repoRoot, it.commit);
    if (facts) commits[it.commit] = facts;
  }
  const patches: Record<string, string> = {};
  for (const it of state.iterations) {
    if (it.patch) patches[it.patch] = relative(repoRoot, it.patch) || it.patch;
  }
  return {
    state,
    events,
    commits,
    patches,
    live: summary.live,
    next: summary.next,
    eventsRecorded: events.length > 0,
  };
}

/** The run ids of a repository, oldest first, with the readable ones' inputs (for stats). */
export async function loadAllReportInputs(
  repoRoot: string,
): Promise<{ inputs: ReportInput[]; unreadable: { runId: string; error: string }[] }> {
  const inputs: ReportInput[] = [];
  const unreadable: { runId: string; error: string }[] = [];
  for (const entry of await listRuns(repoRoot)) {
    if ('error' in entry) {
      unreadable.push({ runId: entry.runId, error: entry.error });
      continue;
    }
    const paths = runPaths(repoRoot, entry.runId);
    try {
      const [state, events] = await Promise.all([
        loadState(paths.state),
        readEventLog(paths.events),
      ]);
      inputs.push({
        state,
        events,
        commits: {},
        patches: {},
        live: entry.live,
        next: entry.next,
        eventsRecorded: events.length > 0,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.push({ runId: entry.runId, error: error.message });
    }
  }
  return { inputs, unreadable };
}
