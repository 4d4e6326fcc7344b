import { describe, expect, it } from 'vitest';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';
import { commitAll, commitsSince } from '../../src/core/git/commit.js';
import { execFileSync } from 'node:child_process';

describe('commitAll and commitsSince', () => {
  it('commits everything with trailers that read back exactly', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n', '.gitignore': 'out/\n' });
    const base = git(repo, 'rev-parse', 'HEAD');
    writeTree(repo, { 'a.txt': 'b\n', 'new.txt': 'n', 'out/build.js': 'ignored' });
    const sha = await commitAll(repo, 'feat: add the adder\n\n# not a comment: kept\nBody line.', {
      'Mmm-Run': '20261122-014500-a1b2',
      'Mmm-Spec': 'add-numbers',
      'Mmm-Attempt': '2',
    });
    writeTree(repo, { 'c.txt': 'c' });
    const sha2 = await commitAll(repo, 'second: subject with: colon', {
      'Mmm-Spec': 'value: with colon',
    });
    const commits = await commitsSince(repo, base);
    expect(commits).toEqual([
      {
        sha,
        subject: 'feat: add the adder',
        trailers: {
          'Mmm-Run': '20261122-014500-a1b2',
          'Mmm-Spec': 'add-numbers',
          'Mmm-Attempt': '2',
        },
      },
      {
        sha: sha2,
        subject: 'second: subject with: colon',
        trailers: { 'Mmm-Spec': 'value: with colon' },
      },
    ]);
    expect(git(repo, 'show', '--name-only', '--format=', sha).split('\n').sort()).toEqual([
      'a.txt',
      'new.txt',
    ]);
    expect(git(repo, 'log', '-1', '--format=%B', sha)).toContain('# not a comment: kept');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(await commitsSince(repo, sha2)).toEqual([]);
  });

  it('refuses to make an empty commit', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    await expect(commitAll(repo, 'nothing', {})).rejects.toThrow(/nothing to commit/);
  });

  it('commits without any configured identity, without hooks and without signing prompts', async () => {
    const home = tempDir();
    const repo = tempDir();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
    };
    for (const k of [
      'GIT_AUTHOR_NAME',
      'GIT_AUTHOR_EMAIL',
      'GIT_COMMITTER_NAME',
      'GIT_COMMITTER_EMAIL',
      'EMAIL',
    ]) {
      delete env[k];
    }
    const g = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
    g('init', '-q', '-b', 'main');
    g('config', 'user.useConfigOnly', 'true'); // no guessing from the host name
    g('config', 'commit.gpgsign', 'true');
    writeTree(repo, { 'a.txt': 'a', '.git/hooks/pre-commit': '#!/bin/sh\nexit 1\n' });
    execFileSync('chmod', ['+x', `${repo}/.git/hooks/pre-commit`]);
    const saved = { ...process.env };
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
    for (const k of [
      'GIT_AUTHOR_NAME',
      'GIT_AUTHOR_EMAIL',
      'GIT_COMMITTER_NAME',
      'GIT_COMMITTER_EMAIL',
      'EMAIL',
    ]) {
      delete process.env[k];
    }
    try {
      const sha = await commitAll(repo, 'first', { 'Mmm-Run': 'r' });
      expect(g('log', '-1', '--format=%an <%ae>|%cn <%ce>', sha)).toBe(
        'mmm <mmm@localhost>|mmm <mmm@localhost>',
      );
    } finally {
      process.env = saved;
    }
  });
});
