import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/load.js';
import { checkSpecDir } from '../../src/core/config/spec-dir-rule.js';
import { InputError } from '../../src/core/errors.js';
import { markSpecDone } from '../../src/core/run/steps/spec-done.js';
import { assertValidSpecs, listSpecFiles, loadSpecs } from '../../src/core/specs/load.js';
import { SpecFileRefused } from '../../src/core/specs/spec-file-rewrite.js';
import { updateSpecFile } from '../../src/core/specs/write-back.js';
import { specFile } from '../improve/helpers.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';

/**
 * Spec files that are not regular files are refused at load and at write-back without
 * ever being opened for a blocking read or written through; spec_dir stays inside the
 * repository. Tests with FIFOs have hard timeouts: a regression hangs instead of failing.
 */

const SPEC = specFile({ id: 's1', title: 'One' });

describe('loading spec files that are not regular files', () => {
  it('reports a FIFO and a symbolic link as errors naming the file', async () => {
    const root = tempDir();
    writeTree(root, { 'specs/01-s1.md': SPEC, 'elsewhere/real.md': SPEC });
    execFileSync('mkfifo', [join(root, 'specs', '02-pipe.md')]);
    symlinkSync(join(root, 'elsewhere', 'real.md'), join(root, 'specs', '03-link.md'));
    // Listed (so a folder holding only a link is not taken for an empty one), never opened.
    expect(await listSpecFiles(root, 'specs')).toHaveLength(3);
    const loaded = await loadSpecs(root, 'specs');
    expect(loaded.specs.map((s) => s.id)).toEqual(['s1']);
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.file, p.message.split(';')[0]])).toEqual([
      ['specs/02-pipe.md', 'is a FIFO (named pipe), not a regular file'],
      ['specs/03-link.md', 'is a symbolic link, not a regular file'],
    ]);
    let thrown: unknown;
    try {
      assertValidSpecs(loaded);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).exitCode).toBe(2);
    expect((thrown as InputError).problems.join('\n')).toMatch(
      /specs\/02-pipe\.md:1:1: is a FIFO \(named pipe\), not a regular file; spec files must be regular files/,
    );
    // Still a FIFO: never opened, never replaced.
    expect(statSync(join(root, 'specs', '02-pipe.md')).isFIFO()).toBe(true);
  }, 15_000);

  it('refuses a spec file over the size limit', async () => {
    const root = tempDir();
    writeTree(root, { 'specs/01-s1.md': SPEC + 'x'.repeat(1_100_000) });
    const loaded = await loadSpecs(root, 'specs');
    expect(loaded.problems[0]?.message).toMatch(/is 1.1 MB; spec files are limited to 1 MB/);
  });
});

describe('write-back of a spec file', () => {
  it('refuses a FIFO and a symbolic link, touching neither nor the link target', async () => {
    const root = tempDir();
    writeTree(root, { 'specs/01-s1.md': SPEC, 'user/01-s1.md': SPEC });
    execFileSync('mkfifo', [join(root, 'specs', '02-pipe.md')]);
    symlinkSync(join(root, 'user', '01-s1.md'), join(root, 'specs', '03-link.md'));
    const update = { status: 'done' as const };
    await expect(updateSpecFile(join(root, 'specs', '02-pipe.md'), update)).rejects.toThrow(
      SpecFileRefused,
    );
    const link = updateSpecFile(join(root, 'specs', '03-link.md'), update, { root });
    await expect(link).rejects.toThrow(/is a symbolic link, not a regular file; not updated/);
    expect(readFileSync(join(root, 'user', '01-s1.md'), 'utf8')).toBe(SPEC);
    expect(lstatSync(join(root, 'specs', '03-link.md')).isSymbolicLink()).toBe(true);
    // A regular file is updated, keeping its mode.
    execFileSync('chmod', ['640', join(root, 'specs', '01-s1.md')]);
    await updateSpecFile(join(root, 'specs', '01-s1.md'), update, { root });
    expect(readFileSync(join(root, 'specs', '01-s1.md'), 'utf8')).toMatch(/status: done/);
    expect(statSync(join(root, 'specs', '01-s1.md')).mode & 0o777).toBe(0o640);
  }, 15_000);

  it('refuses a spec directory that resolves outside the work tree', async () => {
    const root = tempDir();
    const outside = tempDir();
    writeTree(outside, { '01-s1.md': SPEC });
    symlinkSync(outside, join(root, 'specs'));
    const refused = updateSpecFile(join(root, 'specs', '01-s1.md'), { status: 'done' }, { root });
    await expect(refused).rejects.toThrow(/outside the work tree/);
    expect(readFileSync(join(outside, '01-s1.md'), 'utf8')).toBe(SPEC);
  });
});

