/**
 * Git state the agent leaves in its worktree's own git directory, which is writable even
 * in the sandbox (it holds the index): index flags that make `git add -A` skip a file
 * (`update-index --assume-unchanged`, `--skip-worktree`) and a `MERGE_HEAD` that makes
 * `git commit` adopt another commit as the parent. mmm's commit must be exactly the work
 * tree it validated, on top of its checkpoint, and a reset must never be wedged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runEnd } from '../improve/helpers.js';
import { chooseSandbox } from '../../src/core/tools/sandbox-probe.js';
import { git } from '../support/tmp.js';
import { expectCheckoutUnchanged, expectNoSecretLeaked, SANDBOX_MODES } from './harness.js';
import { attemptEnds, runProbe, startProbe, type Probe } from './git-probes.js';

const runSandboxed =
  chooseSandbox({ sandbox: 'auto', network: true }).mode === 'bwrap' ||
  process.env.CI !== undefined;

let probe: Probe | undefined;
afterEach(async () => {
  await probe?.fake.close();
  probe = undefined;
});

const KEY_FROM_PROC =
  "\"$(tr '\\0' '\\n' </proc/$PPID/environ | grep '^ANTHROPIC_API_KEY=' | cut -d= -f2-)\"";

describe.each(SANDBOX_MODES)('sandbox %s: index flags and merge state', (mode) => {
  it.skipIf(mode === 'auto' && !runSandboxed)(
    'a file hidden from git add with --assume-unchanged / --skip-worktree: committed as validated, nothing wedged',
    async () => {
      probe = await startProbe(
        [
          {
            id: 's1',
            title: 'Add a',
            checks: ['file_exists: a.txt'],
            hostile: [
              { bash: 'git update-index --skip-worktree README.md && echo tampered >> README.md' },
              // Without the sandbox: stage a clean file, hide it, and put the key in the work tree.
              ...(mode === 'off'
                ? [
                    {
                      bash:
                        'echo clean > b.txt && git add b.txt && git update-index --assume-unchanged b.txt && ' +
                        `printf 'LEAK=%s\\n' ${KEY_FROM_PROC} > b.txt && echo hidden`,
                    },
                  ]
                : []),
            ],
            honest: { path: 'a.txt', text: 'a\n' },
          },
        ],
        { MMM_TOOLS__SANDBOX: mode },
      );
      const result = await runProbe(probe);
      expect(result.exitCode, result.stderr).toBe(0);
      const end = runEnd(result.stdout);
      expect(end.status).toBe('completed');
      const ends = attemptEnds(result.stdout);
      if (mode === 'off') {
        // The secret scan sees the work tree, not what was staged behind the flag.
        expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
        expect(String(ends[0]?.feedback)).toMatch(/b\.txt: the value of \$ANTHROPIC_API_KEY/);
      } else {
        // What was committed is what the work tree held when it was validated.
        expect(ends.map((e) => e.outcome)).toEqual(['passed']);
        expect(git(probe.repo, 'show', `${end.branch}:README.md`)).toContain('tampered');
      }
      expect(git(probe.repo, 'show', `${end.branch}:a.txt`)).toBe('a');
      expectCheckoutUnchanged(probe.repo, probe.before);
      expectNoSecretLeaked(probe.repo, result, probe.toolResults);
    },
  );

  it.skipIf(mode === 'auto' && !runSandboxed)(
    'a MERGE_HEAD naming another branch: mmm’s commit has its checkpoint as only parent',
    async () => {
      probe = await startProbe(
        [
          {
            id: 's1',
            title: 'Add a',
            checks: ['file_exists: a.txt'],
            hostile: [
              { bash: 'git rev-parse other > "$(git rev-parse --git-dir)/MERGE_HEAD" && echo set' },
            ],
            honest: { path: 'a.txt', text: 'a\n' },
          },
        ],
        { MMM_TOOLS__SANDBOX: mode },
      );
      // Another branch with a commit the run must never adopt (made without touching the checkout).
      const other = git(probe.repo, 'commit-tree', '-p', 'HEAD', '-m', 'other', 'HEAD^{tree}');
      git(probe.repo, 'branch', 'other', other);
      const result = await runProbe(probe);
      expect(result.exitCode, result.stderr).toBe(0);
      const end = runEnd(result.stdout);
      expect(end.status).toBe('completed');
      const base = git(probe.repo, 'rev-parse', 'main');
      expect(git(probe.repo, 'rev-list', '--parents', `main..${end.branch}`).split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^[0-9a-f]{40} ${base}$`)),
      ]);
      expect(git(probe.repo, 'rev-list', end.branch)).not.toContain(other);
      expectCheckoutUnchanged(probe.repo, probe.before);
    },
  );
});
