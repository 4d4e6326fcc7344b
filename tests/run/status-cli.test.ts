import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { git, gitRepo, tempDir } from '../support/tmp.js';
import { runMmm, type CliResult } from '../support/cli.js';
import { runPaths } from '../../src/core/run/store/paths.js';
import { saveState, type RunState } from '../../src/core/run/store/state.js';
import { createRunWorktree } from '../../src/core/git/worktree.js';
import { makeIteration, makeState } from './state-fixtures.js';

/** stdout parsed as JSON; on failure the message shows what the binary printed. */
function json<T = Record<string, unknown>>(r: CliResult): T {
  expect(r.exitCode, `exit ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

async function addRun(
  repo: string,
  runId: string,
  overrides: Partial<RunState>,
  iterations = 0,
): Promise<string> {
  const paths = runPaths(repo, runId);
  const state = makeState(
    {
      runId,
      repoRoot: repo,
      worktree: paths.worktree,
      branch: `mmm/${runId}`,
      baseCommit: git(repo, 'rev-parse', 'HEAD'),
      ...overrides,
    },
    iterations,
  );
  state.totals.iterations = iterations;
  await saveState(paths.state, state);
  await createRunWorktree(repo, paths.worktree, state.branch, state.baseCommit);
  return paths.worktree;
}

describe('mmm status / runs / runs clean', () => {
  it('says so when there are no runs, and exits 2 outside a git repository', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const r = await runMmm(['status'], { cwd: repo });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/No runs yet/);
    expect((await runMmm(['status', '--json'], { cwd: repo })).stdout.trim()).toBe('null');
    const outside = await runMmm(['runs'], { cwd: tempDir() });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toMatch(/is not a git repository/);
    expect(outside.stderr).toMatch(/git init/);
  });

  it('shows the latest run, any run by id, lists runs and cleans finished worktrees', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const doneRun = '20261122-010000-aaaa';
    const limitRun = '20261122-020000-bbbb';
    const wtDone = await addRun(
      repo,
      doneRun,
      {
        status: 'completed',
        totals: {
          usage: { input: 1200, output: 300, cacheWrite: 0, cacheRead: 0 },
          cost: 0.42,
          iterations: 3,
          commits: 2,
          elapsedMs: 65_000,
        },
      },
      3,
    );
    // The run's work: its branch is ahead of main, so merging it is worth advising.
    git(wtDone, 'commit', '-q', '--allow-empty', '-m', 'mmm: work');
    const wtLimit = await addRun(
      repo,
      limitRun,
      {
        status: 'limit',
        stopReason: 'cost limit $1.00 reached',
        current: { specId: 's2', attempt: 2, step: 'validate', checkpoint: 'c'.repeat(40) },
        totals: {
          usage: { input: 10, output: 5, cacheWrite: 0, cacheRead: 0 },
          cost: null,
          iterations: 2,
          commits: 1,
          elapsedMs: 5_000,
        },
      },
      2,
    );

    const status = await runMmm(['status'], { cwd: repo });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain(`run        ${limitRun}  stopped by a limit (resumable)`);
    expect(status.stdout).toMatch(/cost {7}unknown/);
    expect(status.stdout).toContain('current    s2 attempt 2: validate');
    expect(status.stdout).toContain('stopped    cost limit $1.00 reached');
    expect(status.stdout).toMatch(/✔ s1 +First spec +done +1 attempt/);
    expect(status.stdout).toContain(`mmm improve --resume ${limitRun}`);

    const done = json(await runMmm(['status', doneRun, '--json'], { cwd: wtDone }));
    expect(done).toMatchObject({
      runId: doneRun,
      status: 'completed',
      resumable: false,
      cost: 0.42,
      tokens: 1500,
      iterations: 3,
      worktreeExists: true,
    });
    expect(done.next).toEqual([
      `git switch main && git merge --ff-only mmm/${doneRun}`,
      'mmm runs clean',
    ]);

    const missing = await runMmm(['status', '20991231-000000-ffff'], { cwd: repo });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no run 20991231-000000-ffff/);

    const runs = await runMmm(['runs'], { cwd: repo });
    expect(runs.stdout.split('\n')[0]).toMatch(
      /^RUN +STATUS +DONE\/FAILED\/SPECS +ITERATIONS +COST +DURATION +STARTED$/,
    );
    expect(runs.stdout.split('\n')[1]).toMatch(
      new RegExp(`^${limitRun} +stopped by a limit \\(resumable\\) +1/0/2 +2 +unknown +5s `),
    );
    expect(runs.stdout.split('\n')[2]).toMatch(
      new RegExp(`^${doneRun} +completed +1/0/2 +3 +\\$0\\.42 +1m05s `),
    );
    const list = json<{ runId: string }[]>(await runMmm(['runs', '--json'], { cwd: repo }));
    expect(list.map((r) => r.runId)).toEqual([doneRun, limitRun]);

    const clean = await runMmm(['runs', 'clean'], { cwd: repo });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain(`removed ${wtDone} (run ${doneRun}; branch kept)`);
    expect(clean.stdout).toContain(`kept    ${wtLimit}: resumable (limit)`);
    expect(existsSync(wtDone)).toBe(false);
    expect(existsSync(wtLimit)).toBe(true);
    expect(git(repo, 'branch', '--list', `mmm/${doneRun}`)).toContain(doneRun);

    const all = await runMmm(['runs', 'clean', '--all', '--json'], { cwd: repo });
    expect(json(all)).toEqual({
      removed: [{ runId: limitRun, worktree: wtLimit }],
      kept: [],
    });
    expect(existsSync(wtLimit)).toBe(false);
  });

  it('never cleans the worktree of a live run, and reports an unreadable state', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const liveRun = '20261122-030000-cccc';
    const wt = await addRun(repo, liveRun, { status: 'running' }, 1);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      writeFileSync(
        join(repo, '.mmm', 'run.lock'),
        JSON.stringify({ pid: child.pid, host: hostname(), startedAt: 'now', runId: liveRun }),
      );
      const broken = runPaths(repo, '20261122-040000-dddd');
      mkdirSync(broken.dir, { recursive: true });
      writeFileSync(broken.state, '{ not json');
      const status = json(await runMmm(['status', '--json'], { cwd: repo }));
      expect(status).toMatchObject({ runId: liveRun, live: true, resumable: false });
      const runs = await runMmm(['runs'], { cwd: repo });
      expect(runs.stdout).toMatch(/20261122-040000-dddd +unreadable/);
      expect(runs.stderr).toMatch(/warning: run state .*state\.json is unreadable: not valid JSON/);
      const clean = await runMmm(['runs', 'clean', '--all'], { cwd: repo });
      expect(clean.stdout).toContain(`kept    ${wt}: running (pid ${child.pid})`);
      expect(clean.stdout).toContain('Nothing to remove.');
      expect(existsSync(wt)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    // Once its process is gone the run is resumable.
    await new Promise((r) => setTimeout(r, 100));
    const after = json(await runMmm(['status', liveRun, '--json'], { cwd: repo }));
    expect(after).toMatchObject({
      live: false,
      resumable: true,
      next: [`mmm improve --resume ${liveRun}`],
    });
    expect(makeIteration).toBeTypeOf('function');
  });
});
