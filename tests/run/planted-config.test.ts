/**
 * The snapshot of the repository's hooks and config taken at run start, and the removal
 * of what was planted after it: new hooks moved to the run directory, changed ones and
 * the config restored, the user's own hooks left as they were.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, tempDir } from '../support/tmp.js';
import { removePlanted, snapshotRepoConfig } from '../../src/core/run/lifecycle/planted-config.js';

function setup() {
  const repo = gitRepo({ 'a.txt': 'a\n' });
  const common = join(repo, '.git');
  const userHook = join(common, 'hooks', 'pre-push');
  writeFileSync(userHook, '#!/bin/sh\necho mine\n');
  chmodSync(userHook, 0o755);
  const run = tempDir('mmm-run-');
  return { repo, common, userHook, snapshot: join(run, 'snap'), planted: join(run, 'planted') };
}

describe('planted hooks and config', () => {
  it('nothing planted: nothing reported, nothing changed', async () => {
    const { common, snapshot, planted } = setup();
    await snapshotRepoConfig({ commonDir: common }, snapshot);
    expect(await removePlanted({ commonDir: common }, snapshot, planted)).toEqual([]);
    expect(existsSync(planted)).toBe(false);
  });

  it('removes new hooks and config keys, restores changed and deleted ones', async () => {
    const { repo, common, userHook, snapshot, planted } = setup();
    const sample = join(common, 'hooks', 'pre-commit.sample');
    const sampleText = readFileSync(sample, 'utf8');
    await snapshotRepoConfig({ commonDir: common }, snapshot);
    writeFileSync(join(common, 'hooks', 'post-commit'), '#!/bin/sh\ntouch /tmp/x\n');
    writeFileSync(userHook, '#!/bin/sh\nevil\n');
    unlinkSync(sample);
    git(repo, 'config', 'core.fsmonitor', 'evil');
    git(repo, 'config', 'filter.x.clean', 'evil');
    const messages = await removePlanted({ commonDir: common }, snapshot, planted);
    const text = messages.join('\n');
    expect(text).toMatch(/a git hook was planted at \.git\/hooks\/post-commit; removed it/);
    expect(text).toMatch(/the git hook \.git\/hooks\/pre-push was changed; restored it/);
    expect(text).toMatch(/the git hook \.git\/hooks\/pre-commit\.sample was deleted; restored it/);
    expect(text).toMatch(/added core\.fsmonitor="evil", added filter\.x\.clean="evil"/);
    expect(existsSync(join(common, 'hooks', 'post-commit'))).toBe(false);
    expect(readFileSync(join(planted, '1', 'hooks', 'post-commit'), 'utf8')).toMatch(/touch/);
    expect(readFileSync(userHook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect(statSync(userHook).mode & 0o111).not.toBe(0);
    expect(readFileSync(sample, 'utf8')).toBe(sampleText);
    expect(git(repo, 'config', '--list')).not.toMatch(/fsmonitor|filter\.x/);
    // A second pass finds nothing more.
    expect(await removePlanted({ commonDir: common }, snapshot, planted)).toEqual([]);
  });

  it("the run worktree's own config.worktree is removed when it appears", async () => {
    const { common, snapshot, planted } = setup();
    const runGitDir = join(common, 'worktrees', 'wt');
    git(join(common, '..'), 'worktree', 'add', '-q', join(tempDir(), 'wt'), '-b', 'r1');
    const dirs = { commonDir: common, runGitDir };
    await snapshotRepoConfig(dirs, snapshot);
    writeFileSync(join(runGitDir, 'config.worktree'), '[core]\n\tfsmonitor = evil\n');
    const messages = await removePlanted(dirs, snapshot, planted);
    expect(messages.join()).toMatch(/added core\.fsmonitor="evil"/);
    expect(existsSync(join(runGitDir, 'config.worktree'))).toBe(false);
  });
});
