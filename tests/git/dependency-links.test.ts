import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { linkDependencyDirs } from '../../src/core/git/dependency-links.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';

describe('linkDependencyDirs', () => {
  it('links ignored dependency dirs into a worktree and keeps them out of commits', async () => {
    const repo = gitRepo({
      '.gitignore': 'node_modules/\n.venv/\n',
      'package.json': '{}',
      'packages/a/package.json': '{}',
      'vendor/keep.go': 'package vendor\n',
    });
    writeTree(repo, {
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
      'packages/a/node_modules/x/index.js': '',
      '.venv/bin/python': '',
    });
    const worktree = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'run', worktree);

    const linked = await linkDependencyDirs(repo, worktree);

    expect(linked.sort()).toEqual(['.venv', 'node_modules', 'packages/a/node_modules']);
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(worktree, 'node_modules'))).toBe(join(repo, 'node_modules'));
    expect(existsSync(join(worktree, 'node_modules/left-pad/index.js'))).toBe(true);
    // vendor/ is tracked, not ignored: left alone.
    expect(lstatSync(join(worktree, 'vendor')).isDirectory()).toBe(true);
    // git sees nothing new in the worktree, so `git add -A` would not commit the links.
    expect(git(worktree, 'status', '--porcelain')).toBe('');
    // Idempotent.
    expect(await linkDependencyDirs(repo, worktree)).toEqual([]);
  });

  it('does nothing when there are no dependency dirs', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    mkdirSync(join(repo, 'src'));
    const worktree = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'run', worktree);
    expect(await linkDependencyDirs(repo, worktree)).toEqual([]);
  });
});

describe('removing a worktree with dependency links', () => {
  it('removes the links, never what they point at', async () => {
    const { removeWorktree } = await import('../../src/core/git/worktree.js');
    const repo = gitRepo({ '.gitignore': 'node_modules/\n', 'a.txt': 'a' });
    writeTree(repo, { 'node_modules/dep/index.js': 'module.exports = 1;\n' });
    const worktree = join(repo, '.mmm', 'worktrees', 'run');
    git(repo, 'worktree', 'add', '-q', '-b', 'run', worktree);
    await linkDependencyDirs(repo, worktree);
    await removeWorktree(repo, worktree);
    expect(existsSync(worktree)).toBe(false);
    expect(existsSync(join(repo, 'node_modules/dep/index.js'))).toBe(true);
  });
});
