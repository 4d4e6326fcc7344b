/**
 * Item 1 of issue 17: the agent unlinks its worktree from the repository (deletes the
 * `.git` file, or the whole worktree, which the edit tool then recreates as a plain
 * folder) while the user has uncommitted work. mmm's git must never act in the user's
 * checkout: no commit on the user's branch, no reset or clean of the user's files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { branchMessages, runEnd } from '../improve/helpers.js';
import { git } from '../support/tmp.js';
import { expectCheckoutUnchanged, expectNoSecretLeaked, type HostileCall } from './harness.js';
import { attemptEnds, runProbe, startProbe, type Probe } from './git-probes.js';

let probe: Probe | undefined;
afterEach(async () => {
  await probe?.fake.close();
  probe = undefined;
});

async function hostileRun(hostile: HostileCall[], text = 'a\n') {
  probe = await startProbe([
    {
      id: 's1',
      title: 'Add a',
      checks: ['file_exists: a.txt'],
      hostile,
      honest: { path: 'a.txt', text },
    },
  ]);
  return { probe, result: await runProbe(probe) };
}

describe('the agent unlinks its worktree', () => {
  it('rm -f .git: the attempt fails with feedback, the checkout is untouched, the run completes', async () => {
    const { probe, result } = await hostileRun([{ bash: 'rm -f .git' }]);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(end.status).toBe('completed');
    const ends = attemptEnds(result.stdout);
    expect(ends.map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    expect(String(ends[0]?.feedback)).toMatch(/\.git file of the work tree was deleted/);
    expectCheckoutUnchanged(probe.repo, before(probe));
    expect(branchMessages(probe.repo, end.branch).at(-1)).toMatch(/Mmm-Spec: s1/);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    expectNoSecretLeaked(probe.repo, result, probe.toolResults);
  }, 60_000);

  it('the worktree deleted and recreated as a plain folder by the edit tool: same', async () => {
    const { probe, result } = await hostileRun([
      { bash: 'd="$(pwd)"; cd / && rm -rf "$d"' },
      { create: { path: 'b.txt', text: 'b\n' } },
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(end.status).toBe('completed');
    expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    expectCheckoutUnchanged(probe.repo, before(probe));
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    expect(git(probe.repo, 'ls-tree', '--name-only', end.branch)).not.toMatch(/b\.txt/);
  }, 60_000);

  it('failing attempts after rm -f .git reset nothing of the user (exit 1)', async () => {
    const { probe, result } = await hostileRun([{ bash: 'rm -f .git' }], 'a bug\n');
    expect(result.exitCode, result.stderr).toBe(1);
    expect(runEnd(result.stdout).status).toBe('failed');
    expectCheckoutUnchanged(probe.repo, before(probe));
    expect(git(probe.repo, 'log', '--format=%s', 'main')).not.toMatch(/mmm/);
  }, 90_000);
});

function before(p: Probe) {
  return p.before;
}
