import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git, writeTree } from '../support/tmp.js';
import {
  branchMessages,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('mmm improve: installed dependencies', () => {
  it('validates in the worktree with the checkout’s ignored dependency dirs, and never commits them', async () => {
    // The project's tests run from a virtualenv that is installed (ignored), not committed.
    // (Node finds a parent directory's node_modules by itself; a .venv is found by path.)
    const repo = improveRepo(
      [{ id: 'greet', title: 'Write greeting', checks: ['file_exists: hello.txt'] }],
      {
        '.gitignore': '.venv/\nnode_modules/\n',
        '.mmm/config.toml':
          '[commands]\ntest = ".venv/bin/greet-check"\n[validate]\nrun = ["test"]\n',
      },
    );
    writeTree(repo, {
      '.venv/bin/greet-check': '#!/bin/sh\necho "1 passed, 0 failed"\n',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
    });
    chmodSync(join(repo, '.venv/bin/greet-check'), 0o755);
    fake = await startFakeAnthropic({
      script: fileWritingModel({ greet: { path: 'hello.txt', text: 'hello\n' } }),
    });

    const r = await improve(repo, [], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const { branch } = runEnd(r.stdout);
    expect(branchMessages(repo, branch)).toHaveLength(1);
    const files = git(repo, 'show', '--name-only', '--format=', branch).split('\n');
    expect(files.sort()).toEqual(['hello.txt', 'specs/01-greet.md']);
    const tree = git(repo, 'ls-tree', '-r', '--name-only', branch);
    expect(tree).not.toContain('node_modules');
    expect(tree).not.toContain('.venv');
    // The user's checkout is untouched.
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
