import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../support/tmp.js';
import { ShellSession } from '../../src/core/tools/shell-session.js';
import { runShell } from '../../src/core/validate/exec.js';
import { worktreeCeiling } from '../../src/core/tools/shell-env.js';

/**
 * Without a sandbox, an agent that deletes its worktree's `.git` must not reach the
 * repository of the user's checkout through git's upward search: the worktrees folder is
 * a ceiling for the agent's shell and for validation commands.
 */
describe('GIT_CEILING_DIRECTORIES for a run worktree', () => {
  it('is the worktrees folder for a worktree, nothing elsewhere', () => {
    expect(worktreeCeiling('/home/me/app/.mmm/worktrees/20261129-0101-ab12')).toEqual({
      GIT_CEILING_DIRECTORIES: '/home/me/app/.mmm/worktrees',
    });
    expect(worktreeCeiling('/home/me/app')).toEqual({});
  });

  it("git in a worktree whose .git is gone does not find the checkout's repository", async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const worktree = join(repo, '.mmm', 'worktrees', 'run-1');
    mkdirSync(worktree, { recursive: true }); // as if the agent had deleted its .git
    const shell = new ShellSession(worktree);
    try {
      const r = await shell.run('git rev-parse --show-toplevel', {
        timeoutMs: 10_000,
        outputLimit: 10_000,
      });
      expect(r.output).toMatch(/not a git repository/);
      expect(r.exitCode).not.toBe(0);
    } finally {
      shell.dispose();
    }
    const v = await runShell('git rev-parse --show-toplevel', { cwd: worktree, timeoutSec: 10 });
    expect(v.output).toMatch(/not a git repository/);
    // Outside a worktree nothing changes: the checkout's own repository is found.
    const own = await runShell('git rev-parse --show-toplevel', { cwd: repo, timeoutSec: 10 });
    expect(own.exitCode).toBe(0);
  });
});
