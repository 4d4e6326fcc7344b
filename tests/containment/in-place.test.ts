/**
 * `--in-place` (git.worktree = false) works in the user's checkout, on the run branch:
 * the same identity checks apply. The agent switching the checkout to `main` or detaching
 * HEAD is repaired before mmm resets or commits anything, so `main` never moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { improve, improveRepo, runEnd } from '../improve/helpers.js';
import { git } from '../support/tmp.js';
import { hostileEnv, hostileModel, type HostileCall } from './harness.js';
import { attemptEnds, OPEN_POLICY_CONFIG } from './git-probes.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function inPlace(hostile: HostileCall[]) {
  const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }], {
    '.mmm/config.toml': OPEN_POLICY_CONFIG,
  });
  const main = git(repo, 'rev-parse', 'main');
  const model = hostileModel({
    hostile: { s1: hostile },
    honest: { s1: { path: 'a.txt', text: 'a\n' } },
  });
  fake = await startFakeAnthropic({ script: model.responder });
  const result = await improve(repo, ['--in-place'], hostileEnv(fake.url, {}, 'off'));
  return { repo, main, result };
}

describe('--in-place', () => {
  for (const [name, call] of [
    ['git checkout main', 'git checkout -q main'],
    ['a detached HEAD', 'git checkout -q "$(git rev-parse HEAD)" --'],
  ] as const) {
    it(`${name}: repaired, main does not move, the run completes`, async () => {
      const { repo, main, result } = await inPlace([{ bash: call }]);
      expect(result.exitCode, result.stderr).toBe(0);
      const end = runEnd(result.stdout);
      expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
      expect(git(repo, 'rev-parse', 'main')).toBe(main);
      expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe(end.branch);
      expect(git(repo, 'show', `${end.branch}:a.txt`)).toBe('a');
      expect(git(repo, 'status', '--porcelain')).toBe('');
    }, 60_000);
  }
});
