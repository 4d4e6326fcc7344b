import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitRepo } from '../support/tmp.js';
import { guardAttempt, type GuardOptions } from '../../src/core/verdict/guard-git.js';
import { describeViolation, formatGuardFeedback } from '../../src/core/verdict/guard.js';
import { changedCheckSections, commandTargets } from '../../src/core/verdict/check-config.js';

/**
 * The checks' own configuration (qa-verdicts). Each attack below ran green here with the
 * real tool and the verdict accepted it before this rule: `"lint": "echo ok"` in
 * package.json and an eslint rule turned off (eslint 10.15), `strict: false` in tsconfig
 * (tsc 6.0), `addopts = -k …` in pytest.ini (pytest 9.0.3; it only failed because nothing was
 * left to run). The guard reads the change itself, so no runner output can hide it.
 */
const PKG = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: 'calc', version: '1.0.0', scripts, ...extra }, null, 2)}\n`;

const SCRIPTS = {
  test: 'node --test',
  lint: 'eslint .',
  build: 'tsc -p .',
  check: 'node scripts/check.mjs',
};

function repoWith(files: Record<string, string>): string {
  return gitRepo({ 'src/add.js': 'exports.add = (a, b) => a + b;\n', ...files });
}

function write(repo: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
}

function options(repo: string, over: Partial<GuardOptions> = {}): GuardOptions {
  return {
    workDir: repo,
    checkpoint: git(repo, 'rev-parse', 'HEAD'),
    commands: [
      { command: 'npm test', origin: 'the test command' },
      { command: 'npm run lint', origin: 'the lint command' },
      { command: 'make typecheck', origin: 'the typecheck command' },
    ],
    configGlobs: [],
    specGlobs: [],
    allowEdit: [],
    specFile: 'specs/01-sub.md',
    knownTestFiles: [],
    ...over,
  };
}

describe('package.json scripts and Makefile targets the checks run', () => {
  it('rejects "test": "echo ok" and "lint": "eslint . || true", naming before and after', async () => {
    const repo = repoWith({ 'package.json': PKG(SCRIPTS) });
    write(repo, { 'package.json': PKG({ ...SCRIPTS, test: 'echo ok', lint: 'eslint . || true' }) });
    const v = await guardAttempt(options(repo));
    expect(v.map(describeViolation)).toEqual([
      'check configuration changed: package.json scripts.lint: `eslint .` → `eslint . || true`; it decides how a check runs or what it reports, so restore it (if the task needs it changed, say so in your summary; a spec opens the file with allow_edit:)',
      'check configuration changed: package.json scripts.test: `node --test` → `echo ok`; it decides how a check runs or what it reports, so restore it (if the task needs it changed, say so in your summary; a spec opens the file with allow_edit:)',
    ]);
  });

  it('accepts package.json edits outside the checks: a dependency, another script', async () => {
    const repo = repoWith({ 'package.json': PKG(SCRIPTS) });
    write(repo, {
      'package.json': PKG(
        { ...SCRIPTS, start: 'node src/add.js' },
        { dependencies: { 'left-pad': '1.3.0' } },
      ),
    });
    expect(await guardAttempt(options(repo))).toEqual([]);
  });

  it('follows a script into the scripts it runs, and a pre-script added to the test', async () => {
    const repo = repoWith({
      'package.json': PKG({ ...SCRIPTS, test: 'npm run unit', unit: 'node --test' }),
    });
    write(repo, {
      'package.json': PKG({
        ...SCRIPTS,
        test: 'npm run unit',
        unit: 'node --test test/none',
        pretest: 'exit 0',
      }),
    });
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => (x.kind === 'check_config' ? x.section : x.kind))).toEqual([
      'scripts.pretest',
      'scripts.unit',
    ]);
  });

  it('rejects a Makefile target the typecheck runs, not the others', async () => {
    const MAKE = 'build:\n\tcc -o calc calc.c\n\ntypecheck:\n\tmypy --strict src\n';
    const repo = repoWith({ Makefile: MAKE });
    write(repo, { Makefile: MAKE.replace('build:\n\tcc', 'build:\n\tclang') });
    expect(await guardAttempt(options(repo))).toEqual([]);
    write(repo, { Makefile: MAKE.replace('mypy --strict src', 'true') });
    const v = await guardAttempt(options(repo));
    expect(v).toMatchObject([
      { kind: 'check_config', file: 'Makefile', section: 'target typecheck' },
    ]);
  });

  it('rejects an .npmrc that swaps the shell npm runs scripts with', async () => {
    // npm 11.19: with `script-shell=/bin/true`, `npm run lint` exits 0 whatever the script.
    const repo = repoWith({ 'package.json': PKG(SCRIPTS) });
    write(repo, { '.npmrc': 'script-shell=/bin/true\n' });
    expect((await guardAttempt(options(repo))).map(describeViolation)).toEqual([
      'protected path changed: .npmrc (configures how the checks run: test runner, linter, type checker or package manager; protected by **/.npmrc)',
    ]);
  });

  it('accepts a script or make target the checks run that the task creates', async () => {
    const repo = repoWith({ 'package.json': PKG(SCRIPTS), Makefile: 'build:\n\tcc calc.c\n' });
    write(repo, {
      'package.json': PKG({ ...SCRIPTS, e2e: 'node --test e2e/' }),
      Makefile: 'build:\n\tcc calc.c\n\ntypecheck:\n\tmypy src\n',
    });
    const checks = [{ command: 'npm run e2e', origin: 'the spec check' }];
    const opts = options(repo);
    expect(await guardAttempt({ ...opts, commands: [...opts.commands, ...checks] })).toEqual([]);
  });

  it('follows a make target into its prerequisites and the targets its recipe makes', async () => {
    const MAKE = [
      'typecheck: types',
      '\t@echo typed',
      '',
      'types:',
      '\t$(MAKE) mypy',
      '',
      'mypy:',
      '\tmypy --strict src',
      '',
      'docs:',
      '\tmkdocs build',
      '',
    ].join('\n');
    const repo = repoWith({ Makefile: MAKE });
    write(repo, { Makefile: MAKE.replace('mkdocs build', 'mkdocs build --strict') });
    expect(await guardAttempt(options(repo))).toEqual([]);
    write(repo, { Makefile: MAKE.replace('mypy --strict src', 'true') });
    expect(
      (await guardAttempt(options(repo))).map((x) => x.kind === 'check_config' && x.section),
    ).toEqual(['target mypy']);
  });

  it('lets a spec open the file with allow_edit:', async () => {
    const repo = repoWith({ 'package.json': PKG(SCRIPTS) });
    write(repo, { 'package.json': PKG({ ...SCRIPTS, test: 'vitest run' }) });
    expect(await guardAttempt(options(repo, { allowEdit: ['package.json'] }))).toEqual([]);
  });
});

describe('runner, linter and type-checker configuration', () => {
  it('rejects an eslint rule turned off, tsconfig loosened and a pytest.ini that deselects', async () => {
    const repo = repoWith({
      'eslint.config.js': 'export default [{ rules: { "no-unused-vars": "error" } }];\n',
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
      'pytest.ini': '[pytest]\ntestpaths = tests\n',
    });
    write(repo, {
      'eslint.config.js': 'export default [{ rules: { "no-unused-vars": "off" } }];\n',
      'tsconfig.json': '{ "compilerOptions": { "strict": false } }\n',
      'pytest.ini': '[pytest]\ntestpaths = tests\naddopts = -k "not slow_and_broken"\n',
      'src/vitest.config.ts': 'export default { test: { exclude: ["**/*.test.ts"] } };\n',
      '.c8rc.json': '{ "lines": 0 }\n',
    });
    const v = await guardAttempt(options(repo));
    expect(v.map(describeViolation)).toEqual([
      'protected path changed: .c8rc.json (configures how the checks run: test runner, linter, type checker or package manager; protected by **/.c8rc.json)',
      'protected path changed: eslint.config.js (configures how the checks run: test runner, linter, type checker or package manager; protected by **/eslint.config.{js,mjs,cjs,ts,mts,cts})',
      'protected path changed: pytest.ini (configures how the checks run: test runner, linter, type checker or package manager; protected by **/pytest.ini)',
      'protected path changed: src/vitest.config.ts (configures how the checks run: test runner, linter, type checker or package manager; protected by **/vitest.config.*)',
      'protected path changed: tsconfig.json (configures how the checks run: test runner, linter, type checker or package manager; protected by **/tsconfig.json)',
    ]);
    expect(formatGuardFeedback(v)).toContain('do not silence lint or type errors');
  });

  it("accepts a new package's own config, not a new config beside existing code", async () => {
    const repo = repoWith({ 'src/sub.js': 'exports.sub = (a, b) => a - b;\n' });
    write(repo, {
      'packages/mul/tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
      'packages/mul/src/mul.ts': 'export const mul = (a: number, b: number) => a * b;\n',
    });
    expect(await guardAttempt(options(repo))).toEqual([]);
    // ESLint 10 looks a config up from each file's directory: this one turns src/ off.
    write(repo, { 'src/eslint.config.js': 'export default [{ ignores: ["**"] }];\n' });
    expect(
      (await guardAttempt(options(repo))).map((x) => x.kind === 'protected' && x.file),
    ).toEqual(['src/eslint.config.js']);
  });

  it('rejects the pytest, ruff and mypy tables of pyproject.toml, not the rest of it', async () => {
    const PYPROJECT = [
      '[project]',
      'name = "calc"',
      'dependencies = []',
      '',
      '[tool.pytest.ini_options]',
      'testpaths = ["tests"]',
      '',
      '[tool.ruff.lint]',
      'select = ["E", "F"]',
      '',
    ].join('\n');
    const repo = repoWith({ 'pyproject.toml': PYPROJECT });
    write(repo, {
      'pyproject.toml': PYPROJECT.replace('dependencies = []', 'dependencies = ["attrs"]'),
    });
    expect(await guardAttempt(options(repo))).toEqual([]);
    write(repo, {
      'pyproject.toml': PYPROJECT.replace(
        'select = ["E", "F"]',
        'select = ["E", "F"]\nignore = ["F401"]',
      )
        .concat('\n[tool.mypy]\nignore_errors = true\n')
        .replace(
          'testpaths = ["tests"]',
          'testpaths = ["tests"]\naddopts = "--ignore=tests/test_add.py"',
        ),
    });
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => (x.kind === 'check_config' ? `${x.file} ${x.section}` : x.kind))).toEqual([
      'pyproject.toml tool.mypy',
      'pyproject.toml tool.pytest.ini_options',
      'pyproject.toml tool.ruff.lint',
    ]);
  });
});

describe('check-config rules (pure)', () => {
  it('knows the scripts and make targets a command runs', () => {
    expect(commandTargets('npm test')).toEqual({ scripts: ['test'], makeTargets: [] });
    expect(commandTargets('npm run -s lint && yarn typecheck; pnpm run e2e')).toEqual({
      scripts: ['lint', 'typecheck', 'e2e'],
      makeTargets: [],
    });
    expect(commandTargets('bun test')).toEqual({ scripts: [], makeTargets: [] });
    expect(commandTargets('make -j2 test lint V=1')).toEqual({
      scripts: [],
      makeTargets: ['test', 'lint'],
    });
    expect(commandTargets('make')).toEqual({ scripts: [], makeTargets: ['(default)'] });
  });

  it('reads setup.cfg, tox.ini and Cargo.toml tables; a broken package.json is left to the verdict', () => {
    expect(
      changedCheckSections(
        'setup.cfg',
        '[flake8]\nmax-line-length = 88\n',
        '[flake8]\nmax-line-length = 200\n',
        [],
      ),
    ).toHaveLength(1);
    expect(
      changedCheckSections(
        'tox.ini',
        '[testenv]\ncommands = pytest\n',
        '[testenv]\ncommands = python -c "pass"\n',
        [],
      ),
    ).toHaveLength(1);
    expect(
      changedCheckSections(
        'Cargo.toml',
        '[package]\nname = "c"\n',
        '[package]\nname = "c"\n[lints.rust]\nunused = "allow"\n',
        [],
      ),
    ).toMatchObject([{ section: 'lints.rust', before: undefined }]);
    expect(
      changedCheckSections('package.json', PKG(SCRIPTS), '{ "scripts": ', ['npm test']),
    ).toEqual([]);
    // Comments and blank lines are not configuration.
    expect(
      changedCheckSections(
        'tox.ini',
        '[pytest]\naddopts = -q\n',
        '[pytest]\n# quieter\naddopts = -q\n\n',
        [],
      ),
    ).toEqual([]);
  });
});
