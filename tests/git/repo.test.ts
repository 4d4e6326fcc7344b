import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';
import { InputError } from '../../src/core/errors.js';
import { diffPatch, hasChanges, headCommit, openRepo } from '../../src/core/git/repo.js';
import { resetTo } from '../../src/core/git/commit.js';

describe('openRepo', () => {
  it('refuses a directory that is not a git repository with exit 2 and a git init hint', async () => {
    const dir = tempDir();
    const error = await openRepo(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).message).toBe(`${dir} is not a git repository`);
    expect((error as InputError).hint).toMatch(/git init/);
  });

  it('reports root, head, branch and dirty paths from a subdirectory', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n', '.gitignore': 'ignored/\n' });
    writeTree(repo, { 'a.txt': 'changed\n', 'new file.txt': 'n\n', 'ignored/x': 'x' });
    const info = await openRepo(join(repo, 'sub'));
    expect(info.root).toBe(repo);
    expect(info.mainRoot).toBe(repo);
    expect(info.gitDir).toBe(join(repo, '.git'));
    expect(info.head).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(info.branch).toBe('main');
    expect(info.dirty.sort()).toEqual(['a.txt', 'new file.txt']);
  });

  it('reports null head without commits and null branch when detached', async () => {
    const empty = gitRepo({}, { commit: false });
    const info = await openRepo(empty);
    expect(info.head).toBeNull();
    expect(info.branch).toBe('main');
    const repo = gitRepo({ 'a.txt': 'a' });
    git(repo, 'checkout', '-q', '--detach');
    expect((await openRepo(repo)).branch).toBeNull();
  });
});

describe('changes, patches and rollback', () => {
  it('hasChanges sees tracked and untracked changes but not ignored files', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n', '.gitignore': 'node_modules/\n' });
    expect(await hasChanges(repo)).toBe(false);
    writeTree(repo, { 'node_modules/x/index.js': 'x' });
    expect(await hasChanges(repo)).toBe(false);
    writeTree(repo, { 'new.txt': 'n' });
    expect(await hasChanges(repo)).toBe(true);
  });

  it('diffPatch includes untracked and binary files, stages nothing, and applies with git apply', async () => {
    const repo = gitRepo({ 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n' });
    const base = await headCommit(repo);
    const binary = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]);
    writeTree(repo, { 'a.txt': 'one\n2\n', 'dir/new.txt': 'fresh\n', 'img.bin': binary });
    execFileSync('rm', [join(repo, 'gone.txt')]);
    const patch = await diffPatch(repo);
    expect(patch).toContain('dir/new.txt');
    expect(patch).toContain('GIT binary patch');
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('');
    expect(git(repo, 'status', '--porcelain')).toContain('?? dir/');

    const clone = tempDir();
    git(clone, 'clone', '-q', repo, '.');
    git(clone, 'checkout', '-q', base);
    writeFileSync(join(clone, 'p.patch'), patch);
    git(clone, 'apply', '--binary', 'p.patch');
    expect(readFileSync(join(clone, 'a.txt'), 'utf8')).toBe('one\n2\n');
    expect(readFileSync(join(clone, 'dir/new.txt'), 'utf8')).toBe('fresh\n');
    expect(readFileSync(join(clone, 'img.bin'))).toEqual(binary);
    expect(existsSync(join(clone, 'gone.txt'))).toBe(false);
  });

  it('diffPatch of a clean tree is empty', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    expect(await diffPatch(repo)).toBe('');
  });

  it('resetTo restores the checkpoint, removes untracked files and keeps ignored ones', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n', '.gitignore': 'node_modules/\n*.log\n' });
    const checkpoint = await headCommit(repo);
    writeTree(repo, { 'b.txt': 'b' });
    git(repo, 'add', 'b.txt');
    git(repo, 'commit', '-q', '-m', 'second');
    mkdirSync(join(repo, 'node_modules/pkg'), { recursive: true });
    writeTree(repo, {
      'a.txt': 'edited\n',
      'untracked/deep/file.ts': 'x',
      'node_modules/pkg/index.js': 'keep',
      'debug.log': 'keep',
    });
    await resetTo(repo, checkpoint);
    expect(await headCommit(repo)).toBe(checkpoint);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('a\n');
    expect(existsSync(join(repo, 'b.txt'))).toBe(false);
    expect(existsSync(join(repo, 'untracked'))).toBe(false);
    expect(readFileSync(join(repo, 'node_modules/pkg/index.js'), 'utf8')).toBe('keep');
    expect(existsSync(join(repo, 'debug.log'))).toBe(true);
  });

  it('resetTo and diffPatch cover the whole tree when given a subdirectory', async () => {
    const repo = gitRepo({ 'sub/a.txt': 'a\n' });
    const head = await headCommit(repo);
    writeTree(repo, { 'top.txt': 'top\n' });
    expect(await diffPatch(join(repo, 'sub'))).toContain('top.txt');
    await resetTo(join(repo, 'sub'), head);
    expect(existsSync(join(repo, 'top.txt'))).toBe(false);
  });
});
