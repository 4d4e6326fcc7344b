/**
 * The crash test: `kill -9` at random moments, then `mmm improve --resume` (killed again
 * at random in some trials) until the run completes. Every trial must end with a branch
 * whose tree and commit messages equal those of an uninterrupted run. The run interprets
 * a project workflow (chosen by config) with shell, agent, validate and commit steps.
 * The trials' machinery is shared with the parallel crash test (tests/support/kill-trials.ts).
 *
 * MMM_KILL_TRIALS (default 12) and MMM_KILL_SEED (default: random, printed) control it.
 */
import { expect } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRASH_WORKFLOW, describeKillTrials, lastRunState } from '../support/kill-trials.js';
import { git } from '../support/tmp.js';
import { events, fileWritingModel, improveRepo, TEST_CONFIG, runEnd, specFile } from './helpers.js';

const TRIALS = Number(process.env.MMM_KILL_TRIALS ?? 12);
const SEED = Number(process.env.MMM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 2;

/**
 * Three specs; the second fails its first attempt (the check script finds a "bug"); the
 * third is written but not committed, so the run starts by bringing it in.
 */
const SPECS = [
  { id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] },
  { id: 'second', title: 'Write b', dependsOn: ['first'], checks: ['file_exists: b.txt'] },
];
const UNCOMMITTED = { id: 'third', title: 'Write c', checks: ['file_exists: c.txt'] };

function fixture(): string {
  const repo = improveRepo(SPECS, {
    '.mmm/config.toml': `workflow = "crash"\n${TEST_CONFIG}`,
    '.mmm/workflows/crash.yml': CRASH_WORKFLOW,
  });
  writeFileSync(join(repo, 'specs', '03-third.md'), specFile(UNCOMMITTED));
  return repo;
}
const MODEL = fileWritingModel({
  first: { path: 'a.txt', text: 'alpha\n' },
  second: {
    path: 'b.txt',
    text: (t) => (t.system.includes('Validation failed') ? 'beta\n' : 'bug\n'),
  },
  third: { path: 'c.txt', text: 'gamma\n' },
});

/** Where a kill landed: the step recorded in the state (or before the first checkpoint). */
function killedAt(repo: string): string {
  const state = lastRunState<{
    current?: { step: string; stepId?: string } | null;
    plan?: { commands?: unknown };
  }>(repo);
  if (!state) return 'before the first checkpoint';
  if (!state.plan?.commands) return 'setup';
  return state.current
    ? `step ${state.current.stepId ?? state.current.step} (${state.current.step})`
    : 'between steps';
}

describeKillTrials({
  title: 'kill -9 at random moments, then resume',
  label: 'kill test',
  trials: TRIALS,
  seed: SEED,
  concurrency: CONCURRENCY,
  fixture,
  model: MODEL,
  killedAt,
  checkReference(repo, r, reference) {
    const kinds = events(r.stdout).flatMap((e) => (e.type === 'step_end' ? [e.kind] : []));
    expect(new Set(kinds)).toEqual(new Set(['agent', 'shell', 'validate', 'commit']));
    expect(git(repo, 'show', `${runEnd(r.stdout).branch}:stamp-second.txt`)).toBe(
      'stamped Write b',
    );
    expect(reference.messages.map((m) => m.split('\n')[0])).toEqual([
      'mmm: use the uncommitted spec files of the checkout',
      'mmm: Write a',
      'mmm: Write b',
      'mmm: Write c',
    ]);
  },
  checkEnd(repo, _r, why) {
    expect(git(repo, 'status', '--porcelain'), why).toBe('?? specs/03-third.md');
    expect(existsSync(join(repo, '.mmm', 'run.lock')), why).toBe(false);
  },
});
