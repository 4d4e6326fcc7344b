import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
import { git } from '../support/tmp.js';
import {
  branchMessages,
  createFile,
  describeTurn,
  events,
  fileAt,
  fileWritingModel,
  finish,
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
    // The report says its time split adds up lanes that worked at the same time.
    const report = await runMmm(['report', runId], { cwd: repo });
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toContain('(summed over 2 lanes working at the same time)');
  });
});

/** `phase:spec` of every lane event, in order. */
function laneLog(stdout: string): string[] {
  return events(stdout)
    .filter((e) => e.type === 'lane')
    .map((e) => `${String(e.phase)}:${String(e.specId)}`);
}

describe('mmm improve --parallel: conflicts, dependencies, files', () => {
  it('re-attempts a spec whose work conflicts with a spec merged before it, then merges both', async () => {
    const repo = improveRepo(
      [
        { id: 'left', title: 'Mark shared left', checks: ['file_exists: left.txt'] },
        { id: 'right', title: 'Mark shared right', checks: ['file_exists: right.txt'] },
      ],
      { 'shared.txt': 'start\n' },
    );
    const seen: string[] = [];
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        seen.push(`${t.taskId}:${t.turn}`);
        if (t.taskId === 'left') {
          if (t.turn === 1) return createFile('shared.txt', 'start left\n');
          if (t.turn === 2) return createFile('left.txt', 'left\n');
          return finish('left done');
        }
        // right: the same line; after the conflict feedback, on top of left's change.
        const redo = t.system.includes('conflicts');
        if (t.turn === 1)
          return createFile('shared.txt', redo ? 'start left right\n' : 'start right\n');
        if (t.turn === 2) return createFile('right.txt', 'right\n');
        return finish('right done');
      },
    });

    const r = await improve(repo, ['--parallel', '2'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const { branch } = runEnd(r.stdout);
    const lanes = laneLog(r.stdout);
    expect(lanes).toContain('conflict:right');
    expect(lanes.indexOf('merged:left')).toBeLessThan(lanes.indexOf('conflict:right'));
    expect(lanes.at(-2)).toBe('merged:right');
    const conflict = events(r.stdout).find((e) => e.type === 'lane' && e.phase === 'conflict');
    expect(conflict?.reason).toBe('merge conflict in shared.txt');
    expect(fileAt(repo, branch, 'shared.txt')).toBe('start left right');
    expect(branchMessages(repo, branch).map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual([
      'left',
      'right',
    ]);
    // The conflicting attempt counts: right took two attempts, the second one merged.
    const state = runState(repo, runIdOf(branch)) as {
      specs: Record<string, { attempts: number; status: string }>;
    };
    expect(state.specs.right).toMatchObject({ status: 'done', attempts: 2 });
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end' && e.specId === 'right');
    expect(ends.map((e) => e.outcome)).toEqual(['passed', 'failed', 'passed']);
    expect(String(ends[1]?.feedback)).toContain('it conflicts, in shared.txt');
  });

  it('keeps a dependency chain serial, and specs with overlapping files: apart', async () => {
    const repo = improveRepo([
      { id: 'base', title: 'Write base', checks: ['file_exists: base.txt'] },
      { id: 'next', title: 'Write next', dependsOn: ['base'], checks: ['file_exists: next.txt'] },
      { id: 'last', title: 'Write last', dependsOn: ['next'], checks: ['file_exists: last.txt'] },
      { id: 'wide', title: 'Write lib', files: ['lib/**'], checks: ['file_exists: lib/a.txt'] },
      {
        id: 'narrow',
        title: 'Write lib b',
        files: ['lib/b.txt'],
        checks: ['file_exists: lib/b.txt'],
      },
    ]);
    const files = {
      base: { path: 'base.txt', text: 'base\n' },
      next: { path: 'next.txt', text: 'next\n' },
      last: { path: 'last.txt', text: 'last\n' },
      wide: { path: 'lib/a.txt', text: 'a\n' },
      narrow: { path: 'lib/b.txt', text: 'b\n' },
    };
    fake = await startFakeAnthropic({ script: fileWritingModel(files) });

    const r = await improve(repo, ['--parallel', '3'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const lanes = laneLog(r.stdout);
    // Each link of the chain opens only once the one before it is merged.
    expect(lanes.indexOf('opened:next')).toBeGreaterThan(lanes.indexOf('merged:base'));
    expect(lanes.indexOf('opened:last')).toBeGreaterThan(lanes.indexOf('merged:next'));
    // lib/** and lib/b.txt may overlap: never open at the same time.
    const wideOpen = lanes.indexOf('opened:wide');
    const wideClosed = lanes.indexOf('closed:wide');
    const narrowOpen = lanes.indexOf('opened:narrow');
    expect(narrowOpen < wideOpen || narrowOpen > wideClosed).toBe(true);
    // …while unrelated specs did run beside the chain.
    expect(wideOpen).toBeLessThan(lanes.indexOf('merged:base'));
    const { branch } = runEnd(r.stdout);
    expect(branchMessages(repo, branch)).toHaveLength(5);
  });
});

/** A test command that passes for a.txt or b.txt alone, but not for both without glue.txt. */
const TOGETHER_CHECK = `const fs = require('node:fs');
if (fs.existsSync('a.txt') && fs.existsSync('b.txt') && !fs.existsSync('glue.txt')) {
  console.log('not ok - a.txt and b.txt together need glue.txt');
  process.exit(1);
}
console.log('all ok');
`;

describe('mmm improve --parallel: validated again on the run branch', () => {
  it('re-attempts a spec that passed in its lane but fails once merged, with that failure as feedback', async () => {
    const repo = improveRepo(
      [
        { id: 'one', title: 'Write a', checks: ['file_exists: a.txt'] },
        { id: 'two', title: 'Write b', checks: ['file_exists: b.txt'] },
      ],
      { 'check.js': TOGETHER_CHECK },
    );
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId === 'one') return t.turn === 1 ? createFile('a.txt', 'a\n') : finish('a');
        const redo = t.system.includes('failed on the run branch');
        if (t.turn === 1) return createFile('b.txt', 'b\n');
        if (t.turn === 2 && redo) return createFile('glue.txt', 'glue\n');
        return finish('b');
      },
    });

    const r = await improve(repo, ['--parallel', '2'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const { branch } = runEnd(r.stdout);
    const lanes = laneLog(r.stdout);
    expect(lanes).toContain('merge_failed:two');
    const failed = events(r.stdout).find((e) => e.type === 'lane' && e.phase === 'merge_failed');
    expect(String(failed?.reason)).toContain('failed on the run branch after merging');
    // Never on the run branch before it passed there: the final tree has all three files.
    expect(fileAt(repo, branch, 'glue.txt')).toBe('glue');
    expect(branchMessages(repo, branch)).toHaveLength(2);
    const done = events(r.stdout).filter(
      (e) => e.type === 'spec_status' && e.status === 'done' && e.specId === 'two',
    );
    expect(done).toHaveLength(1);
  });

  it('validates lanes accepted together as one batch; a failing batch is merged again one lane at a time', async () => {
    const repo = improveRepo(
      [
        { id: 'one', title: 'Write a', checks: ['file_exists: a.txt'] },
        { id: 'two', title: 'Write b', checks: ['file_exists: b.txt'] },
      ],
      { 'check.js': TOGETHER_CHECK },
    );
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        // one is slow, so two waits accepted behind it and both merge as one batch.
        if (t.taskId === 'one') {
          const reply = t.turn === 1 ? createFile('a.txt', 'a\n') : finish('a');
          return { ...reply, delayMs: 2000 };
        }
        const redo = t.system.includes('failed on the run branch');
        if (t.turn === 1) return createFile('b.txt', 'b\n');
        if (t.turn === 2 && redo) return createFile('glue.txt', 'glue\n');
        return finish('b');
      },
    });

    const r = await improve(repo, ['--parallel', '2'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const lanes = laneLog(r.stdout);
    // The batch [one, two] fails together; one alone merges (its own tree, validated in its
    // lane); two alone fails, is re-attempted with glue.txt, and merges.
    expect(lanes.slice(lanes.indexOf('queued:one'), lanes.indexOf('merged:one') + 1)).toEqual([
      'queued:one',
      'merging:one',
      'merging:two',
      'merging:one',
      'merged:one',
    ]);
    expect(lanes).toContain('merge_failed:two');
    const { branch } = runEnd(r.stdout);
    expect(fileAt(repo, branch, 'glue.txt')).toBe('glue');
    expect(branchMessages(repo, branch).map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual([
      'one',
      'two',
    ]);
  });

  it('shares --max-tokens between the lanes: the run stops within the cap, resumable', async () => {
    const repo = improveRepo(
      FOUR.map((id) => ({ id, title: `Write ${id}`, checks: [`file_exists: ${id}.txt`] })),
    );
    const files = Object.fromEntries(
      FOUR.map((id) => [id, { path: `${id}.txt`, text: `${id}\n` }]),
    );
    fake = await startFakeAnthropic({ script: fileWritingModel(files) });

    // 8 requests of 1,100 tokens would be needed; each lane alone would think it has 6,000 (and together they spent 6,540 before the run shared its caps).
    const r = await improve(repo, ['--parallel', '4', '--max-tokens', '6000'], modelEnv(fake.url));

    expect(r.exitCode).toBe(3);
    const end = runEnd(r.stdout) as unknown as { totals: { usage: Record<string, number> } };
    const used = Object.values(end.totals.usage).reduce((a, b) => a + b, 0);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(6000);
    const { branch } = runEnd(r.stdout);
    const runId = runIdOf(branch);
    const state = runState(repo, runId) as { parallel?: { lanes: Record<string, unknown> } };
    const open = Object.keys(state.parallel?.lanes ?? {});
    expect(open.length).toBeGreaterThan(0);
    // `mmm status` names the open lanes; --resume with a higher cap finishes every lane.
    const status = await runMmm(['status', runId], { cwd: repo, env: { NO_COLOR: '1' } });
    expect(status.stdout).toContain(`lane       ${open[0]}: working`);
    const resumed = await improve(repo, ['--resume', '--max-tokens', '100000'], modelEnv(fake.url));
    expect(resumed.exitCode).toBe(0);
    expect(events(resumed.stdout).find((e) => e.type === 'run_start')?.parallel).toBe(4);
    expect(branchMessages(repo, branch).map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual(FOUR);
    expect(git(repo, 'branch', '--list', `${branch}--*`)).toBe('');
  });
});

describe('mmm improve --parallel --in-place', () => {
  it('runs lanes beside the checkout and merges into it on the run branch, leaving it clean', async () => {
    const ids = ['one', 'two', 'three'];
    const repo = improveRepo(
      ids.map((id) => ({ id, title: `Write ${id}`, checks: [`file_exists: ${id}.txt`] })),
    );
    const files = Object.fromEntries(ids.map((id) => [id, { path: `${id}.txt`, text: `${id}\n` }]));
    fake = await startFakeAnthropic({ script: fileWritingModel(files) });

    const r = await improve(repo, ['--parallel', '2', '--in-place'], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const { branch } = runEnd(r.stdout);
    expect(branchMessages(repo, branch).map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual(ids);
    // The checkout is on the run branch with the merged work, clean; no lane is left.
    expect(git(repo, 'branch', '--show-current')).toBe(branch);
    expect(fileAt(repo, 'HEAD', 'three.txt')).toBe('three');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
  });
});
