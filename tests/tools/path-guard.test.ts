import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardPath } from '../../src/core/tools/path-guard.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';
import { edit, toolsFor } from './helpers.js';

describe('path guard', () => {
  it('resolves relative and absolute paths inside the root, existing or not', () => {
    const root = tempDir();
    writeTree(root, { 'src/a.ts': '' });
    const scope = { root, protectedPaths: [join(root, '.mmm')] };
    expect(guardPath('src/a.ts', scope)).toEqual({
      ok: true,
      path: join(root, 'src/a.ts'),
      rel: 'src/a.ts',
      exists: true,
    });
    expect(guardPath(join(root, 'src/new/b.ts'), scope)).toMatchObject({
      ok: true,
      rel: 'src/new/b.ts',
      exists: false,
    });
    expect(guardPath('src/../src/a.ts', scope)).toMatchObject({ ok: true, rel: 'src/a.ts' });
    expect(guardPath('.', scope)).toMatchObject({ ok: true, rel: '.' });
  });

  it('refuses paths outside the root, in .git, in protected paths, and empty ones', () => {
    const root = gitRepo({ 'a.txt': 'a' });
    const scope = { root, protectedPaths: [join(root, '.mmm')] };
    const refused = (p: string): string => {
      const r = guardPath(p, scope);
      if (r.ok) throw new Error(`${p} was allowed`);
      return r.message;
    };
    expect(refused('../../etc/passwd')).toMatch(/outside the project root .*use a path inside it/);
    expect(refused('/etc/hosts')).toMatch(/outside the project root/);
    expect(refused('.git/config')).toMatch(/inside \.git/);
    expect(refused('sub/../.git/hooks/pre-commit')).toMatch(/inside \.git/);
    expect(refused('.mmm/runs/x/state.json')).toMatch(/inside \.mmm\/, mmm's own directory/);
    expect(refused('.mmm')).toMatch(/run data/);
    expect(refused('  ')).toMatch(/empty/);
  });

  it('refuses .mmm/ in every mode, without any protected path, by any spelling', () => {
    const repo = gitRepo({ 'a.txt': 'a', '.mmm/config.toml': 'model = "x"\n', 'sub/x.txt': '' });
    // In place: the root is the checkout; no protected path is given.
    const inPlace = { root: repo, protectedPaths: [] };
    for (const p of [
      '.mmm/config.toml',
      './.mmm/config.toml',
      'sub/../.mmm/config.toml',
      join(repo, '.mmm', 'config.toml'),
      '.mmm/new-file',
      '.mmm',
    ]) {
      const r = guardPath(p, inPlace);
      expect(r.ok, p).toBe(false);
      expect(!r.ok && r.message, p).toMatch(/off limits to the agent/);
    }
    // A link to .mmm is refused by its real path.
    symlinkSync(join(repo, '.mmm'), join(repo, 'cfg'));
    expect(guardPath('cfg/config.toml', inPlace).ok).toBe(false);
    // Only the top-level .mmm is mmm's.
    expect(guardPath('sub/.mmm/notes.txt', inPlace).ok).toBe(true);
    // In a worktree under the checkout's .mmm/worktrees: the worktree's own .mmm is
    // refused, and so is the checkout's (outside the root).
    const wt = join(repo, '.mmm', 'worktrees', 'run1');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'config');
    git(repo, 'worktree', 'add', '-q', wt);
    const scope = { root: wt, protectedPaths: [] };
    expect(guardPath('a.txt', scope).ok).toBe(true);
    expect(guardPath('.mmm/config.toml', scope).ok).toBe(false);
    expect(guardPath(join(repo, '.mmm', 'config.toml'), scope).ok).toBe(false);
    expect(guardPath('../../config.toml', scope).ok).toBe(false);
  });

  it("refuses a worktree's .git file", () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const wt = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', wt);
    const r = guardPath('.git', { root: wt, protectedPaths: [] });
    expect(r.ok).toBe(false);
    expect(guardPath('a.txt', { root: wt, protectedPaths: [] }).ok).toBe(true);
  });

  it('refuses symlinks that leave the tree, allows ones that stay inside', () => {
    const root = tempDir();
    writeTree(root, { 'real/a.txt': 'a' });
    symlinkSync('/', join(root, 'rootlink'));
    symlinkSync(join(root, 'real'), join(root, 'inside'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    const scope = { root, protectedPaths: [] };
    const r = guardPath('rootlink/etc/passwd', scope);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/symbolic link to \/etc\/passwd, outside the project root/);
    expect(guardPath('rootlink/tmp/new-file', scope).ok).toBe(false);
    expect(guardPath('inside/a.txt', scope)).toMatchObject({ ok: true, rel: 'real/a.txt' });
    expect(guardPath('dangling', scope)).toMatchObject({ ok: false });
  });
});

describe('edit tool behind the guard', () => {
  it('returns actionable errors and touches nothing outside', async () => {
    const root = gitRepo({ 'a.txt': 'a' });
    mkdirSync(join(root, '.mmm'));
    symlinkSync('/', join(root, 'slash'));
    const set = toolsFor(root);
    const outside = join(tempDir(), 'victim.txt');
    writeFileSync(outside, 'keep');
    const attempts: [unknown, RegExp][] = [
      [{ command: 'view', path: '../../etc/passwd' }, /outside the project root/],
      [{ command: 'view', path: '/etc/hosts' }, /outside the project root/],
      [{ command: 'view', path: '.git/config' }, /inside \.git/],
      [{ command: 'create', path: '.git/hooks/pre-commit', file_text: 'x' }, /inside \.git/],
      [{ command: 'view', path: 'slash' }, /symbolic link to \/, outside/],
      [{ command: 'create', path: 'slash/tmp/mmm-escape.txt', file_text: 'x' }, /outside/],
      [{ command: 'create', path: '.mmm/state.json', file_text: '{}' }, /run data/],
      [{ command: 'create', path: '.mmm/config.toml', file_text: 'x' }, /off limits/],
      [
        { command: 'str_replace', path: '.mmm/config.toml', old_str: 'a', new_str: 'b' },
        /off limits/,
      ],
      [{ command: 'create', path: outside, file_text: 'gone' }, /outside the project root/],
    ];
    for (const [input, message] of attempts) {
      const out = await edit(set, input);
      expect(out.isError, JSON.stringify(input)).toBe(true);
      expect(out.content, JSON.stringify(input)).toMatch(message);
    }
    expect(existsSync('/tmp/mmm-escape.txt')).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    expect(existsSync(join(root, '.mmm/state.json'))).toBe(false);
    expect(existsSync(join(root, '.mmm/config.toml'))).toBe(false);
    expect(existsSync(join(root, '.git/hooks/pre-commit'))).toBe(false);
  });
});
