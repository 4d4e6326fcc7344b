import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/core/config/schema.js';
import { parseSpec } from '../src/core/specs/parse.js';
import { runMmm } from './support/cli.js';
import { git, gitRepo, tempDir } from './support/tmp.js';

/** `mmm init` and `mmm projects` through the built binary. */
function env() {
  const home = tempDir('mmm-home-');
  return { XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') };
}

const NODE_PROJECT = {
  'package.json': JSON.stringify({
    scripts: { test: 'vitest run', build: 'tsc' },
    devDependencies: { eslint: '9' },
  }),
  'package-lock.json': '{}',
  '.gitignore': 'node_modules/\n',
};

describe('mmm init', () => {
  it('scaffolds config, example spec and .gitignore, and registers the project', async () => {
    const root = gitRepo(NODE_PROJECT);
    const e = env();
    const r = await runMmm(['init'], { cwd: root, env: e });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/created +\.mmm\/config\.toml/);
    expect(r.stdout).toMatch(/created +specs\/01-contributing-guide\.md/);
    expect(r.stdout).toMatch(/updated +\.gitignore/);

    const configText = readFileSync(join(root, '.mmm/config.toml'), 'utf8');
    expect(configText).toContain('test = "npm test"   # from package.json scripts.test');
    expect(configText).toContain('build = "npm run build"');
    expect(configText).toContain('# typecheck = ""   # not detected');
    // The file is valid TOML and valid config, commented examples included.
    const parsed = configSchema.parse(parseToml(configText));
    expect(parsed.commands).toEqual({
      test: 'npm test',
      build: 'npm run build',
      lint: 'npx eslint .',
    });
    const uncommented = configText.replace(/^# ([a-z_]+ = )/gm, '$1');
    expect(() =>
      configSchema.parse(parseToml(uncommented.replace(/^(typecheck|format) = ""/gm, '$1 = "x"'))),
    ).not.toThrow();

    const spec = readFileSync(join(root, 'specs/01-contributing-guide.md'));
    const { spec: model, problems } = parseSpec('specs/01-contributing-guide.md', spec);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(model).toMatchObject({ id: 'contributing-guide', status: 'ready', dependsOn: [] });
    expect(model?.criteria.length).toBeGreaterThan(2);

    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe(
      'node_modules/\n\n# mmm run data (keep the project config)\n.mmm/*\n!.mmm/config.toml\n',
    );
    // Run data is ignored, the config is not.
    expect(git(root, 'status', '--porcelain', '--untracked-files=all')).toContain(
      '.mmm/config.toml',
    );
    expect(git(root, 'status', '--porcelain', '--untracked-files=all')).not.toContain('.mmm/cache');

    const projects = await runMmm(['projects', '--json'], { env: e });
    expect(JSON.parse(projects.stdout)).toEqual([
      expect.objectContaining({ path: root, name: root.split('/').pop(), missing: false }),
    ]);
  });

  it('is idempotent and never overwrites without --force', async () => {
    const root = gitRepo(NODE_PROJECT);
    const e = env();
    await runMmm(['init'], { cwd: root, env: e });
    writeFileSync(join(root, '.mmm/config.toml'), 'model = "mine"\n');
    const before = readFileSync(join(root, '.gitignore'), 'utf8');
    const again = await runMmm(['init'], { cwd: root, env: e });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(readFileSync(join(root, '.mmm/config.toml'), 'utf8')).toBe('model = "mine"\n');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe(before);

    const forced = await runMmm(['init', '--force'], { cwd: root, env: e });
    expect(forced.stdout).toMatch(/overwritten +\.mmm\/config\.toml/);
    expect(readFileSync(join(root, '.mmm/config.toml'), 'utf8')).toContain('[commands]');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe(before);
    expect(JSON.parse((await runMmm(['projects', '--json'], { env: e })).stdout)).toHaveLength(1);
  });

  it('guesses are written commented out; an existing specs/ dir is left alone', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({ scripts: { test: 'jest' } }),
      'specs/mine.md': '# mine\n',
    });
    const r = await runMmm(['init'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(root, '.mmm/config.toml'), 'utf8')).toContain(
      '# test = "npm test"   # guess from package.json scripts.test (no lockfile: npm assumed): check, then uncomment',
    );
    expect(existsSync(join(root, 'specs/01-contributing-guide.md'))).toBe(false);
    expect(r.stdout).toMatch(/kept +specs\//);
  });

  it('puts the example spec into the first spec_dir folder, where mmm specs will read it', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({ scripts: { test: 'jest' } }),
      '.mmm/config.toml': 'spec_dir = ["docs/specs", "specs"]\n',
    });
    const e = env();
    const r = await runMmm(['init'], { cwd: root, env: e });
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(root, 'docs/specs/01-contributing-guide.md'))).toBe(true);
    expect(existsSync(join(root, 'specs'))).toBe(false);
    const specs = await runMmm(['specs', '--json'], { cwd: root, env: e });
    expect(specs.stdout).toContain('docs/specs/01-contributing-guide.md');
    // MMM_SPEC_DIR counts as well.
    const other = gitRepo({ 'go.mod': 'module x\n' });
    const fromEnv = await runMmm(['init'], { cwd: other, env: { ...env(), MMM_SPEC_DIR: 'work' } });
    expect(fromEnv.exitCode).toBe(0);
    expect(existsSync(join(other, 'work/01-contributing-guide.md'))).toBe(true);
  });

  it('works from a subdirectory (scaffolds at the repository root) and outside git', async () => {
    const root = gitRepo({ 'go.mod': 'module x\n', 'cmd/app/main.go': 'package main\n' });
    const r = await runMmm(['init'], { cwd: join(root, 'cmd'), env: env() });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(root, '.mmm/config.toml'), 'utf8')).toContain(
      'test = "go test ./..."',
    );
    const plain = tempDir();
    const p = await runMmm(['init'], { cwd: plain, env: env() });
    expect(p.exitCode).toBe(0);
    expect(existsSync(join(plain, '.gitignore'))).toBe(true);
  });
});

