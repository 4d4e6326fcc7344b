import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { gitRepo } from '../support/tmp.js';

/**
 * Issue 14, classes 1, 2 and 5: real-shaped polyglot repositories (a Phoenix, Rails,
 * Django or Laravel app with a root package.json for its assets) and .NET solutions.
 */
async function analyze(tree: Record<string, string>) {
  return analyzeProject(gitRepo(tree), { cache: false });
}

const elixir = (n: number) =>
  `defmodule App.M${n} do\n  def f(x), do: x + ${n}\n  def g(x), do: x * ${n}\nend\n`;

const phoenix = {
  'mix.exs':
    'defmodule App.MixProject do\n  use Mix.Project\n  defp deps do\n    [\n      {:phoenix, "~> 1.7"},\n      {:ecto_sql, "~> 3.10"},\n    ]\n  end\nend\n',
  'mix.lock': '%{}\n',
  '.formatter.exs': '[inputs: ["*.exs", "{lib,test}/**/*.{ex,exs}"]]\n',
  'lib/app/a.ex': elixir(1).repeat(6),
  'lib/app/b.ex': elixir(2).repeat(6),
  'test/app/a_test.exs': 'defmodule App.ATest do\n  use ExUnit.Case\nend\n',
  'package.json': JSON.stringify({
    scripts: { test: 'jest', build: 'esbuild assets/js/app.js --bundle' },
    devDependencies: { jest: '^29', esbuild: '^0.20' },
  }),
  'package-lock.json': '{}',
  'assets/js/app.js': 'import "phoenix_html";\nexport const live = 1;\n',
};

describe('class 1: polyglot repositories choose the primary ecosystem', () => {
  it('Phoenix + root package.json without JS tests: mix test, npm test set aside', async () => {
    const a = await analyze(phoenix);
    expect(a.primaryLanguage).toBe('Elixir');
    expect(a.commands.test).toBe('mix test');
    expect(a.commands.format).toBe('mix format');
    expect(a.commandSources.test?.notes?.join(' ')).toMatch(/npm test .* set aside: Elixir/);
    expect(a.commandSources.test?.evidence).toEqual([{ file: 'mix.exs' }]);
    // The asset build is the project's own script: both builds run.
    expect(a.commands.build).toBe('mix compile && npm run build');
  });

  it('Phoenix with JS tests too: both suites chained', async () => {
    const a = await analyze({ ...phoenix, 'assets/js/app.test.js': 'test("x", () => {});\n' });
    expect(a.commands.test).toBe('mix test && npm test');
    expect(a.commandSources.test?.notes?.[0]).toMatch(/two suites: Elixir .* JavaScript/);
    expect(a.commandSources.test?.evidence.map((e) => e.file)).toEqual(['mix.exs', 'package.json']);
  });

  it('Rails + jest script: bin/rails test', async () => {
    const a = await analyze({
      Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\ngem "puma"\n',
      'Gemfile.lock': 'GEM\n',
      'bin/rails': '#!/usr/bin/env ruby\nrequire_relative "../config/boot"\n',
      'app/models/user.rb': 'class User < ApplicationRecord\n  validates :name\nend\n'.repeat(10),
      'test/models/user_test.rb': 'class UserTest < ActiveSupport::TestCase\nend\n',
      'package.json': JSON.stringify({
        scripts: { test: 'jest' },
        devDependencies: { jest: '29' },
      }),
      'yarn.lock': '# yarn\n',
    });
    expect(a.commands.test).toBe('bin/rails test');
  });

  it('Django (manage.py) + package.json: the Django test runner', async () => {
    const a = await analyze({
      'manage.py': '#!/usr/bin/env python\nimport os\nimport sys\n',
      'requirements.txt': 'Django==5.0\npsycopg[binary]\n',
      'shop/models.py':
        'from django.db import models\n\nclass Item(models.Model):\n    pass\n'.repeat(8),
      'shop/tests.py': 'from django.test import TestCase\n',
      'package.json': JSON.stringify({ scripts: { test: 'jest' } }),
      'package-lock.json': '{}',
    });
    expect(a.commands.test).toBe('python manage.py test');
    expect(a.tests.files).toBe(1);
  });

  it('Laravel + vite package.json: php artisan test, the asset build kept', async () => {
    const a = await analyze({
      'composer.json': JSON.stringify({
        require: { 'laravel/framework': '^11.0' },
        'require-dev': { 'phpunit/phpunit': '^11' },
      }),
      'composer.lock': '{}',
      artisan: '#!/usr/bin/env php\n<?php\n',
      'app/Models/User.php': '<?php\nclass User {\n  public $name;\n}\n'.repeat(10),
      'tests/Feature/ExampleTest.php': '<?php\nclass ExampleTest {}\n',
      'package.json': JSON.stringify({
        scripts: { build: 'vite build', test: 'vitest' },
        devDependencies: { vite: '5' },
      }),
      'package-lock.json': '{}',
    });
    expect(a.commands.test).toBe('php artisan test');
    expect(a.commands.build).toBe('npm run build');
  });
});

