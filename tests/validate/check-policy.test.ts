import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecCheck } from '../../src/core/specs/model.js';
import { validateAttempt } from '../../src/core/validate/index.js';
import { tempDir } from '../support/tmp.js';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const run = (command: string): SpecCheck => ({ kind: 'run', run: command, expectExit: 0, line: 1 });

/** A repository with a real bare remote as origin; returns both paths. */
function repoWithRemote(): { repo: string; remote: string } {
  const remote = tempDir();
  git(remote, 'init', '-q', '--bare');
  const repo = tempDir();
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 't@example.com');
  git(repo, 'config', 'user.name', 'T');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  git(repo, 'remote', 'add', 'origin', remote);
  return { repo, remote };
}

describe('spec run checks pass the command policy', () => {
  it('refuses `git push` forms without running them; the remote stays empty', async () => {
    const { repo, remote } = repoWithRemote();
    const marker = join(repo, 'ran.txt');
    const { passed, results } = await validateAttempt({
      root: repo,
      commands: [],
      checks: [
        run('git push origin HEAD'),
        run(`touch ${marker} && time -p git push origin HEAD:refs/heads/x`),
        run("bash -c -- 'git push origin HEAD'"),
        run('true'),
      ],
      timeoutSec: 30,
    });
    expect(passed).toBe(false);
    expect(results.map((r) => [r.passed, r.exitCode])).toEqual([
      [false, 126],
      [false, 126],
      [false, 126],
      [true, 0],
    ]);
    expect(results[0]?.summary).toMatch(
      /^not run: refused by the command policy: `git push origin HEAD`: git push is not allowed/,
    );
    // Nothing of a refused line runs, not even its harmless first command.
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
    expect(git(remote, 'for-each-ref')).toBe('');
  });

  it('applies the configured patterns: tools.deny refuses, tools.allow permits', async () => {
    const { repo } = repoWithRemote();
    const { results } = await validateAttempt({
      root: repo,
      commands: [],
      checks: [run('npm publish --dry-run'), run('git stash')],
      timeoutSec: 30,
      policy: { allow: ['git stash'], deny: ['npm publish'] },
    });
    expect(results[0]?.summary).toMatch(/deny pattern "npm publish"/);
    expect(results[1]?.summary).not.toMatch(/refused/);
  });
});
