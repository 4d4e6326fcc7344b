import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';

const cacheFile = (root: string) => join(root, '.mmm', 'cache', 'analysis.json');

describe('analysis cache', () => {
  it('a second run is served from .mmm/cache and the cache stays out of git status', async () => {
    const root = gitRepo({
      'package.json': '{"scripts":{"test":"jest"}}',
      'package-lock.json': '{}',
    });
    const first = await analyzeProject(root);
    expect(first.cached).toBe(false);
    expect(existsSync(cacheFile(root))).toBe(true);
    const second = await analyzeProject(root);
    expect(second.cached).toBe(true);
    expect({ ...second, cached: false }).toEqual(first);
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(second.git?.dirtyFiles).toBe(0);
  });

  it('editing a file, adding one, or committing invalidates it', async () => {
    const root = gitRepo({ 'a.py': 'x = 1\n' });
    await analyzeProject(root);
    writeFileSync(join(root, 'a.py'), 'x = 1\ny = 2\n');
    const edited = await analyzeProject(root);
    expect(edited.cached).toBe(false);
    expect(edited.languages[0]?.lines).toBe(2);

    writeFileSync(join(root, 'b.py'), 'z = 3\n');
    const added = await analyzeProject(root);
    expect(added.cached).toBe(false);
    expect(added.files).toBe(2);

    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'more');
    const committed = await analyzeProject(root);
    expect(committed.cached).toBe(false);
    expect(committed.git?.commits).toBe(2);
    expect((await analyzeProject(root)).cached).toBe(true);
  });

  it('editing an already-modified file again, renames and paths with spaces invalidate it', async () => {
    const root = gitRepo({ 'a b.py': 'x = 1\n', 'c.py': 'y = 1\n' });
    writeFileSync(join(root, 'a b.py'), 'x = 2\n');
    expect((await analyzeProject(root)).cached).toBe(false);
    expect((await analyzeProject(root)).cached).toBe(true);
    writeFileSync(join(root, 'a b.py'), 'x = 3\nz = 4\n');
    const again = await analyzeProject(root);
    expect(again.cached).toBe(false);
    expect(again.languages[0]?.lines).toBe(3);
    git(root, 'mv', 'c.py', 'd e.py');
    expect((await analyzeProject(root)).cached).toBe(false);
    writeFileSync(join(root, 'd e.py'), 'y = 1\nw = 2\n');
    expect((await analyzeProject(root)).languages[0]?.lines).toBe(4);
  });

  it('same size, new mtime: still invalidated', async () => {
    const root = gitRepo({ 'a.rb': 'puts 1\n' });
    await analyzeProject(root);
    writeFileSync(join(root, 'a.rb'), 'puts 2\n');
    utimesSync(join(root, 'a.rb'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect((await analyzeProject(root)).cached).toBe(false);
  });

  it('--no-cache neither reads nor writes; a corrupt cache is ignored and replaced', async () => {
    const root = gitRepo({ 'main.go': 'package main\n' });
    await analyzeProject(root, { cache: false });
    expect(existsSync(cacheFile(root))).toBe(false);
    await analyzeProject(root);
    writeFileSync(cacheFile(root), '{not json');
    const a = await analyzeProject(root);
    expect(a.cached).toBe(false);
    expect(JSON.parse(readFileSync(cacheFile(root), 'utf8'))).toHaveProperty('key');
  });

  it('works outside git too', async () => {
    const root = writeTree(tempDir(), { 'x.sh': 'echo hi\n' });
    expect((await analyzeProject(root)).cached).toBe(false);
    expect((await analyzeProject(root)).cached).toBe(true);
    writeFileSync(join(root, 'y.sh'), 'echo again\n');
    expect((await analyzeProject(root)).cached).toBe(false);
  });
});
