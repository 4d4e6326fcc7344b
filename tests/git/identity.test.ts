/**
 * The run's identity in git: pinned work trees (GIT_DIR/GIT_WORK_TREE per call), the
 * file-level identity check before changing commands, the full check and the repair,
 * the hardening of every git call (no hooks, no fsmonitor, no secrets), mmm's own refs.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';
import { createRunWorktree } from '../../src/core/git/worktree.js';
import { commitAll, resetTo } from '../../src/core/git/commit.js';
import { git as mmmGit, gitBaseEnv } from '../../src/core/git/exec.js';
import { checkRunTree, pinRun, repairRunTree } from '../../src/core/git/identity.js';
import { identityProblems, RunIdentityError, unpinWorkTree } from '../../src/core/git/pin.js';
import { readRef, restoreBranchFromTip, runTipRef, specRef } from '../../src/core/git/run-refs.js';

const pinned: string[] = [];
afterEach(() => {
  while (pinned.length) unpinWorkTree(pinned.pop() as string);
});

async function runTree() {
  const repo = gitRepo({ 'a.txt': 'a\n' });
  const head = git(repo, 'rev-parse', 'HEAD');
  const wt = join(repo, '.mmm/worktrees/r1');
  await createRunWorktree(repo, wt, 'mmm/r1', head);
  const pin = await pinRun({
    repoRoot: repo,
    commonDir: join(repo, '.git'),
    workTree: wt,
    branch: 'mmm/r1',
    inPlace: false,
    tipRef: runTipRef('r1'),
  });
  pinned.push(wt);
  // The user's uncommitted and untracked work.
  writeTree(repo, { 'a.txt': 'user edit\n', 'mine.txt': 'untracked\n' });
  return { repo, head, wt, pin };
}

function userUntouched(repo: string, head: string): void {
  expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('user edit\n');
  expect(readFileSync(join(repo, 'mine.txt'), 'utf8')).toBe('untracked\n');
  expect(git(repo, 'rev-parse', 'main')).toBe(head);
}

describe('a pinned run work tree', () => {
  it('is found, and a clean one has no identity problems', async () => {
    const { pin, repo } = await runTree();
    expect(pin.gitDir).toBe(join(repo, '.git', 'worktrees', 'r1'));
    expect(identityProblems(pin)).toEqual([]);
  });

  it('git never reaches the user checkout when the .git file is deleted', async () => {
    const { repo, head, wt, pin } = await runTree();
    writeTree(wt, { 'b.txt': 'b\n' });
    rmSync(join(wt, '.git'));
    expect(identityProblems(pin)).toEqual(['the .git file of the work tree was deleted']);
    await expect(resetTo(wt, head)).rejects.toBeInstanceOf(RunIdentityError);
    await expect(commitAll(wt, 'x', {})).rejects.toBeInstanceOf(RunIdentityError);
    // Reading still works on the run's own git dir, not the checkout's.
    const status = (await mmmGit(wt, ['status', '--porcelain'])).stdout;
    expect(status).toContain('b.txt');
    expect(status).not.toContain('mine.txt');
    userUntouched(repo, head);
  });

  it('repair relinks the tree, re-attaches HEAD and restores the branch', async () => {
    const { repo, head, wt, pin } = await runTree();
    writeTree(wt, { 'b.txt': 'b\n' });
    const sha = await commitAll(wt, 'mmm: b', { 'Mmm-Run': 'r1' });
    expect(await readRef(repo, runTipRef('r1'))).toBe(sha);
    git(wt, 'checkout', '-q', '-B', 'mmm/r1', head, '--');
    git(wt, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    rmSync(join(wt, '.git'));
    const check = await checkRunTree(pin, sha);
    expect(check.problems).toEqual([
      'the .git file of the work tree was deleted',
      'HEAD was switched from refs/heads/mmm/r1 to refs/heads/main',
      `the run branch mmm/r1 was moved to ${head.slice(0, 12)}, which does not contain the last checkpoint ${sha.slice(0, 12)}`,
    ]);
    const repaired = await repairRunTree(pin, repo, sha);
    expect(repaired.actions).toHaveLength(3);
    expect((await checkRunTree(repaired.pin, sha)).problems).toEqual([]);
    await resetTo(wt, sha);
    expect(readFileSync(join(wt, 'b.txt'), 'utf8')).toBe('b\n');
    userUntouched(repo, head);
  });

  it('a deleted HEAD file is written again', async () => {
    const { repo, head, pin } = await runTree();
    rmSync(join(pin.gitDir, 'HEAD'));
    expect(identityProblems(pin)).toEqual(['HEAD of the work tree was deleted']);
    const repaired = await repairRunTree(pin, repo, head);
    expect(repaired.actions).toEqual(['re-attached HEAD to mmm/r1']);
    expect((await checkRunTree(pin, head)).problems).toEqual([]);
  });

  it('a deleted worktree with its git dir is re-created from the branch', async () => {
    const { repo, head, wt, pin } = await runTree();
    rmSync(wt, { recursive: true });
    rmSync(pin.gitDir, { recursive: true });
    mkdirSync(wt);
    writeFileSync(join(wt, 'plain.txt'), 'plain\n');
    expect(identityProblems(pin).length).toBeGreaterThan(0);
    const repaired = await repairRunTree(pin, repo, head);
    pinned.push(wt);
    expect(repaired.actions.join()).toMatch(/re-created the worktree/);
    expect(identityProblems(repaired.pin)).toEqual([]);
    expect(existsSync(join(wt, 'plain.txt'))).toBe(false);
    expect(readFileSync(join(wt, 'a.txt'), 'utf8')).toBe('a\n');
    userUntouched(repo, head);
  });

  it('reports commits the agent made on the run branch as self commits', async () => {
    const { head, wt, pin } = await runTree();
    writeTree(wt, { 'c.txt': 'c\n' });
    git(wt, 'add', '-A');
    git(wt, 'commit', '-q', '-m', 'agent');
    const check = await checkRunTree(pin, head);
    expect(check.problems).toEqual([]);
    expect(check.selfCommits).toEqual([git(wt, 'rev-parse', 'HEAD')]);
  });
});

describe("mmm's git calls", () => {
  it('run no hook and no fsmonitor of the repository, and see no secret', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const marker = join(tempDir(), 'ran');
    for (const hook of ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit']) {
      const path = join(repo, '.git', 'hooks', hook);
      writeFileSync(path, `#!/bin/sh\nenv >> ${marker}\nexit 1\n`);
      chmodSync(path, 0o755);
    }
    git(repo, 'config', 'core.fsmonitor', `env >> ${marker}; false`);
    writeTree(repo, { 'b.txt': 'b\n' });
    await commitAll(repo, 'b', {});
    await mmmGit(repo, ['status']);
    expect(existsSync(marker)).toBe(false);
    const env = gitBaseEnv({
      ANTHROPIC_API_KEY: 'k',
      GITHUB_TOKEN: 't',
      GIT_AUTHOR_NAME: 'A',
      PATH: '/bin',
      GIT_DIR: '/x',
    });
    expect(env).toEqual({ GIT_AUTHOR_NAME: 'A', PATH: '/bin' });
  });

  it('refs/mmm restore a branch that lost commits, and leave one that is ahead', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    git(repo, 'branch', 'mmm/r2');
    writeTree(repo, { 'b.txt': 'b\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'b');
    const tip = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'update-ref', runTipRef('r2'), tip);
    expect(await restoreBranchFromTip(repo, 'r2', 'mmm/r2')).toMatch(/had lost commits/);
    expect(git(repo, 'rev-parse', 'mmm/r2')).toBe(tip);
    expect(await restoreBranchFromTip(repo, 'r2', 'mmm/r2')).toBeUndefined();
    git(repo, 'update-ref', '-d', 'refs/heads/mmm/r2');
    expect(await restoreBranchFromTip(repo, 'r2', 'mmm/r2')).toMatch(/was deleted/);
    expect(git(repo, 'rev-parse', 'mmm/r2')).toBe(tip);
    for (const id of ['a b/../c', '.x.lock', 'ok-1']) {
      expect(() => git(repo, 'check-ref-format', specRef('r2', id))).not.toThrow();
    }
    expect(specRef('r2', 'ok-1')).toBe('refs/mmm/r2/specs/ok-1');
  });
});
