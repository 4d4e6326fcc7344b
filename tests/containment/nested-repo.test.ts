/**
 * A repository the agent nests in its work tree (`git init sub`, staged as a gitlink),
 * with a clean filter in the nested repository's own config. mmm's `git status` of the
 * run would look into the nested work tree by running git there, which obeys the nested
 * config: the filter — any program the agent names — would run as mmm's own git,
 * outside the sandbox. The planted-config watch does not cover it (the config is inside
 * the work tree, not the repository's). mmm's git never looks into nested work trees.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runEnd } from '../improve/helpers.js';
import { chooseSandbox } from '../../src/core/tools/sandbox-probe.js';
import { expectCheckoutUnchanged, expectNoSecretLeaked, SANDBOX_MODES } from './harness.js';
import { git } from '../support/tmp.js';
import {
  attemptEnds,
  markerPath,
  runProbe,
  startProbe,
  warnings,
  type Probe,
} from './git-probes.js';

const runSandboxed =
  chooseSandbox({ sandbox: 'auto', network: true }).mode === 'bwrap' ||
  process.env.CI !== undefined;

let probe: Probe | undefined;
afterEach(async () => {
  await probe?.fake.close();
  probe = undefined;
});

describe.each(SANDBOX_MODES)('sandbox %s: a nested repository', (mode) => {
  it.skipIf(mode === 'auto' && !runSandboxed)(
    "its clean filter never runs in mmm's git; the run completes",
    async () => {
      const marker = markerPath();
      probe = await startProbe(
        [
          {
            id: 's1',
            title: 'Add a',
            checks: ['file_exists: a.txt'],
            hostile: [
              {
                bash:
                  'git init -q sub && (cd sub && echo x > f && git add f && ' +
                  'git -c user.name=a -c user.email=a@b commit -qm x) && git add sub && echo ok',
              },
              {
                // Same size, older mtime: git must read the file, through the filter.
                bash:
                  `printf '[filter "x"]\\n\\tclean = echo ran >> ${marker}; cat\\n' >> sub/.git/config` +
                  " && echo '* filter=x' > sub/.gitattributes && touch -d 2001-01-01 sub/f && echo planted",
              },
            ],
            honest: { path: 'a.txt', text: 'a\n' },
          },
        ],
        { MMM_TOOLS__SANDBOX: mode },
      );
      const result = await runProbe(probe);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(runEnd(result.stdout).status).toBe('completed');
      expect(probe.toolResults.join('\n')).toContain('planted');
      const ran = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
      expect(ran, 'the nested repository’s filter ran').toBe('');
      // The attempt failed with feedback naming the repository; the next one is committed.
      const ends = attemptEnds(result.stdout);
      expect(ends.map((e) => e.outcome)).toEqual(['agent_error', 'passed']);
      expect(String(ends[0]?.feedback)).toMatch(/nested git repository/);
      expect(warnings(result.stdout).join('\n')).toMatch(/nested git repository was made at sub/);
      const branch = runEnd(result.stdout).branch;
      expect(git(probe.repo, 'ls-tree', '-r', '--name-only', branch)).not.toMatch(/^sub/m);
      expectCheckoutUnchanged(probe.repo, probe.before);
      expectNoSecretLeaked(probe.repo, result, probe.toolResults);
    },
  );
});
