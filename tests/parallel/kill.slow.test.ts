/**
 * The crash test of `--parallel 2` (issue 11): `kill -9` at random moments — in a lane's
 * step, between steps, during set-up, and in the middle of a merge onto the run branch —
 * then a plain `mmm improve --resume` (killed again at random in some trials) until the
 * run completes. Every trial must end with the tree and commit messages of an uninterrupted
 * run, a clean checkout, no lock, and no lane worktree or lane branch left.
 *
 * Four specs, two lanes at once, a merge every few events: three independent specs and
 * one that depends on the first; the second fails its first attempt (the check script
 * finds a "bug") so its lane retries. No two specs touch the same file: a conflict's
 * outcome depends on which lane started from which run-branch commit, so it would not be
 * the same whatever the timing.
 *
 * MMM_KILL_TRIALS_PARALLEL (default 8) and MMM_KILL_SEED (default: random, printed).
 */
import { expect } from 'vitest';
import {
  describeKillTrials,
  laneKillPoint,
  planAnywhere,
  type KillPlan,
  type ReferenceRun,
  expectNoLaneLeft,
  CRASH_WORKFLOW,
} from '../support/kill-trials.js';
import { git } from '../support/tmp.js';
import { events, fileWritingModel, improveRepo, runEnd, TEST_CONFIG } from '../improve/helpers.js';

const TRIALS = Number(process.env.MMM_KILL_TRIALS_PARALLEL ?? 8);
const SEED = Number(process.env.MMM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 2;

const SPECS = [
  { id: 'alpha', title: 'Write a', checks: ['file_exists: a.txt'] },
  { id: 'beta', title: 'Write b', checks: ['file_exists: b.txt'] },
  { id: 'gamma', title: 'Write c', checks: ['file_exists: c.txt'] },
  { id: 'delta', title: 'Write d', dependsOn: ['alpha'], checks: ['file_exists: d.txt'] },
];

function fixture(): string {
  return improveRepo(SPECS, {
    '.mmm/config.toml': `workflow = "crash"\n${TEST_CONFIG}`,
    '.mmm/workflows/crash.yml': CRASH_WORKFLOW,
  });
}

const MODEL = fileWritingModel({
  alpha: { path: 'a.txt', text: 'alpha\n' },
  beta: {
    path: 'b.txt',
    text: (t) => (t.system.includes('Validation failed') ? 'beta\n' : 'bug\n'),
  },
  gamma: { path: 'c.txt', text: 'gamma\n' },
  delta: { path: 'd.txt', text: 'delta\n' },
});

const isMerging = (e: Record<string, unknown>) => e.type === 'lane' && e.phase === 'merging';
const isMerged = (e: Record<string, unknown>) => e.type === 'lane' && e.phase === 'merged';

/**
 * A quarter of the plans land just after a merge starts (the k-th merge of the run, plus
 * up to 80 ms: the cherry-pick, the validation on the run branch, the commit), one in six
 * just after a merge was saved (while its lane is being removed); the others are the
 * serial test's (start-up and set-up, or past a random event).
 */
function plan(next: () => number, reference: ReferenceRun): KillPlan {
  const pick = next();
  if (pick < 0.25 + 1 / 6) {
    const merge = pick < 0.25;
    const on = merge ? isMerging : isMerged;
    const k = 1 + Math.floor(next() * reference.events.filter(on).length);
    const delayMs = Math.floor(next() * (merge ? 80 : 40));
    return {
      afterEvent: k,
      delayMs,
      on,
      label: `${merge ? 'merge' : 'merged'} ${k} + ${delayMs}ms`,
    };
  }
  return planAnywhere(next, reference);
}

describeKillTrials({
  title: 'kill -9 of `--parallel 2` at random moments (mid-merge too), then resume',
  label: 'parallel kill test',
  trials: TRIALS,
  seed: SEED,
  concurrency: CONCURRENCY,
  fixture,
  model: MODEL,
  args: ['--parallel', '2'],
  // A plain `--resume`, as a user types it: the run goes on with the width it started with.
  resumeArgs: [],
  plan,
  killedAt: laneKillPoint,
  checkReference(repo, r, reference) {
    const evs = events(r.stdout);
    expect(evs.find((e) => e.type === 'run_start')?.parallel).toBe(2);
    // Two lanes really ran at once, every spec merged, and beta's lane retried.
    const lanes = evs
      .filter((e) => e.type === 'lane')
      .map((e) => `${String(e.phase)}:${String(e.specId)}`);
    expect(lanes.indexOf('opened:beta')).toBeLessThan(lanes.indexOf('merged:alpha'));
    expect(evs.filter(isMerging)).toHaveLength(4);
    const beta = evs.filter((e) => e.type === 'attempt_end' && e.specId === 'beta');
    expect(beta.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(git(repo, 'show', `${runEnd(r.stdout).branch}:stamp-delta.txt`)).toBe('stamped Write d');
    expect(reference.messages.map((m) => m.split('\n')[0])).toEqual([
      'mmm: Write a',
      'mmm: Write b',
      'mmm: Write c',
      'mmm: Write d',
    ]);
  },
  checkEnd: expectNoLaneLeft,
});