describe('markSpecDone after a passed attempt', () => {
  function repoWithSpec(): { repo: string; checkpoint: string } {
    const repo = gitRepo({ 'specs/01-s1.md': SPEC, 'a.txt': 'a\n' });
    return { repo, checkpoint: git(repo, 'rev-parse', 'HEAD').trim() };
  }

  it('restores a spec file the agent replaced with a FIFO, and marks it done', async () => {
    const { repo, checkpoint } = repoWithSpec();
    const path = join(repo, 'specs', '01-s1.md');
    execFileSync('rm', [path]);
    execFileSync('mkfifo', [path]);
    const warnings = await markSpecDone(repo, 'specs/01-s1.md', checkpoint);
    expect(warnings).toEqual([
      "specs/01-s1.md had been replaced by a FIFO (named pipe) during the attempt; mmm restored it from the attempt's checkpoint and marked it done",
    ]);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/status: done/);
    // git can commit the tree again.
    git(repo, 'add', '-A');
  }, 15_000);

  it("replaces a link into the user's checkout by the checkpoint's file; the target is unchanged", async () => {
    const { repo, checkpoint } = repoWithSpec();
    const user = gitRepo({ 'specs/01-s1.md': SPEC });
    const path = join(repo, 'specs', '01-s1.md');
    execFileSync('rm', [path]);
    symlinkSync(join(user, 'specs', '01-s1.md'), path);
    const warnings = await markSpecDone(repo, 'specs/01-s1.md', checkpoint);
    expect(warnings[0]).toMatch(/replaced by a symbolic link during the attempt; mmm restored it/);
    expect(readFileSync(join(user, 'specs', '01-s1.md'), 'utf8')).toBe(SPEC);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/status: done/);
  });

  it('leaves a spec directory linked outside alone, with a warning', async () => {
    const { repo, checkpoint } = repoWithSpec();
    const outside = tempDir();
    writeTree(outside, { '01-s1.md': SPEC });
    execFileSync('rm', ['-r', join(repo, 'specs')]);
    symlinkSync(outside, join(repo, 'specs'));
    const warnings = await markSpecDone(repo, 'specs/01-s1.md', checkpoint);
    expect(warnings[0]).toMatch(/could not mark specs\/01-s1\.md done: .*outside the work tree/);
    expect(readFileSync(join(outside, '01-s1.md'), 'utf8')).toBe(SPEC);
  });
});

describe('spec_dir inside the repository', () => {
  it('accepts relative and absolute paths inside, normalized', () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs', 'specs'), { recursive: true });
    expect(checkSpecDir(root, 'specs')).toEqual({ ok: true, rel: 'specs' });
    expect(checkSpecDir(root, './docs//specs/')).toEqual({ ok: true, rel: 'docs/specs' });
    expect(checkSpecDir(root, 'docs/../specs')).toEqual({ ok: true, rel: 'specs' });
    expect(checkSpecDir(root, join(root, 'docs', 'specs'))).toEqual({
      ok: true,
      rel: 'docs/specs',
    });
    expect(checkSpecDir(root, '.')).toEqual({ ok: true, rel: '.' });
    symlinkSync(join(root, 'docs', 'specs'), join(root, 'inside'));
    expect(checkSpecDir(root, 'inside')).toEqual({ ok: true, rel: 'inside' });
  });

  it('refuses escapes, absolute paths outside, links out, .git and .mmm', () => {
    const root = tempDir();
    symlinkSync(tempDir(), join(root, 'out'));
    const refused = (value: string): string => {
      const r = checkSpecDir(root, value);
      if (r.ok) throw new Error(`${value} accepted`);
      return r.message;
    };
    expect(refused('../../x')).toMatch(
      /spec_dir "..\/..\/x" leaves the repository .* \(it resolves to /,
    );
    expect(refused('specs/../../x')).toMatch(/leaves the repository/);
    expect(refused('/abs/path')).toMatch(/spec_dir "\/abs\/path" is outside the repository/);
    expect(refused('out')).toMatch(/goes through a symbolic link to .*, outside the repository/);
    expect(refused('out/specs')).toMatch(/symbolic link/);
    expect(refused('.git/specs')).toMatch(/inside \.git/);
    expect(refused('.mmm/specs')).toMatch(/inside \.mmm/);
  });

  it('is a configuration error naming the file (exit 2)', async () => {
    const root = gitRepo({ '.mmm/config.toml': 'spec_dir = "../outside"\n' });
    const home = tempDir();
    const env = { XDG_CONFIG_HOME: join(home, 'config') };
    let thrown: unknown;
    try {
      await loadConfig({ cwd: root, env });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).problems[0]).toMatch(
      /\.mmm\/config\.toml: spec_dir "..\/outside" leaves the repository/,
    );
    writeFileSync(join(root, '.mmm', 'config.toml'), `spec_dir = "${join(root, 'docs')}/"\n`);
    expect((await loadConfig({ cwd: root, env })).config.spec_dir).toBe('docs');
  });
});