const csproj = (extra = '') =>
  `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n${extra}</Project>\n`;
const testCsproj = csproj(
  '  <ItemGroup>\n    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.9.0" />\n    <PackageReference Include="xunit" Version="2.7.0" />\n  </ItemGroup>\n',
);

describe('class 2 and 5: .NET solutions and test projects', () => {
  it('a root .slnx drives every command; a fuzz project never does; tests counted', async () => {
    const a = await analyze({
      'Parser.slnx': '<Solution>\n  <Project Path="src/Parser/Parser.csproj" />\n</Solution>\n',
      'fuzz/Parser.Fuzz/Parser.Fuzz.csproj': csproj(),
      'fuzz/Parser.Fuzz/Program.cs': 'class P { static void Main() {} }\n',
      'src/Parser/Parser.csproj': csproj(),
      'src/Parser/Lexer.cs': 'namespace Parser;\npublic class Lexer {\n}\n'.repeat(5),
      'src/Parser.UnitTests/Parser.UnitTests.csproj': testCsproj,
      'src/Parser.UnitTests/LexerFacts.cs': 'public class LexerFacts {}\n',
    });
    expect(a.commands).toMatchObject({
      build: 'dotnet build',
      test: 'dotnet test',
      lint: 'dotnet format --verify-no-changes',
      format: 'dotnet format',
    });
    expect(a.commandSources.build?.evidence).toEqual([{ file: 'Parser.slnx' }]);
    expect(a.tests.files).toBe(1);
    expect(a.frameworks).toContain('xunit');
  });

  it('the shallowest solution is named when it is not at the root', async () => {
    const a = await analyze({
      'src/App.sln': 'Microsoft Visual Studio Solution File\n',
      'src/App/App.csproj': csproj(),
      'src/App/Program.cs': 'class Program {}\n',
      'samples/Demo/Demo.sln': 'Microsoft Visual Studio Solution File\n',
    });
    expect(a.commands.build).toBe('dotnet build src/App.sln');
    expect(a.commands.test).toBe('dotnet test src/App.sln');
  });

  it('no solution: the main project builds, the *.Tests projects test', async () => {
    const a = await analyze({
      'Alpha.Fuzz/Alpha.Fuzz.csproj': csproj(),
      'Zeta/Zeta.csproj': csproj(),
      'Zeta/Core.cs': 'public class Core {}\n',
      'Zeta.Tests/Zeta.Tests.csproj': testCsproj,
      'Zeta.Tests/CoreTests.cs': 'public class CoreTests {}\n',
    });
    expect(a.commands.build).toBe('dotnet build Zeta/Zeta.csproj');
    expect(a.commands.test).toBe('dotnet test Zeta.Tests/Zeta.Tests.csproj');
    expect(a.commands.format).toBe('dotnet format Zeta/Zeta.csproj');
  });

  it('Deno *_test.ts and test.ts files are tests', async () => {
    const a = await analyze({
      'deno.json': JSON.stringify({ tasks: { test: 'deno test -A' } }),
      'src/parse.ts': 'export const parse = (s: string) => s;\n',
      'src/parse_test.ts': 'Deno.test("parse", () => {});\n',
      'src/test.ts': 'Deno.test("x", () => {});\n',
    });
    expect(a.tests.files).toBe(2);
    expect(a.commands.test).toBe('deno task test');
  });
});
