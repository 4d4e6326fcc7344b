import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { COMMIT_COUNT_CAP } from '../../src/core/analyze/git-facts.js';
import { makeHistoryRepo } from '../../bench/make-history-repo.mjs';
import { InputError } from '../../src/core/errors.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';

describe('analyzer bad input', () => {
  it('a missing path is an InputError (exit 2)', async () => {
    const missing = join(tempDir(), 'nope');
    const error = await analyzeProject(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toBe(`${missing} does not exist`);
  });

  it('a file instead of a directory is an InputError', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file.txt'), 'x');
    await expect(analyzeProject(join(dir, 'file.txt'))).rejects.toThrow(/is not a directory/);
  });

  it('broken package.json and Cargo.toml become warnings naming file and line', async () => {
    const root = gitRepo({
      'package.json': '{\n  "scripts": {\n    "test": "jest",\n  }\n}\n',
      'Cargo.toml': '[package]\nname = "x"\nversion = \n',
      'src/main.rs': 'fn main() {}\n',
    });
    const a = await analyzeProject(root, { cache: false });
    const json = a.warnings.find((w) => w.startsWith('package.json'));
    expect(json).toMatch(/^package\.json:4:\d+: invalid JSON/);
    expect(a.warnings.find((w) => w.startsWith('Cargo.toml'))).toMatch(
      /^Cargo\.toml:3:\d+: invalid TOML/,
    );
    // Still analyzed: cargo conventions do not need the manifest's content.
    expect(a.commands.test).toBe('cargo test');
    expect(a.languages.map((l) => l.name)).toContain('Rust');
  });

  it('binary and huge files are sized but not line-counted', async () => {
    const binary = Buffer.alloc(4096, 0x41);
    binary[100] = 0;
    const huge = 'line\n'.repeat(500_000); // 2.5 MB
    const root = gitRepo({
      'a.js': 'one\ntwo\n',
      'logo.png': binary as unknown as string,
      'big.js': huge,
    });
    const a = await analyzeProject(root, { cache: false });
    expect(a.languages).toEqual([{ name: 'JavaScript', files: 1, lines: 2, share: 1 }]);
    expect(a.files).toBe(3);
    expect(a.warnings).toContain('1 file(s) over 2 MB not line-counted');
  });

  it.skipIf(process.getuid?.() === 0)('unreadable files are skipped with a warning', async () => {
    const root = gitRepo({ 'ok.py': 'x = 1\n', 'secret.py': 'y = 2\n' });
    chmodSync(join(root, 'secret.py'), 0o000);
    try {
      const a = await analyzeProject(root, { cache: false });
      expect(a.warnings).toContain('skipped unreadable file secret.py: EACCES');
      expect(a.languages[0]).toMatchObject({ name: 'Python', files: 1, lines: 1 });
    } finally {
      chmodSync(join(root, 'secret.py'), 0o644);
    }
  });

  it('a repository without commits degrades git facts with a warning', async () => {
    const root = gitRepo(
      { 'main.go': 'package main\n', 'go.mod': 'module x\n' },
      { commit: false },
    );
    const a = await analyzeProject(root, { cache: false });
    expect(a.git).toEqual({ branch: 'main', head: null, dirtyFiles: 2, commits: 0, hotspots: [] });
    expect(a.warnings.some((w) => w.includes('no commits yet'))).toBe(true);
    expect(a.commands.test).toBe('go test ./...');
  });

  it('outside git: .gitignore rules (nested too) decide the files, git is null', async () => {
    const root = writeTree(tempDir(), {
      '.gitignore': 'build/\n*.log\n',
      'src/app.py': 'print(1)\n',
      'src/.gitignore': 'generated.py\n',
      'src/generated.py': 'x = 1\n'.repeat(100),
      'build/out.py': 'x\n',
      'debug.log': 'noise\n',
      'node_modules/dep/index.js': 'x\n',
      'requirements.txt': 'flask\n',
    });
    const a = await analyzeProject(root, { cache: false });
    expect(a.git).toBeNull();
    expect(a.files).toBe(4); // .gitignore, src/.gitignore, src/app.py, requirements.txt
    expect(a.languages.find((l) => l.name === 'Python')).toEqual({
      name: 'Python',
      files: 1,
      lines: 1,
      share: 0.5,
    });
    expect(a.frameworks).toEqual(['flask']);
    expect(a.warnings).toContain(
      'not a git repository: files listed with .gitignore rules; no git facts',
    );
  });

  it('an empty directory analyzes to an empty result with a warning', async () => {
    const a = await analyzeProject(tempDir(), { cache: false });
    expect(a.files).toBe(0);
    expect(a.primaryLanguage).toBeNull();
    expect(a.commands).toEqual({
      build: null,
      test: null,
      lint: null,
      typecheck: null,
      format: null,
    });
    expect(a.warnings).toContain('no files found to analyze');
  });

  it('git facts: branch, dirty files, commits, hotspots', async () => {
    const root = gitRepo({ 'a.ts': '1\n', 'b.ts': '1\n' });
    for (let i = 2; i <= 4; i++) {
      writeFileSync(join(root, 'a.ts'), `${i}\n`);
      git(root, 'commit', '-qam', `change ${i}`);
    }
    writeFileSync(join(root, 'b.ts'), 'dirty\n');
    writeFileSync(join(root, 'new.ts'), 'new\n');
    const a = await analyzeProject(root, { cache: false });
    expect(a.git).toMatchObject({
      branch: 'main',
      dirtyFiles: 2,
      commits: 4,
      hotspots: [{ path: 'a.ts', changes: 4 }],
    });
  });

  it('a history longer than the cap is counted to the cap, exactly with a commit-graph', async () => {
    const root = join(tempDir(), 'long');
    await makeHistoryRepo(root, 20, COMMIT_COUNT_CAP + 50);
    const capped = await analyzeProject(root, { cache: false });
    expect(capped.git).toMatchObject({ commits: COMMIT_COUNT_CAP, commitsCapped: true });
    git(root, 'commit-graph', 'write', '--reachable');
    const exact = await analyzeProject(root, { cache: false });
    expect(exact.git?.commits).toBe(COMMIT_COUNT_CAP + 50);
    expect(exact.git?.commitsCapped).toBeUndefined();
  });
});
