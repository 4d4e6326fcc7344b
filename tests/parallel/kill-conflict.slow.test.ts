/**
 * The crash test of a merge conflict under `--parallel 2` (issue 11): kill -9 mostly in
 * the middle of merges — the conflicting merge, its clean-up and the opening of the
 * re-attempt's fresh lane included — then `--resume` until the run completes, with the
 * tree and commit messages of an uninterrupted run.
 *
 * Two specs change the same line of shared.txt. Both lanes open at once from the first
 * commit (a lane keeps its base across resumes, and no merge happens before both lanes
 * are open), so the second one's merge conflicts whatever the timing: its re-attempt,
 * told of the conflict, writes both marks. That makes the result timing-independent,
 * unlike conflicts between specs that may start from different run-branch commits.
 *
 * MMM_KILL_TRIALS_CONFLICT (default 2) and MMM_KILL_SEED (default: random, printed).
 */
import { expect } from 'vitest';
import type { RecordedRequest, ScriptedReply } from '../support/fake-anthropic.js';
import {
  describeKillTrials,
  laneKillPoint,
  planAnywhere,
  type KillPlan,
  type ReferenceRun,
  expectNoLaneLeft,
} from '../support/kill-trials.js';
import { git } from '../support/tmp.js';
import {
  createFile,
  describeTurn,
  events,
  finish,
  improveRepo,
  runEnd,
} from '../improve/helpers.js';

const TRIALS = Number(process.env.MMM_KILL_TRIALS_CONFLICT ?? 2);
const SEED = Number(process.env.MMM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

function fixture(): string {
  return improveRepo(
    [
      { id: 'left', title: 'Mark shared left', checks: ['file_exists: left.txt'] },
      { id: 'right', title: 'Mark shared right', checks: ['file_exists: right.txt'] },
    ],
    { 'shared.txt': 'start\n' },
  );
}

/** right marks the line again after the conflict feedback, on top of left's mark. */
function model(request: RecordedRequest): ScriptedReply {
  const t = describeTurn(request);
  if (t.taskId === 'left') {
    if (t.turn === 1) return createFile('shared.txt', 'start left\n');
    if (t.turn === 2) return createFile('left.txt', 'left\n');
    return finish('left done');
  }
  const redo = t.system.includes('conflicts');
  if (t.turn === 1) return createFile('shared.txt', redo ? 'start left right\n' : 'start right\n');
  if (t.turn === 2) return createFile('right.txt', 'right\n');
  return finish('right done');
}

const isMerging = (e: Record<string, unknown>) => e.type === 'lane' && e.phase === 'merging';

/**
 * Seven plans in ten land in the conflicting merge: after right's first `merging` event,
 * within 1.2× the time the reference took from it to the `conflict` event (the cherry-pick,
 * its abort, the run branch put back, the re-attempt's fresh lane opened and saved); the
 * others anywhere.
 */
function plan(next: () => number, reference: ReferenceRun): KillPlan {
  if (next() < 0.7) {
    const { events, times } = reference;
    const merging = events.findIndex((e) => isMerging(e) && e.specId === 'right');
    const conflict = events.findIndex((e) => e.type === 'lane' && e.phase === 'conflict');
    const window = (times[conflict] ?? 0) - (times[merging] ?? 0);
    const k = events.slice(0, merging + 1).filter(isMerging).length;
    const delayMs = Math.floor(next() * window * 1.2);
    return { afterEvent: k, delayMs, on: isMerging, label: `merge ${k} + ${delayMs}ms` };
  }
  return planAnywhere(next, reference);
}

describeKillTrials({
  title: 'kill -9 of `--parallel 2` around a conflicting merge, then resume',
  label: 'parallel conflict kill test',
  trials: TRIALS,
  seed: SEED,
  concurrency: 2,
  fixture,
  model,
  args: ['--parallel', '2'],
  plan,
  killedAt: laneKillPoint,
  checkReference(repo, r, reference) {
    const lanes = events(r.stdout)
      .filter((e) => e.type === 'lane')
      .map((e) => `${String(e.phase)}:${String(e.specId)}`);
    expect(lanes).toContain('conflict:right');
    expect(git(repo, 'show', `${runEnd(r.stdout).branch}:shared.txt`)).toBe('start left right');
    expect(reference.messages.map((m) => m.split('\n')[0])).toEqual([
      'mmm: Mark shared left',
      'mmm: Mark shared right',
    ]);
  },
  checkEnd: expectNoLaneLeft,
});
