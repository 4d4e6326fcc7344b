import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRepo, writeTree } from '../support/tmp.js';
import { InputError } from '../../src/core/errors.js';
import { openRepo } from '../../src/core/git/repo.js';
import {
  attachWorktree,
  createRunWorktree,
  listWorktrees,
  removeWorktree,
} from '../../src/core/git/worktree.js';
import { commitAll, fastForward } from '../../src/core/git/commit.js';

describe('run worktrees', () => {
  it('creates a worktree on a new branch without touching the dirty checkout', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    writeTree(repo, { 'a.txt': 'user edit\n', 'mine.txt': 'untracked' });
    const head = git(repo, 'rev-parse', 'HEAD');
    const wt = join(repo, '.mmm/worktrees/r1');
    await createRunWorktree(repo, wt, 'mmm/r1', head);
    expect(readFileSync(join(wt, 'a.txt'), 'utf8')).toBe('a\n');
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('mmm/r1');
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('user edit\n');
    // .mmm/ does not show up in the user's status.
    expect((await openRepo(repo)).dirty.sort()).toEqual(['a.txt', 'mine.txt']);
    const info = await openRepo(wt);
    expect(info.root).toBe(wt);
    expect(info.mainRoot).toBe(repo);
  });

  it('reuses a branch that descends from the start commit and refuses one that does not', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const head = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'branch', 'mmm/ok', head);
    await createRunWorktree(repo, join(repo, '.mmm/worktrees/ok'), 'mmm/ok', head);
    expect(git(join(repo, '.mmm/worktrees/ok'), 'rev-parse', 'HEAD')).toBe(head);

    git(repo, 'checkout', '-q', '--orphan', 'other');
    writeTree(repo, { 'o.txt': 'o' });
    git(repo, 'add', 'o.txt');
    git(repo, 'commit', '-q', '-m', 'unrelated');
    git(repo, 'branch', 'mmm/bad');
    git(repo, 'checkout', '-q', 'main');
    const error = await createRunWorktree(
      repo,
      join(repo, '.mmm/worktrees/bad'),
      'mmm/bad',
      head,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/branch mmm\/bad already exists/);
  });

  it('attaches a missing worktree back to its branch, keeping its commits', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const head = git(repo, 'rev-parse', 'HEAD');
    const wt = join(repo, '.mmm/worktrees/r2');
    await createRunWorktree(repo, wt, 'mmm/r2', head);
    writeTree(wt, { 'b.txt': 'b\n' });
    const sha = await commitAll(wt, 'add b', { 'Mmm-Run': 'r2' });
    rmSync(wt, { recursive: true, force: true });
    await attachWorktree(repo, wt, 'mmm/r2');
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(sha);
    expect(readFileSync(join(wt, 'b.txt'), 'utf8')).toBe('b\n');
    await attachWorktree(repo, wt, 'mmm/r2'); // already there: nothing to do
    expect((await listWorktrees(repo)).filter((w) => w.branch === 'mmm/r2')).toHaveLength(1);
  });

  it('removes a worktree with changes in it but keeps its branch', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const wt = join(repo, '.mmm/worktrees/r3');
    await createRunWorktree(repo, wt, 'mmm/r3', git(repo, 'rev-parse', 'HEAD'));
    writeTree(wt, { 'dirty.txt': 'x' });
    await removeWorktree(repo, wt);
    expect(existsSync(wt)).toBe(false);
    expect((await listWorktrees(repo)).map((w) => w.path)).toEqual([repo]);
    expect(git(repo, 'branch', '--list', 'mmm/r3')).toContain('mmm/r3');
    await expect(removeWorktree(repo, repo)).rejects.toThrow(/refusing/);
  });
});

describe('fastForward', () => {
  it('moves a checked-out branch, a branch elsewhere, and refuses a diverged one', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const head = git(repo, 'rev-parse', 'HEAD');
    const wt = join(repo, '.mmm/worktrees/ff');
    await createRunWorktree(repo, wt, 'mmm/ff', head);
    writeTree(wt, { 'b.txt': 'b\n' });
    const tip = await commitAll(wt, 'add b', {});
    git(repo, 'branch', 'side', head);

    expect(await fastForward(repo, 'main', tip)).toBe(true);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(tip);
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('b\n');
    expect(await fastForward(repo, 'side', tip)).toBe(true);
    expect(git(repo, 'rev-parse', 'side')).toBe(tip);

    git(repo, 'branch', 'diverged', head);
    git(repo, 'checkout', '-q', 'diverged');
    writeTree(repo, { 'c.txt': 'c' });
    git(repo, 'add', 'c.txt');
    git(repo, 'commit', '-q', '-m', 'c');
    const before = git(repo, 'rev-parse', 'diverged');
    expect(await fastForward(repo, 'diverged', tip)).toBe(false);
    expect(git(repo, 'rev-parse', 'diverged')).toBe(before);
  });
});
