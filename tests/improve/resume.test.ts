import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git } from '../support/tmp.js';
import {
  branchMessages,
  describeTurn,
  events,
  fileAt,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
  runIdOf,
  runCommand,
  runState,
  spawnImprove,
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SPECS = [
  { id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] },
  { id: 'second', title: 'Write b', dependsOn: ['first'], checks: ['file_exists: b.txt'] },
];
const MODEL = {
  first: { path: 'a.txt', text: 'alpha\n' },
  second: { path: 'b.txt', text: 'beta\n' },
};

describe('mmm improve --resume', () => {
  it('stops at the token budget (exit 3), then resumes to completion with the budget carried over', async () => {
    const repo = improveRepo(SPECS);
    const writer = fileWritingModel(MODEL);
    fake = await startFakeAnthropic({
      script: (request) => {
        const reply = writer(request);
        const t = describeTurn(request);
        return t.taskId === 'second' && t.turn === 1
          ? { ...reply, usage: { input_tokens: 1000, output_tokens: 9000 } }
          : reply;
      },
    });
    const env = modelEnv(fake.url);
    // One attempt costs ~2,200 tokens; the second spec's first reply reports 9,000 output
    // tokens. So at a 10,000 cap the second attempt's first request is admitted (its
    // reservation, ~3,000, fits the headroom) and its second is not (12,000+ spent): the
    // attempt stops half done, whatever the exact prompt sizes (a few thousand tokens of
    // slack either way).
    const first = await improve(repo, ['--max-tokens', '10000'], env);
    expect(first.exitCode).toBe(3);
    const end = runEnd(first.stdout);
    expect(end.status).toBe('limit');
    expect(String(end.reason)).toMatch(/token limit/);
    expect(end.next).toEqual(
      expect.arrayContaining([`mmm improve --resume ${runIdOf(end.branch)} --max-tokens <n>`]),
    );
    const runId = runIdOf(end.branch);
    const stopped = runState(repo, runId) as {
      status: string;
      totals: { usage: { input: number } };
    };
    expect(stopped.status).toBe('limit');
    expect(branchMessages(repo, end.branch)).toHaveLength(1);

    // Resuming with the same budget stops again at once, without a request.
    const requests = fake.messageRequests().length;
    const again = await improve(repo, ['--resume'], env);
    expect(again.exitCode).toBe(3);
    expect(fake.messageRequests().length).toBe(requests);

    const resumed = await improve(repo, ['--resume', runId, '--max-tokens', '100000'], env);
    expect(resumed.exitCode).toBe(0);
    const start = events(resumed.stdout).find((e) => e.type === 'run_start');
    expect(start?.resumed).toBe(true);
    const final = runEnd(resumed.stdout);
    expect(final.branch).toBe(end.branch);
    expect(branchMessages(repo, end.branch).map((m) => m.split('\n')[0])).toEqual([
      'mmm: Write a',
      'mmm: Write b',
    ]);
    expect(fileAt(repo, end.branch, 'b.txt')).toBe('beta');
    // The first spec was not redone, and the totals include both sessions.
    const tasks = fake.messageRequests().map((r) => describeTurn(r).taskId);
    expect(tasks.filter((t) => t === 'first')).toHaveLength(2);
    const totals = (final.totals as { usage: { input: number } }).usage.input;
    expect(totals).toBeGreaterThan(stopped.totals.usage.input);
    // The half-done attempt was kept as a patch.
    const attempts = readdirSync(join(repo, '.mmm', 'runs', runId, 'attempts'));
    expect(attempts.some((f) => f.startsWith('second-1-interrupted'))).toBe(true);
  });

  it('stops gracefully on SIGINT (exit 130, state interrupted), then resumes to the same result', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        // The second spec's first tool call is slow, so the signal arrives while it runs.
        if (t.taskId === 'second' && t.turn === 1)
          return runCommand('sleep 1 && echo beta > b.txt');
        return fileWritingModel(MODEL)(request);
      },
    });
    const env = modelEnv(fake.url);
    const run = spawnImprove(repo, [], env);
    await run.waitFor(
      (e) =>
        e.type === 'agent' &&
        e.specId === 'second' &&
        (e.event as { type: string }).type === 'tool_call',
    );
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.exitCode).toBe(130);
    const end = runEnd(interrupted.stdout);
    expect(end.status).toBe('interrupted');
    const runId = runIdOf(end.branch);
    const state = runState(repo, runId) as { status: string; current: { specId: string } | null };
    expect(state.status).toBe('interrupted');
    expect(state.current?.specId).toBe('second');
    // The tool call in flight was finished before stopping.
    const worktree = join(repo, '.mmm', 'worktrees', runId);
    expect(git(worktree, 'status', '--porcelain')).toBe('?? b.txt');
    // The lock was released.
    expect(readdirSync(join(repo, '.mmm'))).not.toContain('run.lock');

    const resumed = await improve(repo, ['--resume'], env);
    expect(resumed.exitCode).toBe(0);
    expect(runEnd(resumed.stdout).branch).toBe(end.branch);
    const messages = branchMessages(repo, end.branch);
    expect(messages.map((m) => m.split('\n')[0])).toEqual(['mmm: Write a', 'mmm: Write b']);
    expect(messages[1]).toContain('Mmm-Attempt: 1');
    // Completed: the worktree is removed, the branch holds the work.
    expect(existsSync(worktree)).toBe(false);
  });

  it('a second SIGINT aborts the running tool at once; the state stays resumable', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        // A tool call that would take a minute: only an abort ends it early.
        if (t.taskId === 'first' && t.turn === 1 && !t.system.includes('rolled back')) {
          return runCommand('sleep 60; echo late > late.txt');
        }
        return fileWritingModel(MODEL)(request);
      },
    });
    const env = modelEnv(fake.url);
    const run = spawnImprove(repo, [], env);
    await run.waitFor(
      (e) => e.type === 'agent' && (e.event as { type: string }).type === 'tool_call',
    );
    run.child.kill('SIGINT');
    // Signals sent back to back would merge into one: wait until the first was taken.
    await run.waitFor((e) => e.type === 'warning' && String(e.message).startsWith('stopping'));
    run.child.kill('SIGINT');
    const aborted = await run.done;
    expect(aborted.exitCode).toBe(130);
    const end = runEnd(aborted.stdout);
    expect(end.status).toBe('interrupted');
    const runId = runIdOf(end.branch);
    expect((runState(repo, runId) as { status: string }).status).toBe('interrupted');

    // Resumed with a model that no longer sleeps, the run completes.
    await fake.close();
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const resumed = await improve(repo, ['--resume', runId], modelEnv(fake.url));
    expect(resumed.exitCode).toBe(0);
    expect(branchMessages(repo, end.branch)).toHaveLength(2);
  });

  it('ends with exit 4 on an authentication error, resumable once fixed', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({
      script: () => ({ fault: { type: 'status', status: 401, message: 'invalid x-api-key' } }),
    });
    const failed = await improve(repo, [], modelEnv(fake.url));
    expect(failed.exitCode).toBe(4);
    const end = runEnd(failed.stdout);
    expect(end.status).toBe('provider_error');
    expect(String(end.reason)).toContain('invalid x-api-key');
    const runId = runIdOf(end.branch);
    expect((runState(repo, runId) as { status: string }).status).toBe('provider_error');

    await fake.close();
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const resumed = await improve(repo, ['--resume'], modelEnv(fake.url));
    expect(resumed.exitCode).toBe(0);
    expect(runEnd(resumed.stdout).branch).toBe(end.branch);
    expect(branchMessages(repo, end.branch)).toHaveLength(2);
  });

  it('re-creates a deleted worktree on resume and finishes on the same branch', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const env = modelEnv(fake.url);
    const first = await improve(repo, ['--max-iterations', '1'], env);
    expect(first.exitCode).toBe(3);
    const end = runEnd(first.stdout);
    expect(String(end.reason)).toContain('iteration limit (1)');
    const worktree = join(repo, '.mmm', 'worktrees', runIdOf(end.branch));
    rmSync(worktree, { recursive: true, force: true });
    const resumed = await improve(repo, ['--resume', '--max-iterations', '5'], env);
    expect(resumed.exitCode).toBe(0);
    expect(branchMessages(repo, end.branch).map((m) => m.split('\n')[0])).toEqual([
      'mmm: Write a',
      'mmm: Write b',
    ]);
    // Completed: the worktree is removed, the branch holds the work.
    expect(existsSync(worktree)).toBe(false);
  });

  it('refuses to resume a completed run, and says when there is none', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const env = modelEnv(fake.url);
    const none = await improve(repo, ['--resume'], env);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('no resumable run');
    const done = await improve(repo, [], env);
    expect(done.exitCode).toBe(0);
    const runId = runIdOf(runEnd(done.stdout).branch);
    const again = await improve(repo, ['--resume', runId], env);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('nothing to resume');
  });

  it('a bare --resume names a latest run whose state is corrupt, and leaves the file alone', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const env = modelEnv(fake.url);
    const stopped = await improve(repo, ['--max-iterations', '1'], env);
    expect(stopped.exitCode).toBe(3);
    const runId = runIdOf(runEnd(stopped.stdout).branch);
    const file = join(repo, '.mmm', 'runs', runId, 'state.json');
    const broken = readFileSync(file, 'utf8').slice(0, 100);
    writeFileSync(file, broken);
    const r = await improve(repo, ['--resume'], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${runId}/state.json is unreadable`);
    expect(r.stderr).toContain('mmm never overwrites it');
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('a bare --resume skips a run killed before its first checkpoint (no state.json)', async () => {
    const repo = improveRepo(SPECS);
    fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
    const env = modelEnv(fake.url);
    // What a kill between opening the transcript and the first checkpoint leaves.
    mkdirSync(join(repo, '.mmm', 'runs', '20991231-000000-dead'), { recursive: true });
    const r = await improve(repo, ['--resume'], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no resumable run in this repository');
  });
});
