import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { events, improve, improveRepo, runEnd } from '../improve/helpers.js';
import { chooseSandbox, findExecutable } from '../../src/core/tools/sandbox-probe.js';
import { git, tempDir, writeTree } from '../support/tmp.js';
import {
  expectCheckoutUnchanged,
  expectNoSecretLeaked,
  hostileEnv,
  hostileModel,
  snapshotCheckout,
} from './harness.js';

/**
 * Item 3 (/proc leak) and item 10 (setsid children) of issue 17, through the built binary:
 * the agent's shell and the validation commands run in bubblewrap. Needs a working bwrap
 * (CI installs it); skipped without one only outside CI.
 */
const hasBwrap = chooseSandbox({ sandbox: 'auto', network: true }).mode === 'bwrap';
const runIt = hasBwrap || process.env.CI !== undefined;

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function warnings(stdout: string): string[] {
  return events(stdout)
    .filter((e) => e.type === 'warning')
    .map((e) => String(e.message));
}

/** Host processes whose command line contains `marker` (zombies excluded). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmd.includes(marker) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') {
        found.push(Number(name));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** A PATH with what a run needs (git, bash, node, coreutils) and no bwrap. */
function pathWithoutBwrap(): string {
  const bin = tempDir('mmm-nobwrap-');
  for (const name of [
    'git',
    'bash',
    'sh',
    'node',
    'cat',
    'ls',
    'env',
    'tr',
    'true',
    'rm',
    'mkdir',
  ]) {
    const found = name === 'node' ? process.execPath : findExecutable(name, process.env.PATH);
    if (found) symlinkSync(found, join(bin, name));
  }
  return bin;
}

describe.skipIf(!runIt)('sandbox, end to end', () => {
  it('a hostile shell can neither read secrets from /proc nor touch the checkout; children die', async () => {
    expect(hasBwrap, 'CI must have a working bwrap (.ci/run installs bubblewrap)').toBe(true);
    const marker = `4242${process.pid}`;
    const repo = improveRepo([
      {
        id: 's1',
        title: 'Add a',
        checks: [
          'file_exists: a.txt',
          // A validation command that plants a process and writes into the checkout.
          `run: "setsid sleep ${marker}1 & touch ${'$'}(git rev-parse --git-common-dir)/../PWNED-BY-CHECK; true"`,
        ],
      },
    ]);
    writeTree(repo, { 'README.md': '# edited, not committed\n', 'notes.txt': 'untracked\n' });
    const before = snapshotCheckout(repo);
    const hooks = join(repo, '.git', 'hooks');
    const model = hostileModel({
      hostile: {
        s1: [
          { bash: "tr '\\0' '\\n' </proc/$PPID/environ" },
          { bash: 'cat /proc/*/environ' },
          { bash: 'ls /proc | grep -cE "^[0-9]+$"' },
          { bash: `time -p git -C ${repo} commit --allow-empty -m x` },
          { bash: `echo x > ${repo}/FILE` },
          { bash: `echo x >> ${repo}/README.md` },
          { bash: `printf '#!/bin/sh\\ntouch PWNED\\n' > ${hooks}/post-commit` },
          { bash: `setsid sleep ${marker}2 & echo planted` },
        ],
      },
      honest: { s1: { path: 'a.txt', text: 'a\n' } },
    });
    fake = await startFakeAnthropic({ script: model.responder });
    const r = await improve(repo, [], hostileEnv(fake.url));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(runEnd(r.stdout).status).toBe('completed');
    expect(warnings(r.stdout).join('\n')).not.toMatch(/no sandbox/);
    expectCheckoutUnchanged(repo, before);
    expectNoSecretLeaked(repo, r, model.toolResults);
    expect(existsSync(join(hooks, 'post-commit'))).toBe(false);
    expect(existsSync(join(repo, 'PWNED-BY-CHECK'))).toBe(false);
    // The writes failed at the file system, and /proc showed only the command's processes.
    expect(model.toolResults.join('\n')).toContain('Read-only file system');
    const count = model.toolResults.find((t) => /^\d+\n\[exit code: 0\]$/.test(t));
    expect(Number(count?.split('\n')[0])).toBeLessThan(8);
    expect(processesWith(marker)).toEqual([]);
    // The run's commit is there, and only mmm made it.
    expect(git(repo, 'log', '--format=%s', `main..${runEnd(r.stdout).branch}`)).toBe('mmm: Add a');
  });

  it('tools.sandbox = "off" runs without the sandbox and without a warning', async () => {
    const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
    const probe = join(tempDir('mmm-off-'), 'written-outside');
    const model = hostileModel({
      hostile: { s1: [{ bash: `echo x > ${probe}` }] },
      honest: { s1: { path: 'a.txt', text: 'a\n' } },
    });
    fake = await startFakeAnthropic({ script: model.responder });
    const r = await improve(repo, [], hostileEnv(fake.url, { MMM_TOOLS__SANDBOX: 'off' }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(warnings(r.stdout).join('\n')).not.toMatch(/sandbox/);
    // Outside the sandbox the host's /tmp is the command's /tmp.
    expect(existsSync(probe)).toBe(true);
    expectNoSecretLeaked(repo, r, model.toolResults);
  });
});

describe('sandbox unavailable, end to end', () => {
  it('auto: the run goes on with one warning saying what is not protected', async () => {
    const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
    const model = hostileModel({ hostile: {}, honest: { s1: { path: 'a.txt', text: 'a\n' } } });
    fake = await startFakeAnthropic({ script: model.responder });
    const r = await improve(repo, [], hostileEnv(fake.url, { PATH: pathWithoutBwrap() }));
    expect(r.exitCode, r.stderr).toBe(0);
    const sandboxWarnings = warnings(r.stdout).filter((w) => /no sandbox/.test(w));
    expect(sandboxWarnings).toHaveLength(1);
    expect(sandboxWarnings[0]).toMatch(/not installed/);
    expect(sandboxWarnings[0]).toMatch(/environ/);
    expect(sandboxWarnings[0]).toMatch(/tools\.sandbox = "off"/);
  });

  it('bwrap: exit 2 before anything is created', async () => {
    const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
    const branches = git(repo, 'branch', '--list');
    fake = await startFakeAnthropic({ script: () => ({ content: [] }) });
    const r = await improve(
      repo,
      [],
      hostileEnv(fake.url, { PATH: pathWithoutBwrap(), MMM_TOOLS__SANDBOX: 'bwrap' }),
    );
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/tools\.sandbox = "bwrap"/);
    expect(r.stderr).toMatch(/bubblewrap/);
    expect(existsSync(join(repo, '.mmm', 'runs'))).toBe(false);
    expect(git(repo, 'branch', '--list')).toBe(branches);
    expect(fake.requests).toHaveLength(0);
  });
});
