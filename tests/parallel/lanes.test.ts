import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git } from '../support/tmp.js';
import {
  branchMessages,
  events,
  fileAt,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
  runIdOf,
  runState,
} from '../improve/helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const FOUR = ['alpha', 'beta', 'gamma', 'delta'];

describe('mmm improve --parallel', () => {
  it('works on 4 independent specs two at a time, merges each onto the run branch, in spec order', async () => {
    const repo = improveRepo(
      FOUR.map((id) => ({ id, title: `Write ${id}`, checks: [`file_exists: ${id}.txt`] })),
    );
    const files = Object.fromEntries(
      FOUR.map((id) => [id, { path: `${id}.txt`, text: `${id}\n` }]),
    );
    fake = await startFakeAnthropic({ script: fileWritingModel(files) });

    const r = await improve(repo, ['--parallel', '2'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const evs = events(r.stdout);
    const { branch } = runEnd(r.stdout);
    expect(evs.find((e) => e.type === 'run_start')?.parallel).toBe(2);
    // One commit per spec on the run branch, in spec order, each with the spec's file.
    const messages = branchMessages(repo, branch);
    expect(messages.map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual(FOUR);
    for (const id of FOUR) expect(fileAt(repo, branch, `${id}.txt`)).toBe(id);
    // Two lanes really ran at once: a second lane opened before the first merged.
    const order = evs
      .filter((e) => e.type === 'lane')
      .map((e) => `${String(e.phase)}:${String(e.specId)}`);
    expect(order.indexOf('opened:beta')).toBeLessThan(order.indexOf('merged:alpha'));
    // Never more than two lanes open at once.
    let open = 0;
    let most = 0;
    for (const e of evs.filter((x) => x.type === 'lane')) {
      if (e.phase === 'opened') open++;
      if (e.phase === 'closed') open--;
      most = Math.max(most, open);
    }
    expect(most).toBe(2);
    // done only after merged, for every spec
    for (const id of FOUR) {
      const merged = evs.findIndex(
        (e) => e.type === 'lane' && e.phase === 'merged' && e.specId === id,
      );
      const done = evs.findIndex(
        (e) => e.type === 'spec_status' && e.status === 'done' && e.specId === id,
      );
      expect(merged).toBeGreaterThan(-1);
      expect(done).toBeGreaterThan(merged);
    }
    // Lanes are cleaned up: no lane worktree, branch or ref left.
    const runId = runIdOf(branch);
    expect(existsSync(join(repo, '.mmm', 'worktrees', `${runId}.lanes`, 'alpha'))).toBe(false);
    expect(git(repo, 'branch', '--list', `${branch}--*`)).toBe('');
    expect(git(repo, 'for-each-ref', `refs/mmm/${runId}/lanes`)).toBe('');
    const state = runState(repo, runId) as { parallel?: { lanes: object; merging: unknown } };
    expect(state.parallel?.lanes).toEqual({});
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
