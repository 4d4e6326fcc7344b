import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { git, gitRepo } from '../support/tmp.js';

/**
 * Issue 14, classes 3 and 4: Python tooling as real projects configure it, and targets
 * whose recipe checks when it should edit (or edits when it should check).
 */
async function analyze(tree: Record<string, string>) {
  return analyzeProject(gitRepo(tree), { cache: false });
}

const pkg = 'def f(x):\n    return x\n';

describe('class 3: Python', () => {
  it('ruff with fix = true, black only in a docs group, mypy files = [...]', async () => {
    const pyproject = [
      '[project]',
      'name = "acme"',
      'dependencies = ["httpx"]',
      '',
      '[dependency-groups]',
      'docs = ["black>=24", "mkdocs"]',
      'dev = ["ruff", "mypy", "pytest"]',
      '',
      '[tool.ruff]',
      'line-length = 100',
      'fix = true',
      '',
      '[tool.mypy]',
      'files = ["src/acme", "tests"]',
      'strict = true',
      '',
    ].join('\n');
    const a = await analyze({
      'pyproject.toml': pyproject,
      'uv.lock': 'version = 1\n',
      'src/acme/__init__.py': pkg,
      'tests/test_acme.py': 'def test_f():\n    pass\n',
    });
    expect(a.commands).toMatchObject({
      test: 'uv run pytest',
      lint: 'uv run ruff check --no-fix .',
      typecheck: 'uv run mypy',
      format: 'uv run ruff format .',
    });
    expect(a.commandSources.lint?.evidence).toEqual([
      { file: 'pyproject.toml', key: 'tool.ruff.fix', line: 11 },
    ]);
    expect(a.commandSources.typecheck?.evidence).toEqual([
      { file: 'pyproject.toml', key: 'tool.mypy.files', line: 14 },
    ]);
    expect(a.commandSources.format?.confidence).toBe('conventional');
  });

  it('mypy without files checks the package directory', async () => {
    const a = await analyze({
      'pyproject.toml': '[project]\nname = "acme-tools"\n[tool.mypy]\nstrict = true\n',
      'src/acme_tools/__init__.py': pkg,
      'docs/conf.py': 'x = 1\n',
    });
    expect(a.commands.typecheck).toBe('mypy src/acme_tools');
    expect(a.commandSources.typecheck?.evidence).toEqual([
      { file: 'pyproject.toml', key: 'tool.mypy', line: 3 },
    ]);
  });

  it('scripts the project ships are its commands; a check-only format script is not', async () => {
    const root = gitRepo({
      'pyproject.toml': '[project]\nname = "fast"\n[tool.ruff]\n[tool.pytest.ini_options]\n',
      'fast/__init__.py': pkg,
      'scripts/test.sh': '#!/usr/bin/env bash\nset -e\ncoverage run -m pytest tests "$@"\n',
      'scripts/lint.sh':
        '#!/usr/bin/env bash\nset -e\nmypy fast\nruff check fast tests\nruff format fast tests --check\n',
      'scripts/format.sh': '#!/bin/sh -e\nruff format fast tests --check\n',
    });
    chmodSync(join(root, 'scripts/test.sh'), 0o755);
    const a = await analyzeProject(root, { cache: false });
    expect(a.commands.test).toBe('./scripts/test.sh');
    expect(a.commands.lint).toBe('bash scripts/lint.sh');
    expect(a.commands.format).toBe('ruff format .');
    expect(a.commandSources.format?.notes?.join(' ')).toMatch(
      /scripts\/format\.sh not used for format: it only checks/,
    );
  });

  it('tox environments and nox sessions fill commands no tool config gives', async () => {
    const a = await analyze({
      'setup.py': 'from setuptools import setup\nsetup(name="x")\n',
      'tox.ini':
        '[tox]\nenvlist = py312\n\n[testenv]\ncommands = pytest\n\n[testenv:lint]\ncommands = flake8 src\n',
      'noxfile.py':
        'import nox\n\n@nox.session(python="3.12")\ndef typing(session):\n    session.run("mypy")\n',
      'src/x.py': pkg,
    });
    expect(a.commands.lint).toBe('tox -e lint');
    expect(a.commandSources.lint?.evidence).toEqual([{ file: 'tox.ini', line: 7 }]);
    expect(a.commands.typecheck).toBe('nox -s typing');
  });
});

describe('class 4: check-only or broken targets', () => {
  it('a Makefile fmt target that only runs gofmt -l is not the format command', async () => {
    const a = await analyze({
      'go.mod': 'module example.com/tool\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      Makefile:
        '.PHONY: test fmt lint\n\ntest:\n\tgo test -race ./...\n\nfmt:\n\t@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)\n\nlint:\n\tgolangci-lint run --fix\n',
    });
    expect(a.commands.test).toBe('make test');
    expect(a.commandSources.test?.evidence).toEqual([
      { file: 'Makefile', key: 'target test', line: 3 },
    ]);
    expect(a.commands.format).toBe('go fmt ./...');
    expect(a.commandSources.format?.notes?.join(' ')).toMatch(
      /Makefile target fmt not used for format: its recipe only checks/,
    );
    expect(a.commands.lint).toBe('go vet ./...');
  });

  it('cargo fmt that CONTRIBUTING says does not work becomes a guess with the line', async () => {
    const a = await analyze({
      'Cargo.toml': '[package]\nname = "gen"\nversion = "0.1.0"\n',
      'src/lib.rs': 'pub fn f() {}\n',
      'CONTRIBUTING.md':
        '# Contributing\n\nRun the tests with `cargo test`.\n\nNote: `cargo fmt` does not work on this repository (generated code); run rustfmt on the files you touched.\n',
    });
    expect(a.commands.format).toBe('cargo fmt');
    expect(a.commandSources.format).toMatchObject({ sure: false, confidence: 'guess' });
    expect(a.commandSources.format?.evidence).toContainEqual({ file: 'CONTRIBUTING.md', line: 5 });
    expect(a.commandSources.test?.confidence).toBe('conventional');
  });

  it('phpstan without a default config names the phpstan*.neon that exists', async () => {
    const a = await analyze({
      'composer.json': JSON.stringify({ 'require-dev': { 'phpstan/phpstan': '^1.10' } }),
      'phpstan.src.neon': 'parameters:\n  level: 8\n  paths: [src]\n',
      'phpstan-baseline.neon': 'parameters: {}\n',
      'src/A.php': '<?php\nclass A {}\n',
    });
    expect(a.commands.typecheck).toBe('vendor/bin/phpstan analyse -c phpstan.src.neon');
    const bare = await analyze({
      'composer.json': JSON.stringify({ 'require-dev': { 'phpstan/phpstan': '^1.10' } }),
      'src/A.php': '<?php\nclass A {}\n',
    });
    expect(bare.commands.typecheck).toBe('vendor/bin/phpstan analyse src');
    expect(bare.commandSources.typecheck?.confidence).toBe('guess');
  });

  it('a committed history never puts lockfiles among the hotspots', async () => {
    const root = gitRepo({ 'package.json': '{}', 'package-lock.json': '{}', 'a.js': '1\n' });
    for (let i = 0; i < 3; i++) {
      git(root, 'commit', '-q', '--allow-empty', '-m', `bump ${i}`);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(root, 'package-lock.json'), `{"v":${i}}`);
      writeFileSync(join(root, 'a.js'), `${i}\n`);
      git(root, 'commit', '-qam', `change ${i}`);
    }
    const a = await analyzeProject(root, { cache: false });
    expect(a.git?.hotspots.map((h) => h.path)).toEqual(['a.js']);
  });
});
