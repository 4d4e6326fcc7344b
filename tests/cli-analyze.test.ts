import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMmm } from './support/cli.js';
import { gitRepo, tempDir, writeTree } from './support/tmp.js';

/** `mmm analyze` through the built binary: output, JSON shape, exit codes. */
function env() {
  const home = tempDir('mmm-home-');
  return { XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') };
}

const STACK = /at .*\.js:\d+/;

describe('mmm analyze', () => {
  it('prints a compact report with the detected commands', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({
        scripts: { test: 'vitest run', lint: 'eslint .' },
        devDependencies: { vitest: '4' },
      }),
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'src/a.ts': 'export {};\n',
    });
    const r = await runMmm(['analyze'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`mmm analyze ${root}`);
    expect(r.stdout).toMatch(
      /^ {2}test +pnpm test +package\.json scripts\.test \(package\.json:1\) · conventional$/m,
    );
    expect(r.stdout).toMatch(/^ {2}lint +pnpm lint/m);
    expect(r.stdout).toMatch(/^ {2}build +— +not detected$/m);
    expect(r.stdout).toMatch(/^ {2}primary +TypeScript$/m);
    expect(r.stdout).toMatch(/^ {2}TypeScript +1 file +1 line +\d/m);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('--json prints the documented shape; a path argument works from anywhere', async () => {
    const root = gitRepo({
      'Cargo.toml': '[package]\nname = "x"\n',
      'src/main.rs': 'fn main() {}\n',
    });
    const r = await runMmm(['analyze', root, '--json'], { cwd: tempDir(), env: env() });
    expect(r.exitCode).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of [
      'version',
      'root',
      'languages',
      'primaryLanguage',
      'packageManagers',
      'frameworks',
      'commands',
      'ci',
      'tests',
      'todos',
      'largestFiles',
      'git',
      'workspaces',
      'warnings',
    ]) {
      expect(a).toHaveProperty(key);
    }
    expect(a.root).toBe(root);
    expect(a.commands).toEqual({
      build: 'cargo build',
      test: 'cargo test',
      lint: 'cargo clippy',
      typecheck: 'cargo check',
      format: 'cargo fmt',
    });
    expect(a.git).toMatchObject({ branch: 'main', commits: 1, dirtyFiles: 0 });
    // Each command names its confidence and the file (and line) it comes from.
    expect((a.commandSources as Record<string, unknown>).test).toEqual({
      command: 'cargo test',
      source: 'Cargo.toml',
      sure: true,
      confidence: 'conventional',
      evidence: [{ file: 'Cargo.toml' }],
    });
  });

  it('--verify runs each command in a temporary worktree and reports it', async () => {
    const root = gitRepo({
      Makefile: 'build:\n\ttrue\nlint:\n\tno-such-linter-xyz .\n',
    });
    const r = await runMmm(['analyze', '--verify', '--json', '--timeout', '60'], {
      cwd: root,
      env: env(),
    });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('verify build: make build');
    const a = JSON.parse(r.stdout) as {
      commandSources: Record<string, { confidence: string; verification?: { status: string } }>;
      verified?: { timeoutSec: number };
    };
    expect(a.commandSources.build).toMatchObject({
      confidence: 'verified',
      verification: { status: 'passes' },
    });
    expect(a.commandSources.lint).toMatchObject({
      confidence: 'guess',
      verification: { status: 'cannot-run' },
    });
    expect(a.verified?.timeoutSec).toBe(60);
    const human = await runMmm(['analyze', '--verify', '--timeout', 'soon'], {
      cwd: root,
      env: env(),
    });
    expect(human.exitCode).toBe(2);
    expect(human.stderr).toContain('--timeout soon is not a number of seconds');
  });

  it('caches between runs; --no-cache bypasses the cache', async () => {
    const root = gitRepo({ 'main.go': 'package main\n', 'go.mod': 'module x\n' });
    const e = env();
    const first = JSON.parse(
      (await runMmm(['analyze', '--json'], { cwd: root, env: e })).stdout,
    ) as { cached: boolean };
    const second = JSON.parse(
      (await runMmm(['analyze', '--json'], { cwd: root, env: e })).stdout,
    ) as { cached: boolean };
    const third = JSON.parse(
      (await runMmm(['analyze', '--json', '--no-cache'], { cwd: root, env: e })).stdout,
    ) as { cached: boolean };
    expect([first.cached, second.cached, third.cached]).toEqual([false, true, false]);
    expect((await runMmm(['analyze'], { cwd: root, env: e })).stdout).toContain('(cached)');
  });

  it('a missing path exits 2 with one clear line, no stack', async () => {
    const missing = join(tempDir(), 'missing');
    const r = await runMmm(['analyze', missing], { env: env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`mmm: ${missing} does not exist`);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe('');
  });

  it('a file path exits 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f.txt'), 'x');
    const r = await runMmm(['analyze', 'f.txt'], { cwd: dir, env: env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/f\.txt is not a directory/);
  });

  it('broken manifests, binary and huge files, no commits: exit 0 with warnings', async () => {
    const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    const root = gitRepo(
      {
        'package.json': '{ "scripts": { "test": "jest" ',
        'pyproject.toml': '[project\nname = "x"\n',
        'img.png': bin as unknown as string,
        'data.json': `[${'1,'.repeat(1_100_000)}1]`,
        'src/a.py': 'print(1)\n',
      },
      { commit: false },
    );
    const r = await runMmm(['analyze'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/warning: package\.json:1:\d+: invalid JSON/);
    expect(r.stdout).toMatch(/warning: pyproject\.toml:1:\d+: invalid TOML/);
    expect(r.stdout).toContain('warning: 1 file(s) over 2 MB not line-counted');
    expect(r.stdout).toContain('warning: the git repository has no commits yet');
    expect(r.stdout).toMatch(/^ {2}Python +1 file +1 line /m);
  });

  it('outside git: .gitignore rules and a warning', async () => {
    const root = writeTree(tempDir(), {
      '.gitignore': 'out/\n',
      'a.rb': 'puts 1\n',
      'out/b.rb': 'puts 2\n',
    });
    const r = await runMmm(['analyze', '--json'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    const a = JSON.parse(r.stdout) as { git: unknown; files: number; warnings: string[] };
    expect(a.git).toBeNull();
    expect(a.files).toBe(2);
    expect(a.warnings).toContain(
      'not a git repository: files listed with .gitignore rules; no git facts',
    );
  });
});
