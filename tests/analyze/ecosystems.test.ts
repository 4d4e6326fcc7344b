import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { gitRepo } from '../support/tmp.js';

/** One real git repository per ecosystem; the detected commands are the contract. */
async function analyze(tree: Record<string, string>) {
  return analyzeProject(gitRepo(tree), { cache: false });
}

describe('analyzer ecosystems', () => {
  it('npm: scripts run with npm, tests counted, frameworks from deps', async () => {
    const a = await analyze({
      'package.json': JSON.stringify({
        scripts: {
          build: 'tsc',
          test: 'vitest run',
          lint: 'eslint .',
          typecheck: 'tsc --noEmit',
          format: 'prettier -w .',
        },
        dependencies: { react: '^19', express: '^5' },
        devDependencies: { vitest: '^4', typescript: '^5' },
      }),
      'package-lock.json': '{}',
      'src/index.ts': 'export const a = 1;\n// TODO: more\n',
      'src/index.test.ts': 'import { a } from "./index";\n',
    });
    expect(a.commands).toEqual({
      build: 'npm run build',
      test: 'npm test',
      lint: 'npm run lint',
      typecheck: 'npm run typecheck',
      format: 'npm run format',
    });
    expect(a.packageManagers).toEqual(['npm']);
    expect(a.frameworks).toEqual(['express', 'react', 'vitest']);
    expect(a.primaryLanguage).toBe('TypeScript');
    expect(a.tests).toEqual({ files: 1, ratio: 1 });
    expect(a.todos).toBe(1);
    expect(a.commandSources.test).toMatchObject({
      source: 'package.json scripts.test',
      sure: true,
    });
  });

  it('pnpm, yarn and bun: the lockfile picks the runner', async () => {
    const pkg = JSON.stringify({ scripts: { test: 'jest', lint: 'eslint .' } });
    const pnpm = await analyze({ 'package.json': pkg, 'pnpm-lock.yaml': 'lockfileVersion: 9\n' });
    expect([pnpm.commands.test, pnpm.commands.lint]).toEqual(['pnpm test', 'pnpm lint']);
    const yarn = await analyze({ 'package.json': pkg, 'yarn.lock': '# yarn\n' });
    expect([yarn.commands.test, yarn.commands.lint]).toEqual(['yarn test', 'yarn lint']);
    const bun = await analyze({ 'package.json': pkg, 'bun.lock': '{}\n' });
    expect([bun.commands.test, bun.commands.lint]).toEqual(['bun run test', 'bun run lint']);
    expect(bun.packageManagers).toEqual(['bun']);
  });

  it('node without lockfile: npm assumed, marked as a guess; npm default test ignored', async () => {
    const a = await analyze({
      'package.json': JSON.stringify({
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        devDependencies: { jest: '^29', typescript: '^5', prettier: '^3' },
      }),
      'tsconfig.json': '{}',
    });
    expect(a.commands.test).toBe('npx jest');
    expect(a.commands.typecheck).toBe('npx tsc --noEmit');
    expect(a.commands.format).toBe('npx prettier --write .');
    expect(a.commandSources.test?.sure).toBe(false);
  });

  it('python with uv: pytest, ruff, mypy through uv run', async () => {
    const a = await analyze({
      'pyproject.toml': [
        '[project]',
        'name = "app"',
        'dependencies = ["fastapi>=0.1", "Django[argon2]"]',
        '[tool.pytest.ini_options]',
        'testpaths = ["tests"]',
        '[tool.ruff]',
        'line-length = 100',
        '[tool.mypy]',
        'strict = true',
        '[build-system]',
        'requires = ["hatchling"]',
      ].join('\n'),
      'uv.lock': 'version = 1\n',
      'app/main.py': 'print(1)\n',
      'tests/test_main.py': 'def test_x():\n    pass\n',
    });
    expect(a.commands).toEqual({
      build: 'uv build',
      test: 'uv run pytest',
      lint: 'uv run ruff check .',
      typecheck: 'uv run mypy .',
      format: 'uv run ruff format .',
    });
    expect(a.packageManagers).toEqual(['uv']);
    expect(a.frameworks).toEqual(['django', 'fastapi']);
    expect(a.primaryLanguage).toBe('Python');
  });

  it('python with poetry and tox', async () => {
    const poetry = await analyze({
      'pyproject.toml':
        '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nflask = "*"\npytest = "*"\n[tool.black]\n',
      'poetry.lock': '',
    });
    expect(poetry.commands.test).toBe('poetry run pytest');
    expect(poetry.commands.format).toBe('poetry run black .');
    expect(poetry.frameworks).toContain('flask');
    const tox = await analyze({
      'setup.py': 'from setuptools import setup\n',
      'tox.ini': '[tox]\nenvlist = py312\n',
    });
    expect(tox.commands.test).toBe('tox');
    expect(tox.packageManagers).toEqual(['pip']);
  });

  it('rust: cargo commands; a workspace adds --workspace and lists members', async () => {
    const single = await analyze({
      'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n[dependencies]\naxum = "0.7"\n',
      'src/main.rs': 'fn main() {}\n',
    });
    expect(single.commands).toEqual({
      build: 'cargo build',
      test: 'cargo test',
      lint: 'cargo clippy',
      typecheck: 'cargo check',
      format: 'cargo fmt',
    });
    expect(single.frameworks).toEqual(['axum']);
    const ws = await analyze({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'crates/a/Cargo.toml': '[package]\nname = "a"\n[dependencies]\nactix-web = "4"\n',
      'crates/b/Cargo.toml': '[package]\nname = "b"\n',
    });
    expect(ws.commands.test).toBe('cargo test --workspace');
    expect(ws.workspaces).toEqual([{ tool: 'cargo', packages: ['crates/a', 'crates/b'] }]);
    expect(ws.frameworks).toEqual(['actix']);
  });

  it('go: go test ./..., golangci-lint when configured, go.work listed', async () => {
    const a = await analyze({
      'go.mod':
        'module example.com/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.0\n)\n',
      '.golangci.yml': 'linters: {}\n',
      'main.go': 'package main\n',
      'main_test.go': 'package main\n',
      'go.work': 'go 1.22\n\nuse (\n\t.\n\t./tools\n)\n',
    });
    expect(a.commands).toEqual({
      build: 'go build ./...',
      test: 'go test ./...',
      lint: 'golangci-lint run',
      typecheck: 'go vet ./...',
      format: 'go fmt ./...',
    });
    expect(a.frameworks).toEqual(['gin']);
    expect(a.workspaces).toEqual([{ tool: 'go', packages: ['.', 'tools'] }]);
    expect(a.tests.files).toBe(1);
  });

  it('jvm: gradle wrapper and maven wrapper', async () => {
    const gradle = await analyze({
      'build.gradle.kts': 'plugins { id("org.springframework.boot") version "3.2.0" }\n',
      gradlew: '#!/bin/sh\n',
      'src/main/java/App.java': 'class App {}\n',
    });
    expect([gradle.commands.build, gradle.commands.test]).toEqual([
      './gradlew build',
      './gradlew test',
    ]);
    expect(gradle.frameworks).toEqual(['spring']);
    const maven = await analyze({
      'pom.xml': '<project><artifactId>junit</artifactId></project>\n',
      mvnw: '#!/bin/sh\n',
    });
    expect([maven.commands.build, maven.commands.test]).toEqual(['./mvnw package', './mvnw test']);
    expect(maven.packageManagers).toEqual(['maven']);
  });

  it('ruby: bundler with rspec and rubocop; rake test otherwise', async () => {
    const rspec = await analyze({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'rspec-rails'\ngem 'rubocop'\n",
      'spec/models/user_spec.rb': 'describe User do; end\n',
    });
    expect(rspec.commands.test).toBe('bundle exec rspec');
    expect(rspec.commands.lint).toBe('bundle exec rubocop');
    expect(rspec.frameworks).toEqual(['rails', 'rspec']);
    const rake = await analyze({
      Gemfile: "gem 'sinatra'\n",
      Rakefile: "require 'rake/testtask'\nRake::TestTask.new(:test)\n",
    });
    expect(rake.commands.test).toBe('bundle exec rake test');
    expect(rake.frameworks).toEqual(['sinatra']);
  });

  it('php: composer scripts win over vendor/bin conventions', async () => {
    const a = await analyze({
      'composer.json': JSON.stringify({
        require: { 'laravel/framework': '^11' },
        'require-dev': { 'phpstan/phpstan': '^1' },
        scripts: { test: 'phpunit', lint: 'phpcs' },
      }),
      'phpunit.xml': '<phpunit/>\n',
    });
    expect(a.commands.test).toBe('composer test');
    expect(a.commands.lint).toBe('composer lint');
    expect(a.commands.typecheck).toBe('vendor/bin/phpstan analyse');
    expect(a.frameworks).toEqual(['laravel']);
  });

  it('elixir: mix with credo and phoenix', async () => {
    const a = await analyze({
      'mix.exs': 'defp deps do\n  [{:phoenix, "~> 1.7"}, {:credo, "~> 1.7"}]\nend\n',
      '.formatter.exs': '[]\n',
    });
    expect(a.commands).toMatchObject({
      build: 'mix compile',
      test: 'mix test',
      lint: 'mix credo',
      format: 'mix format',
    });
    expect(a.frameworks).toEqual(['phoenix']);
  });

  it('dotnet: one solution means plain dotnet build/test', async () => {
    const a = await analyze({
      'App.sln': '\n',
      'src/App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
      'tests/App.Tests/App.Tests.csproj':
        '<Project><ItemGroup><PackageReference Include="xunit" /></ItemGroup></Project>\n',
    });
    expect([a.commands.build, a.commands.test, a.commands.format]).toEqual([
      'dotnet build',
      'dotnet test',
      'dotnet format',
    ]);
    expect(a.frameworks).toEqual(['aspnetcore', 'xunit']);
  });

  it('make and just targets outrank manifest scripts', async () => {
    const a = await analyze({
      Makefile:
        'VERSION := 1\n.PHONY: test lint\nbuild:\n\tgo build\ntest: build\n\tgo test ./...\nlint:\n\tgolangci-lint run\n',
      'go.mod': 'module x\n',
    });
    expect([a.commands.build, a.commands.test, a.commands.lint]).toEqual([
      'make build',
      'make test',
      'make lint',
    ]);
    expect(a.commands.format).toBe('go fmt ./...');
    expect(a.commandSources.test?.source).toBe('Makefile target test');
    const just = await analyze({
      justfile:
        'set shell := ["bash", "-c"]\n\ntest *args:\n    cargo test {{args}}\n\nfmt:\n    cargo fmt\n',
      'Cargo.toml': '[package]\nname = "x"\n',
    });
    expect([just.commands.test, just.commands.format, just.commands.lint]).toEqual([
      'just test',
      'just fmt',
      'cargo clippy',
    ]);
  });

  it('cmake: configure and build, ctest when tests are declared', async () => {
    const a = await analyze({
      'CMakeLists.txt':
        'cmake_minimum_required(VERSION 3.20)\nproject(x)\nenable_testing()\nadd_test(NAME t COMMAND t)\n',
      'src/main.cpp': 'int main() { return 0; }\n',
    });
    expect(a.commands.build).toBe('cmake -S . -B build && cmake --build build');
    expect(a.commands.test).toBe('ctest --test-dir build --output-on-failure');
    expect(a.primaryLanguage).toBe('C++');
  });
});

describe('more ecosystems', () => {
  it('deno: tasks first, then the built-in tools', async () => {
    const a = await analyze({
      'deno.json': JSON.stringify({ tasks: { test: 'deno test -A' } }),
      'main.ts': 'console.log(1);\n',
    });
    expect(a.commands).toEqual({
      build: null,
      test: 'deno task test',
      lint: 'deno lint',
      typecheck: 'deno check .',
      format: 'deno fmt',
    });
    expect(a.packageManagers).toEqual(['deno']);
  });

  it('swift and flutter', async () => {
    const swift = await analyze({
      'Package.swift': '// swift-tools-version:5.9\n',
      'Sources/App/main.swift': 'print(1)\n',
    });
    expect([swift.commands.build, swift.commands.test]).toEqual(['swift build', 'swift test']);
    const flutter = await analyze({
      'pubspec.yaml': 'name: app\ndependencies:\n  flutter:\n    sdk: flutter\n',
    });
    expect([flutter.commands.test, flutter.commands.lint]).toEqual([
      'flutter test',
      'flutter analyze',
    ]);
    expect(flutter.frameworks).toEqual(['flutter']);
  });
});
