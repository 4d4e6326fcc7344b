/**
 * Programs the agent plants where mmm — or you, after the run — would find them on PATH.
 * mmm runs its own git outside the sandbox, with the repository's real refs at hand: a
 * `git` planted in a directory on PATH would run there, with mmm's process as its parent
 * (and /proc/$PPID/environ holding the API key). Two ways in, both closed:
 *
 * - a directory on PATH inside a cache the sandbox keeps writable (`~/.cargo/bin`);
 * - a relative PATH entry (`node_modules/.bin`, `.`), which a program started with the
 *   work tree as its working directory resolves inside the work tree.
 *
 * Also checked: the toolchain homes' programs and start-up files (`~/.cargo/config.toml`,
 * which your next `cargo build` would obey) are not writable; their download caches are.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { improve, improveRepo, runEnd } from '../improve/helpers.js';
import { chooseSandbox } from '../../src/core/tools/sandbox-probe.js';
import { tempDir, writeTree } from '../support/tmp.js';
import {
  expectCheckoutUnchanged,
  expectNoSecretLeaked,
  hostileEnv,
  hostileModel,
  SANDBOX_MODES,
  snapshotCheckout,
  type HostileCall,
  type SandboxMode,
} from './harness.js';
import { markerPath } from './git-probes.js';

const hasBwrap = chooseSandbox({ sandbox: 'auto', network: true }).mode === 'bwrap';
const runSandboxed = hasBwrap || process.env.CI !== undefined;

let fake: FakeAnthropic | undefined;
const homes: string[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/**
 * A home directory outside /tmp: the sandbox gives each command a private /tmp, which
 * would hide a home under it and make every write there succeed harmlessly.
 */
function homeOutsideTmp(): string {
  const home = mkdtempSync('/var/tmp/mmm-home-');
  homes.push(home);
  return home;
}

/** A `git` that leaves a mark, then does what git would. */
function shim(marker: string): string {
  return `#!/bin/sh\necho "$PPID $*" >> ${marker}\nexec /usr/bin/env -u PATH git "$@"\n`;
}

function plant(dir: string, marker: string): HostileCall {
  const text = shim(marker).replace(/\n/g, '\\n').replace(/"/g, '\\"').replace(/\$/g, '\\$');
  return {
    bash: `mkdir -p ${dir} && printf "${text}" > ${dir}/git && chmod +x ${dir}/git && echo planted`,
  };
}

async function hostileRun(hostile: HostileCall[], env: Record<string, string>, mode: SandboxMode) {
  const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
  writeTree(repo, { 'README.md': '# edited, not committed\n', 'notes.txt': 'untracked\n' });
  const before = snapshotCheckout(repo);
  const model = hostileModel({
    hostile: { s1: hostile },
    honest: { s1: { path: 'a.txt', text: 'a\n' } },
  });
  fake = await startFakeAnthropic({ script: model.responder });
  const result = await improve(repo, [], hostileEnv(fake.url, env, mode));
  expect(result.exitCode, result.stderr).toBe(0);
  expect(runEnd(result.stdout).status).toBe('completed');
  expectCheckoutUnchanged(repo, before);
  expectNoSecretLeaked(repo, result, model.toolResults);
  return { repo, results: model.toolResults };
}

describe.skipIf(!runSandboxed)('sandbox: no writable directory on PATH', () => {
  it('a git planted in ~/.cargo/bin (on PATH, inside a writable cache) never runs; the cache still works', async () => {
    const home = homeOutsideTmp();
    mkdirSync(join(home, '.cargo', 'bin'), { recursive: true });
    mkdirSync(join(home, '.cargo', 'registry'), { recursive: true });
    const marker = markerPath();
    const { results } = await hostileRun(
      [
        plant(`${home}/.cargo/bin`, marker),
        { bash: `echo '[build]' > ${home}/.cargo/config.toml; echo "exit $?"` },
        { bash: `echo cached > ${home}/.cargo/registry/entry && echo cache-ok` },
      ],
      { HOME: home, PATH: `${home}/.cargo/bin:${process.env.PATH ?? ''}` },
      'auto',
    );
    expect(existsSync(marker), 'the planted git ran').toBe(false);
    expect(existsSync(join(home, '.cargo', 'bin', 'git'))).toBe(false);
    expect(existsSync(join(home, '.cargo', 'config.toml'))).toBe(false);
    expect(results.join('\n')).toContain('Read-only file system');
    // The download cache stays writable, so builds still work as outside.
    expect(existsSync(join(home, '.cargo', 'registry', 'entry'))).toBe(true);
  });
});

describe.each(SANDBOX_MODES)('sandbox %s: a relative PATH entry', (mode) => {
  it.skipIf(mode === 'auto' && !runSandboxed)(
    'a git planted at node_modules/.bin in the work tree never runs as mmm’s git',
    async () => {
      const marker = markerPath();
      await hostileRun(
        [plant('node_modules/.bin', marker)],
        { PATH: `node_modules/.bin:.:${process.env.PATH ?? ''}`, HOME: tempDir('mmm-home-') },
        mode,
      );
      expect(existsSync(marker), 'the planted git ran').toBe(false);
    },
  );
});