describe('mmm projects', () => {
  it('lists projects in an aligned table and marks missing paths', async () => {
    const e = env();
    const a = gitRepo({ 'a.py': 'x = 1\n' });
    const b = join(tempDir(), 'b');
    mkdirSync(b);
    await runMmm(['init'], { cwd: a, env: e });
    await runMmm(['init'], { cwd: b, env: e });
    rmSync(b, { recursive: true });
    const r = await runMmm(['projects'], { env: e });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^NAME +PATH +LAST RUN/);
    expect(r.stdout).toMatch(new RegExp(`${b} \\(missing\\)`));
    expect(r.stdout).toContain('never run');
  });

  it('empty registry and corrupt registry: a message and a warning, exit 0', async () => {
    const e = env();
    const empty = await runMmm(['projects'], { env: e });
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toContain('No projects registered yet');
    mkdirSync(join(e.XDG_DATA_HOME, 'mmm'), { recursive: true });
    writeFileSync(join(e.XDG_DATA_HOME, 'mmm', 'projects.json'), 'garbage');
    const corrupt = await runMmm(['projects', '--json'], { env: e });
    expect(corrupt.exitCode).toBe(0);
    expect(corrupt.stdout.trim()).toBe('[]');
    expect(corrupt.stderr).toMatch(/warning: .*projects\.json is corrupt/);
  });
});

describe('mmm init --verify', () => {
  it('never writes a command that cannot run uncommented', async () => {
    const root = gitRepo({
      Makefile: 'build:\n\ttrue\nlint:\n\tno-such-linter-xyz .\n',
      '.gitignore': 'node_modules/\n',
    });
    const r = await runMmm(['init', '--verify'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    const config = readFileSync(join(root, '.mmm/config.toml'), 'utf8');
    expect(config).toContain(
      'build = "make build"   # from Makefile target build · verified: runs and passes',
    );
    expect(config).toMatch(
      /^# lint = "make lint" {3}# cannot run here: no-such-linter-xyz is missing/m,
    );
    expect(r.stdout).toMatch(/lint +make lint \(cannot run, commented out/);
    const plain = await runMmm(['init'], { cwd: gitRepo({ 'go.mod': 'module x\n' }), env: env() });
    expect(plain.stdout).toContain('mmm analyze --verify');
  });
});

describe('mmm init and an existing .mmm/ ignore rule', () => {
  it('leaves .gitignore alone and explains how to commit the config', async () => {
    const root = gitRepo({
      '.gitignore': '.mmm/\n',
      'main.go': 'package main\n',
      'go.mod': 'module x\n',
    });
    const r = await runMmm(['init'], { cwd: root, env: env() });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('.mmm/\n');
    expect(r.stdout).toContain('".mmm/" ignores all of .mmm/');
  });
});
