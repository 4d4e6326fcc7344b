/**
 * Resume after the agent or a crash left the repository in a state mmm did not make
 * (issue 17 items 2, 6 and 10): the run branch restored from mmm's own refs, planted
 * hooks removed, an interrupted validation of an attempt that deleted its spec file
 * finished instead of blocking the spec.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  improve,
  runEnd,
  runIdOf,
  runState,
  spawnImprove,
  TEST_CONFIG,
} from '../improve/helpers.js';
import { git } from '../support/tmp.js';
import { expectCheckoutUnchanged } from './harness.js';
import {
  attemptEnds,
  markerPath,
  runProbe,
  startProbe,
  warnings,
  type Probe,
} from './git-probes.js';

let probe: Probe | undefined;
afterEach(async () => {
  await probe?.fake.close();
  probe = undefined;
});

const TWO_SPECS = [
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
    honest: { path: 'b.txt', text: 'b\n' },
  },
];

describe('resume checks the state against the repository', () => {
  it('a run branch that lost its commits (moved back, reflog expired, gc) is restored from refs/mmm', async () => {
    probe = await startProbe(TWO_SPECS);
    const first = await runProbe(probe, ['--max-iterations', '1']);
    expect(first.exitCode, first.stderr).toBe(3);
    const { branch } = runEnd(first.stdout);
    const base = git(probe.repo, 'rev-parse', 'main');
    git(probe.repo, 'update-ref', `refs/heads/${branch}`, base);
    git(probe.repo, 'reflog', 'expire', '--expire=now', '--all');
    git(probe.repo, 'gc', '-q', '--prune=now');
    const resumed = await improve(probe.repo, ['--resume', '--max-iterations', '5'], probe.env);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(warnings(resumed.stdout).join('\n')).toMatch(/had lost commits mmm made/);
    expect(git(probe.repo, 'show', `${branch}:a.txt`)).toBe('a');
    expect(git(probe.repo, 'show', `${branch}:b.txt`)).toBe('b');
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 90_000);

  it('a deleted run branch is restored from refs/mmm', async () => {
    probe = await startProbe(TWO_SPECS);
    const first = await runProbe(probe, ['--max-iterations', '1']);
    expect(first.exitCode, first.stderr).toBe(3);
    const { branch } = runEnd(first.stdout);
    git(probe.repo, 'update-ref', '-d', `refs/heads/${branch}`);
    const resumed = await improve(probe.repo, ['--resume', '--max-iterations', '5'], probe.env);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(warnings(resumed.stdout).join('\n')).toMatch(/was deleted; restored it/);
    expect(git(probe.repo, 'show', `${branch}:a.txt`)).toBe('a');
    expect(git(probe.repo, 'show', `${branch}:b.txt`)).toBe('b');
  }, 90_000);

  it('the agent plants a hook and kills mmm: resume removes the hook, which never runs', async () => {
    const marker = markerPath();
    const once = `${marker}.once`;
    probe = await startProbe([
      {
        ...TWO_SPECS[0]!,
        hostile: [
          {
            bash:
              `[ -e ${once} ] || { touch ${once}; ` +
              `h="$(git rev-parse --path-format=absolute --git-common-dir)/hooks/post-commit"; ` +
              `printf '#!/bin/sh\\ntouch ${marker}\\n' > "$h"; chmod +x "$h"; kill -9 $PPID; }`,
          },
        ],
      },
    ]);
    const first = await runProbe(probe);
    expect(first.signal ?? first.exitCode).toBe('SIGKILL');
    expect(readdirSync(join(probe.repo, '.git', 'hooks'))).toContain('post-commit');
    const resumed = await improve(probe.repo, ['--resume'], probe.env);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(warnings(resumed.stdout).join('\n')).toMatch(/a git hook was planted at .*post-commit/);
    expect(readdirSync(join(probe.repo, '.git', 'hooks'))).not.toContain('post-commit');
    expect(existsSync(marker)).toBe(false);
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 90_000);

  it('kill -9 during validation of an attempt that deleted its spec file: resume finishes it', async () => {
    probe = await startProbe([{ ...TWO_SPECS[0]!, hostile: [{ bash: 'rm -f specs/01-s1.md' }] }]);
    const slow = TEST_CONFIG.replace('test = "node check.js"', 'test = "sleep 2 && node check.js"');
    writeFileSync(join(probe.repo, '.mmm', 'config.toml'), `${slow}\n[tools]\nallow = ["*"]\n`);
    git(probe.repo, 'commit', '-q', '-am', 'slow checks');
    probe.before = (await import('./harness.js')).snapshotCheckout(probe.repo);
    const live = spawnImprove(probe.repo, [], probe.env);
    await live.waitFor((e) => e.type === 'step' && e.step === 'validate');
    live.child.kill('SIGKILL');
    await live.done;
    const resumed = await improve(probe.repo, ['--resume'], probe.env);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const end = runEnd(resumed.stdout);
    expect(attemptEnds(resumed.stdout).map((e) => e.outcome)).toEqual(['passed']);
    const state = runState(probe.repo, runIdOf(end.branch)) as {
      specs: Record<string, { status: string }>;
    };
    expect(state.specs.s1?.status).toBe('done');
    expect(git(probe.repo, 'show', `${end.branch}:specs/01-s1.md`)).toMatch(/status: done/);
    expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 90_000);
});
