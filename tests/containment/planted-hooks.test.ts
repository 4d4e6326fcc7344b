/**
 * Item 6 of issue 17: the agent plants code that git would run — a hook in the shared
 * repository's hooks directory, `core.fsmonitor`, a `prepare-commit-msg` hook that fails.
 * None of it may run inside mmm's git calls, none of it may stay in the user's repository
 * (reported and removed after the attempt, kept in the run directory), and the user's own
 * hooks are left alone.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runEnd, runIdOf } from '../improve/helpers.js';
import { tempDir } from '../support/tmp.js';
import { expectCheckoutUnchanged, expectNoSecretLeaked, type HostileCall } from './harness.js';
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

function plantHook(name: string, body: string): HostileCall {
  return {
    bash:
      `h="$(git rev-parse --path-format=absolute --git-common-dir)/hooks/${name}" && ` +
      `printf '#!/bin/sh\\n${body}\\n' > "$h" && chmod +x "$h"`,
  };
}

async function probeWith(hostile: HostileCall[], userHook?: string) {
  probe = await startProbe([
    {
      id: 's1',
      title: 'Add a',
      checks: ['file_exists: a.txt'],
      hostile,
      honest: { path: 'a.txt', text: 'a\n' },
    },
  ]);
  if (userHook) {
    const path = join(probe.repo, '.git', 'hooks', 'pre-push');
    writeFileSync(path, userHook);
    chmodSync(path, 0o755);
  }
  return { probe, result: await runProbe(probe) };
}

describe('code planted in the repository never runs in mmm and does not stay', () => {
  it('a post-commit hook and core.fsmonitor: not run, reported, removed; the user hook stays', async () => {
    const marker = markerPath();
    const userHook = '#!/bin/sh\necho user hook\n';
    const { probe, result } = await probeWith(
      [
        plantHook('post-commit', `env > ${marker}.hook`),
        { bash: `git config core.fsmonitor 'env > ${marker}.fsmonitor; false'` },
        { bash: `git config alias.st 'status'` },
      ],
      userHook,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const end = runEnd(result.stdout);
    expect(end.status).toBe('completed');
    // The planted attempt failed (it changed git itself); the honest one passed.
    expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    const said = warnings(result.stdout).join('\n');
    expect(said).toMatch(/a git hook was planted at .*hooks\/post-commit/);
    expect(said).toMatch(/added core\.fsmonitor=/);
    expect(said).toMatch(/added alias\.st=/);
    const hooks = readdirSync(join(probe.repo, '.git', 'hooks'));
    expect(hooks).not.toContain('post-commit');
    expect(readFileSync(join(probe.repo, '.git', 'hooks', 'pre-push'), 'utf8')).toBe(userHook);
    expect(readFileSync(join(probe.repo, '.git', 'config'), 'utf8')).not.toMatch(/fsmonitor|alias/);
    // The planted files are kept in the run directory, not deleted.
    const kept = join(probe.repo, '.mmm', 'runs', runIdOf(end.branch), 'planted', '1');
    expect(existsSync(join(kept, 'hooks', 'post-commit'))).toBe(true);
    expectCheckoutUnchanged(probe.repo, probe.before);
    expect(existsSync(`${marker}.hook`)).toBe(false);
    expect(existsSync(`${marker}.fsmonitor`)).toBe(false);
    expectNoSecretLeaked(probe.repo, result, probe.toolResults);
  }, 60_000);

  it("a filter driver planted in the global git config never runs in mmm's git add", async () => {
    const marker = markerPath();
    const home = tempDir('mmm-home-');
    const gitconfig = '[user]\n\tname = Someone\n\temail = someone@example.com\n';
    writeFileSync(join(home, '.gitconfig'), gitconfig);
    probe = await startProbe(
      [
        {
          id: 's1',
          title: 'Add a',
          checks: ['file_exists: a.txt'],
          hostile: [
            { bash: `git config --global filter.evil.clean 'touch ${marker}; cat'` },
            { bash: `printf '* filter=evil\\n' > .gitattributes` },
          ],
          honest: { path: 'a.txt', text: 'a\n' },
        },
      ],
      { HOME: home },
    );
    const result = await runProbe(probe);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(attemptEnds(result.stdout).map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
    expect(warnings(result.stdout).join('\n')).toMatch(/added filter\.evil\.clean=/);
    expect(readFileSync(join(home, '.gitconfig'), 'utf8')).toBe(gitconfig);
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it('a failing prepare-commit-msg hook does not wedge the run', async () => {
    const marker = markerPath();
    const { probe, result } = await probeWith([
      plantHook('prepare-commit-msg', `touch ${marker}; exit 1`),
      plantHook('pre-commit', `touch ${marker}; exit 1`),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(runEnd(result.stdout).status).toBe('completed');
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(join(probe.repo, '.git', 'hooks'))).not.toContain('prepare-commit-msg');
    expectCheckoutUnchanged(probe.repo, probe.before);
  }, 60_000);
});
