/**
 * The baseline at --resume: taken again when the run branch moved (not by this run),
 * announced as recorded otherwise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git } from '../support/tmp.js';
import {
  branchMessages,
  events,
  fileWritingModel,
  improve,
  modelEnv,
  runEnd,
  runIdOf,
  runState,
} from '../improve/helpers.js';
import {
  CALC_WITH_DIV,
  CALC_WITH_MUL,
  DIV_SPEC,
  LEGACY_TEST,
  MUL_SPEC,
  calcRepo,
} from './calc-sample.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('baseline at --resume', () => {
  it('is taken again when the run branch moved, so a failure committed meanwhile is pre-existing', async () => {
    const repo = calcRepo({ specs: [MUL_SPEC, DIV_SPEC] });
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        mul: { path: 'calc.js', text: CALC_WITH_MUL },
        div: { path: 'calc.js', text: CALC_WITH_DIV },
      }),
    });
    const env = modelEnv(fake.url);
    const first = await improve(repo, ['--max-iterations', '1'], env);
    expect(first.exitCode, first.stderr).toBe(3);
    const end = runEnd(first.stdout);
    const runId = runIdOf(end.branch);
    const taken = events(first.stdout).find((e) => e.type === 'baseline');
    expect(taken?.source).toBe('taken');
    expect(taken?.preExisting).toEqual([]);

    // The user commits a failing test on the run branch while the run is stopped.
    const worktree = String(runState(repo, runId).worktree);
    writeFileSync(join(worktree, 'legacy.test.js'), LEGACY_TEST);
    git(worktree, 'add', 'legacy.test.js');
    git(worktree, 'commit', '-q', '-m', 'a failing test, by hand');
    const moved = git(worktree, 'rev-parse', 'HEAD');

    const second = await improve(repo, ['--resume', '--max-iterations', '5'], env);
    expect(second.exitCode, second.stderr).toBe(0);
    const retaken = events(second.stdout).find((e) => e.type === 'baseline');
    expect(retaken?.source).toBe('retaken');
    expect(retaken?.commit).toBe(moved);
    expect(String((retaken?.preExisting as string[])[0])).toMatch(/legacy/);
    const ends = events(second.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['passed']);
    expect(branchMessages(repo, end.branch)).toHaveLength(3);
    const state = runState(repo, runId) as { baseline: { commit: string } };
    expect(state.baseline.commit).toBe(moved);
  }, 120_000);

  it('is announced as recorded when the branch moved only by the run itself', async () => {
    const repo = calcRepo({ specs: [MUL_SPEC, DIV_SPEC] });
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        mul: { path: 'calc.js', text: CALC_WITH_MUL },
        div: { path: 'calc.js', text: CALC_WITH_DIV },
      }),
    });
    const env = modelEnv(fake.url);
    const first = await improve(repo, ['--max-iterations', '1'], env);
    expect(first.exitCode, first.stderr).toBe(3);
    const taken = events(first.stdout).find((e) => e.type === 'baseline');
    const second = await improve(repo, ['--resume', '--max-iterations', '5'], env);
    expect(second.exitCode, second.stderr).toBe(0);
    const recorded = events(second.stdout).find((e) => e.type === 'baseline');
    expect(recorded?.source).toBe('recorded');
    expect(recorded?.commit).toBe(taken?.commit);
  }, 120_000);
});
