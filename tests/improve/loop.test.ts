import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
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
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('mmm improve: the spec loop', () => {
  it('implements two dependent specs in order, one commit each, spec files marked done', async () => {
    const repo = improveRepo([
      { id: 'second', title: 'Write b', dependsOn: ['first'], checks: ['file_exists: b.txt'] },
      { id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] },
    ]);
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        first: { path: 'a.txt', text: 'alpha\n' },
        second: { path: 'b.txt', text: 'beta\n' },
      }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.exitCode).toBe(0);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('completed');
    const branch = end.branch;
    expect(branch).toMatch(/^mmm\/\d{8}-\d{6}-[0-9a-f]{4}$/);

    const messages = branchMessages(repo, branch);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^mmm: Write a\n/);
    expect(messages[1]).toMatch(/^mmm: Write b\n/);
    const runId = runIdOf(branch);
    expect(messages[0]).toContain(`Mmm-Run: ${runId}\nMmm-Spec: first\nMmm-Attempt: 1`);
    expect(messages[1]).toContain(`Mmm-Spec: second\nMmm-Attempt: 1`);

    // Each commit holds the work and its spec file marked done.
    const firstCommit = git(repo, 'rev-parse', `${branch}~1`);
    expect(git(repo, 'show', '--name-only', '--format=', firstCommit).split('\n').sort()).toEqual([
      'a.txt',
      'specs/02-first.md',
    ]);
    const spec = fileAt(repo, firstCommit, 'specs/02-first.md');
    expect(spec).toContain('status: done');
    // No evidence was reported: the criteria stay unticked and are listed as unverified.
    expect(spec).toContain('- [ ] first is done');
    expect(messages[0]).toContain(
      'Acceptance criteria:\n- [ ] 1. first is done (unverified: no evidence reported)',
    );
    expect(fileAt(repo, branch, 'b.txt')).toBe('beta');

    // The user's checkout and branch are untouched; the work is in the worktree.
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', `${branch}~2`));
    expect(existsSync(join(repo, 'a.txt'))).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    const state = runState(repo, runId);
    expect(state.status).toBe('completed');
    expect(end.next).toEqual(expect.arrayContaining([`git merge --ff-only ${branch}`]));
    const specs = end.specs as { id: string; status: string }[];
    expect(specs.map((s) => [s.id, s.status])).toEqual([
      ['first', 'done'],
      ['second', 'done'],
    ]);
    // events.jsonl holds the same stream.
    const logged = readFileSync(join(repo, '.mmm', 'runs', runId, 'events.jsonl'), 'utf8');
    expect(logged).toContain('"type":"run_end"');
  });

  it('retries a failed validation with feedback naming the failing check, then commits', async () => {
    const repo = improveRepo([{ id: 'fix', title: 'Write c', checks: ['file_exists: c.txt'] }]);
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        // The first attempt writes a "bug"; the check script fails on it.
        fix: {
          path: 'c.txt',
          text: (t) => (t.system.includes('Validation failed') ? 'clean\n' : 'bug\n'),
        },
      }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    const end = runEnd(r.stdout);
    const messages = branchMessages(repo, end.branch);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Mmm-Attempt: 2');
    expect(fileAt(repo, end.branch, 'c.txt')).toBe('clean');

    // The second attempt's prompt named the failing check and its output.
    const second = fake
      .messageRequests()
      .map(describeTurn)
      .find((t) => t.system.includes('Validation failed'));
    expect(second?.system).toContain('## test');
    expect(second?.system).toContain('c.txt contains a bug');
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    // The rejected attempt was kept as a patch.
    const patch = join(repo, '.mmm', 'runs', runIdOf(end.branch), 'attempts', 'fix-1.patch');
    expect(readFileSync(patch, 'utf8')).toContain('+bug');
  });

  it('rolls back a spec whose attempts are exhausted, blocks its dependents, exits 1', async () => {
    const repo = improveRepo([
      { id: 'bad', title: 'Never passes', checks: ['file_exists: x.txt'], maxAttempts: 2 },
      { id: 'after', title: 'Needs bad', dependsOn: ['bad'] },
      { id: 'other', title: 'Independent', checks: ['file_exists: o.txt'] },
    ]);
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        bad: {
          path: 'x.txt',
          text: (t) => `bug ${t.system.includes('Validation failed') ? 2 : 1}\n`,
        },
        other: { path: 'o.txt', text: 'fine\n' },
      }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(1);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('failed');
    const specs = end.specs as { id: string; status: string; reason?: string }[];
    expect(Object.fromEntries(specs.map((s) => [s.id, s.status]))).toEqual({
      bad: 'failed',
      after: 'blocked',
      other: 'done',
    });
    expect(specs.find((s) => s.id === 'bad')?.reason).toBe('all 2 attempts failed');
    // Only the independent spec was committed; nothing of the failed one is on the branch.
    const messages = branchMessages(repo, end.branch);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^mmm: Independent/);
    expect(git(repo, 'ls-tree', '--name-only', end.branch)).not.toContain('x.txt');
    const attempts = join(repo, '.mmm', 'runs', runIdOf(end.branch), 'attempts');
    expect(readFileSync(join(attempts, 'bad-1.patch'), 'utf8')).toContain('+bug 1');
    expect(readFileSync(join(attempts, 'bad-2.patch'), 'utf8')).toContain('+bug 2');
    // A finished run's worktree is removed: the branch holds the work.
    const worktree = join(repo, '.mmm', 'worktrees', runIdOf(end.branch));
    expect(existsSync(worktree)).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(worktree);
  });

  it('stops a spec on stagnation: the same failure three attempts in a row', async () => {
    const repo = improveRepo([
      { id: 'stuck', title: 'Always the same bug', checks: ['file_exists: s.txt'], maxAttempts: 5 },
    ]);
    fake = await startFakeAnthropic({
      script: fileWritingModel({ stuck: { path: 's.txt', text: 'bug\n' } }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(1);
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends).toHaveLength(3);
    const status = events(r.stdout).find((e) => e.type === 'spec_status' && e.status === 'failed');
    expect(status?.reason).toBe('stagnation: the same failure 3 attempts in a row');
  });

  it('does not accept an attempt that changed nothing', async () => {
    const repo = improveRepo([{ id: 'lazy', title: 'Do nothing', maxAttempts: 2 }]);
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        // Claims success without touching a file, then does the work once told.
        if (t.system.includes('without changing any file') && t.turn === 1) {
          return createFile('done.txt', 'done\n');
        }
        return finish('All done, everything works.');
      },
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['no_changes', 'passed']);
    expect(String(ends[0]?.feedback)).toContain('without changing any file');
    expect(branchMessages(repo, runEnd(r.stdout).branch)).toHaveLength(1);
  });
});
