/**
 * Item 2 of issue 17 (and the self-commit of item 10): the agent moves HEAD or the run
 * branch, or rewrites history. mmm checks HEAD and the branch after every attempt,
 * repairs them from its checkpoint (kept reachable under refs/mmm/<run-id>/), fails the
 * attempt with feedback naming what the model did, and the run still ends with every
 * spec's verified commit on the run branch. A commit the agent made itself is not lost:
 * its changes are validated and committed as the attempt's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { branchMessages, events, runEnd, runIdOf, runState } from '../improve/helpers.js';
import { git } from '../support/tmp.js';
import { expectCheckoutUnchanged, type HostileCall } from './harness.js';
import { attemptEnds, runProbe, startProbe, warnings, type Probe } from './git-probes.js';

let probe: Probe | undefined;
afterEach(async () => {
  await probe?.fake.close();
  probe = undefined;
});

async function oneSpec(hostile: HostileCall[]) {
  probe = await startProbe([
    {
      id: 's1',
      title: 'Add a',
      checks: ['file_exists: a.txt'],
      hostile,
      honest: { path: 'a.txt', text: 'a\n' },
    },
  ]);
  return { probe, result: await runProbe(probe) };
}

function isAncestor(repo: string, a: string, b: string): boolean {
  try {
    git(repo, 'merge-base', '--is-ancestor', a, b);
    return true;
  } catch {
    return false;
  }
}

describe('the agent moves HEAD or the run branch', () => {
  it('git checkout <sha> -- (detached HEAD): rejected, repaired, the work lands on the branch', async () => {
    const { probe, result } = await oneSpec([
      { bash: 'git checkout -q "$(git rev-parse HEAD)" --' },
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    const ends = attemptEnds(result.stdout);
    expect(ends.map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    expect(String(ends[0]?.feedback)).toMatch(/HEAD was detached/);
    expect(String(ends[0]?.feedback)).toMatch(/move HEAD or branches/);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    const state = runState(probe.repo, runIdOf(end.branch)) as {
      specs: Record<string, { commit: string }>;
    };
    expect(git(probe.repo, 'rev-parse', end.branch)).toBe(state.specs.s1?.commit);
    expectCheckoutUnchanged(probe.repo, probe.before);
    // Checked after every tool batch: the hostile attempt ended right after that call, so
    // its one request is all it spent (the honest attempt took two).
    const first = events(result.stdout).find(
      (e) => e.type === 'agent' && (e.event as { type: string }).type === 'attempt_end',
    );
    expect((first?.event as { summary: string }).summary).toMatch(
      /mmm stopped this attempt after a tool call changed the run's git: HEAD was detached/,
    );
    expect(probe.fake.messageRequests()).toHaveLength(3);
  }, 60_000);

  it('git symbolic-ref HEAD refs/heads/main: nothing is committed on main', async () => {
    const { probe, result } = await oneSpec([{ bash: 'git symbolic-ref HEAD refs/heads/main' }]);
    expect(result.exitCode, result.stderr).toBe(0);
    const ends = attemptEnds(result.stdout);
    expect(ends.map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    expect(String(ends[0]?.feedback)).toMatch(
      /HEAD was switched from refs\/heads\/mmm\/.* to refs\/heads\/main/,
    );
    expectCheckoutUnchanged(probe.repo, probe.before);
    const end = runEnd(result.stdout);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
  }, 60_000);

  it('checkout -B <run-branch> HEAD~1, reflog expire, gc --prune=now: the earlier spec is kept', async () => {
    probe = await startProbe([
      {
        id: 's1',
        title: 'Add a',
        checks: ['file_exists: a.txt'],
        honest: { path: 'a.txt', text: 'a\n' },
      },
      {
        id: 's2',
        title: 'Add b',
        checks: ['file_exists: b.txt'],
        hostile: [
          {
            bash:
              'b="$(git symbolic-ref --short HEAD)" && git checkout -q -B "$b" HEAD~1 -- && ' +
              'git reflog expire --expire=now --all && git gc -q --prune=now',
          },
        ],
        honest: { path: 'b.txt', text: 'b\n' },
      },
    ]);
    const result = await runProbe(probe);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(end.status).toBe('completed');
    expect(attemptEnds(result.stdout).map((e) => [e.specId, e.outcome])).toEqual([
      ['s1', 'passed'],
      ['s2', 'agent_error'],
      ['s2', 'passed'],
    ]);
    const state = runState(probe.repo, runIdOf(end.branch)) as {
      specs: Record<string, { commit: string }>;
    };
    const s1 = state.specs.s1?.commit ?? '';
    expect(isAncestor(probe.repo, s1, end.branch)).toBe(true);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    expect(git(probe.repo, 'show', `${end.branch}:b.txt`)).toBe('b');
    // mmm's own refs hold every accepted commit.
    expect(git(probe.repo, 'rev-parse', `refs/mmm/${runIdOf(end.branch)}/specs/s1`)).toBe(s1);
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 90_000);

  it('a commit the agent made itself is validated and committed by mmm, not dropped', async () => {
    const { probe, result } = await oneSpec([
      { create: { path: 'a.txt', text: 'a\n' } },
      { bash: 'git add -A && git commit -q -m "my own commit"' },
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['passed']);
    expect(warnings(result.stdout).join('\n')).toMatch(/committed a commit itself/);
    const messages = branchMessages(probe.repo, end.branch);
    expect(messages.join('\n')).not.toMatch(/my own commit/);
    expect(messages.at(-1)).toMatch(/Mmm-Spec: s1/);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 60_000);

  it('the agent deletes its own spec file: restored, and the spec is marked done', async () => {
    const { probe, result } = await oneSpec([{ bash: 'rm -f specs/01-s1.md' }]);
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['passed']);
    expect(warnings(result.stdout).join('\n')).toMatch(/deleted its spec file specs\/01-s1\.md/);
    expect(git(probe.repo, 'show', `${end.branch}:specs/01-s1.md`)).toMatch(/status: done/);
  }, 60_000);
});
