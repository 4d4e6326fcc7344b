import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateAttempt, type ProjectCommand } from '../../src/core/validate/index.js';
import { instrumentTestCommand, readReports } from '../../src/core/validate/reports/index.js';
import { nodeDefaultReporter } from '../../src/core/validate/reports/instrument.js';
import { tempDir, writeTree } from '../support/tmp.js';

const REPO = join(import.meta.dirname, '..', '..');

async function instrument(command: string, files: Record<string, string> = {}) {
  const root = writeTree(tempDir(), files);
  const dir = tempDir('mmm-report-');
  return { dir, ...(await instrumentTestCommand(command, root, dir, {})) };
}

const pkg = (test: string): Record<string, string> => ({
  'package.json': JSON.stringify({ name: 'p', scripts: { test } }),
});

describe('instrumentTestCommand: reporter flags only where they change nothing else', () => {
  it('adds a json reporter to a direct vitest or jest invocation', async () => {
    const v = await instrument('npx vitest run');
    expect(v.command).toBe(
      `npx vitest run --reporter=default --reporter=json --outputFile.json='${v.dir}/vitest.json'`,
    );
    expect(v.runner).toBe('vitest');
    const j = await instrument('yarn jest --ci');
    expect(j.command).toBe(`yarn jest --ci --json --outputFile='${j.dir}/jest.json'`);
  });

  it('leaves compound commands as written', async () => {
    for (const command of [
      'vitest run && eslint .',
      'go vet ./... && go test ./...',
      'jest | tee log',
    ]) {
      const r = await instrument(command);
      expect(r.command, command).toBe(command);
      expect(
        r.reportFiles.filter((f) => f.format !== 'junit-xml' && f.format !== 'rspec-json'),
      ).toEqual([]);
    }
  });

  it('passes flags through npm test only when the script is one runner invocation', async () => {
    const single = await instrument('npm test', pkg('vitest run'));
    expect(single.command).toBe(
      `npm test -- --reporter=default --reporter=json --outputFile.json='${single.dir}/vitest.json'`,
    );
    const env = await instrument('TZ=UTC npm test', pkg('vitest run'));
    expect(env.command).toMatch(/^TZ=UTC npm test -- --reporter=default --reporter=json /);
    const pnpm = await instrument('pnpm vitest run');
    expect(pnpm.command).toMatch(/^pnpm vitest run --reporter=default --reporter=json /);
    const compound = await instrument('npm test', pkg('vitest run && eslint .'));
    expect(compound.command).toBe('npm test');
    expect(compound.runner).toBeUndefined();
    const node = await instrument('npm run test', pkg('node --test'));
    expect(node.command).toMatch(
      /^npm run test -- --test-reporter=(?:tap|spec) --test-reporter-destination=stdout /,
    );
    // Appended flags would land after node's file arguments: not touched.
    expect((await instrument('npm test', pkg('node --test test/'))).command).toBe('npm test');
  });

  it('puts node --test reporter options before its file arguments', async () => {
    const r = await instrument('node --test test/');
    expect(r.command).toBe(
      `node --test-reporter=${nodeDefaultReporter()} --test-reporter-destination=stdout --test-reporter='${r.dir}/mmm-node-reporter.mjs' --test-reporter-destination='${r.dir}/node-test.jsonl' --test test/`,
    );
    expect(readdirSync(r.dir)).toContain('mmm-node-reporter.mjs');
  });

  it('turns a plain go test into go test -json with its stream in a file', async () => {
    const r = await instrument('go test -race ./...');
    expect(r.command).toBe(`go test -json -race ./... > '${r.dir}/go.jsonl'`);
    expect(r.stdoutReport).toEqual({ format: 'go-json', path: `${r.dir}/go.jsonl` });
  });

  it('asks pytest and rspec through their environment variables', async () => {
    const py = await instrument('uv run pytest -q');
    expect(py.command).toBe('uv run pytest -q');
    expect(py.env.PYTEST_ADDOPTS).toBe(`--junitxml='${py.dir}/pytest.xml' -o junit_family=xunit1`);
    const rb = await instrument('bundle exec rspec');
    expect(rb.env.SPEC_OPTS).toBe(`--format progress --format json --out '${rb.dir}/rspec.json'`);
    expect(rb.env.PYTEST_ADDOPTS).toBeUndefined();
    // A wrapper mmm does not know (make) may run either: both are asked.
    const make = await instrument('make test');
    expect(Object.keys(make.env).sort()).toEqual(['PYTEST_ADDOPTS', 'SPEC_OPTS', 'TESTOPTS']);
    expect(make.scanJunitDirs).toBe(true);
  });

  it('phpunit, dotnet, maven, minitest', async () => {
    const php = await instrument('vendor/bin/phpunit');
    expect(php.command).toBe(`vendor/bin/phpunit --log-junit '${php.dir}/phpunit.xml'`);
    const dn = await instrument('dotnet test Calc.sln');
    expect(dn.command).toBe(
      `dotnet test Calc.sln --logger trx --results-directory '${dn.dir}/trx'`,
    );
    const mvn = await instrument('./mvnw -B test');
    expect([mvn.command, mvn.runner, mvn.scanJunitDirs]).toEqual(['./mvnw -B test', 'maven', true]);
    expect((await instrument('bin/rails test')).command).toBe('bin/rails test -v');
    expect((await instrument('bundle exec rake test')).env.TESTOPTS).toBe('-v');
  });

  it("names node's own default reporter for the console: TAP before Node 23, spec since", () => {
    expect([nodeDefaultReporter('20.20.2'), nodeDefaultReporter('22.1.0')]).toEqual(['tap', 'tap']);
    expect(nodeDefaultReporter('23.0.0')).toBe('spec');
  });

  it('keeps a command that already chose its reporter', async () => {
    for (const command of ['jest --json', 'vitest run --reporter=json', 'go test -json ./...']) {
      expect((await instrument(command)).command).toBe(command);
    }
  });
});

describe('JUnit XML that Maven and Gradle leave on disk', () => {
  it('reads the files written during this run, in the root and in modules', async () => {
    const root = tempDir();
    const fixtures = join(import.meta.dirname, 'fixtures', 'maven');
    const fresh = join(root, 'target', 'surefire-reports');
    const module = join(root, 'core', 'build', 'test-results', 'test');
    const stale = join(root, 'old', 'target', 'surefire-reports');
    for (const dir of [fresh, module, stale]) mkdirSync(dir, { recursive: true });
    copyFileSync(join(fixtures, 'TEST-com.example.CalcTest$Inner.xml'), join(fresh, 'TEST-a.xml'));
    copyFileSync(join(fixtures, 'TEST-com.example.CalcTest$Inner.xml'), join(module, 'TEST-b.xml'));
    copyFileSync(join(fixtures, 'TEST-com.example.CalcTest$Inner.xml'), join(stale, 'TEST-c.xml'));
    // Left by a run an hour ago: it says nothing about this one.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(stale, 'TEST-c.xml'), hourAgo, hourAgo);
    const instrumented = await instrumentTestCommand('./gradlew test', root, tempDir(), {});
    const tests = await readReports(instrumented, root, Date.now() - 60_000);
    expect(tests).toHaveLength(8);
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.id)).toEqual([
      'com.example.CalcTest > addsWrong',
      'com.example.CalcTest > addsWrong',
    ]);
    // Gradle did not run its test task (nothing changed): the files on disk are current.
    const upToDate = '> Task :compileJava UP-TO-DATE\n> Task :old:test UP-TO-DATE\n';
    expect(await readReports(instrumented, root, Date.now() - 60_000, upToDate)).toHaveLength(12);
  });
});

const NODE_TESTS = {
  'test/calc.test.js': `const { describe, it } = require('node:test');
const assert = require('node:assert');
describe('calc', () => {
  it('adds', () => assert.equal(1 + 2, 3));
  it('subtracts', () => assert.equal(3 - 1, 1));
  it('divides', { skip: 'later' }, () => {});
});
`,
  'test/other.test.js': `require('node:test')('other works', () => {});\n`,
};

async function runTests(root: string, command: string) {
  const commands: ProjectCommand[] = [{ name: 'test', command }];
  const { results } = await validateAttempt({ root, commands, checks: [], timeoutSec: 60 });
  const result = results[0];
  if (!result) throw new Error('no result');
  return result;
}

describe('validateAttempt: every test command carries its per-test report', () => {
  it('node --test, run for real: names with files from the report', async () => {
    const root = writeTree(tempDir(), NODE_TESTS);
    const result = await runTests(root, 'node --test');
    expect(result.passed).toBe(false);
    expect(result.summary).toBe('2 passed, 1 failed');
    expect(result.failedTests).toEqual(['calc > subtracts']);
    expect(result.tests).toEqual({
      runner: 'node-test',
      source: 'report',
      identity: 'names',
      tests: [
        {
          id: 'test/calc.test.js > calc > adds',
          file: 'test/calc.test.js',
          name: 'calc > adds',
          status: 'passed',
        },
        {
          id: 'test/calc.test.js > calc > subtracts',
          file: 'test/calc.test.js',
          name: 'calc > subtracts',
          status: 'failed',
        },
        {
          id: 'test/calc.test.js > calc > divides',
          file: 'test/calc.test.js',
          name: 'calc > divides',
          status: 'skipped',
        },
        {
          id: 'test/other.test.js > other works',
          file: 'test/other.test.js',
          name: 'other works',
          status: 'passed',
        },
      ],
      passed: 2,
      failed: 1,
      skipped: 1,
    });
    // The report went to a temp dir: the checkout holds only what it held.
    expect(readdirSync(root).sort()).toEqual(['test']);
  }, 60_000);

  it('npm test whose script is node --test gets the same report', async () => {
    const root = writeTree(tempDir(), { ...NODE_TESTS, ...pkg('node --test') });
    const result = await runTests(root, 'npm test');
    expect(result.tests).toMatchObject({
      source: 'report',
      identity: 'names',
      passed: 2,
      failed: 1,
    });
    expect(result.tests?.tests.map((t) => t.id)).toContain('test/other.test.js > other works');
  }, 60_000);

  it('a compound command runs as written; names come from its console', async () => {
    const root = writeTree(tempDir(), NODE_TESTS);
    const result = await runTests(root, 'node --test && echo done');
    expect(result.tests).toMatchObject({
      source: 'console',
      identity: 'names',
      passed: 2,
      failed: 1,
    });
    expect(result.tests?.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
      'passed calc > adds',
      'failed calc > subtracts',
      'skipped calc > divides',
      'passed other works',
    ]);
  }, 60_000);

  it('vitest through npm test, from the shared node_modules', async () => {
    const root = writeTree(tempDir(), {
      ...pkg('vitest run'),
      'math.test.js': `import { describe, expect, it } from 'vitest';
describe('math', () => {
  it('adds', () => expect(1 + 1).toBe(2));
  it('breaks', () => expect(1 + 1).toBe(3));
  it.skip('later', () => {});
});
`,
    });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    const result = await runTests(root, 'npm test');
    expect(result.summary).toBe('1 passed, 1 failed');
    expect(result.tests).toMatchObject({ runner: 'vitest', source: 'report', identity: 'names' });
    expect(result.tests?.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
      'passed math.test.js > math > adds',
      'failed math.test.js > math > breaks',
      'skipped math.test.js > math > later',
    ]);
  }, 60_000);

  const hasPytest = (() => {
    try {
      execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasPytest)(
    'pytest, asked through PYTEST_ADDOPTS',
    async () => {
      const root = writeTree(tempDir(), {
        'tests/test_a.py': 'def test_ok():\n    pass\n\ndef test_bad():\n    assert 1 == 2\n',
      });
      const result = await runTests(root, 'python3 -m pytest -p no:cacheprovider');
      expect(result.tests?.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
        'passed tests/test_a.py > test_ok',
        'failed tests/test_a.py > test_bad',
      ]);
      expect(result.tests?.source).toBe('report');
    },
    60_000,
  );

  const has = (tool: string, args: string[]): boolean => {
    try {
      execFileSync(tool, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };

  it.skipIf(!has('go', ['version']))(
    'go test, as go test -json; the console reads as before',
    async () => {
      const root = writeTree(tempDir(), {
        'go.mod': 'module example.com/m\n\ngo 1.19\n',
        'm_test.go': `package m

import "testing"

func TestOk(t *testing.T) {}
func TestBad(t *testing.T) { t.Fatal("bad") }
func TestLater(t *testing.T) { t.Skip("later") }
`,
      });
      const commands: ProjectCommand[] = [{ name: 'test', command: 'go test ./...' }];
      const { results } = await validateAttempt({
        root,
        commands,
        checks: [],
        timeoutSec: 120,
        env: { GOFLAGS: '-count=1', GOCACHE: join(tempDir(), 'cache') },
      });
      const result = results[0];
      expect(result?.tests).toMatchObject({ runner: 'go', source: 'report', identity: 'names' });
      expect(result?.tests?.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
        'passed example.com/m > TestOk',
        'failed example.com/m > TestBad',
        'skipped example.com/m > TestLater',
      ]);
      // The model still reads text, not JSON events.
      expect(result?.failedTests).toEqual(['TestBad']);
      expect(result?.output).toContain('m_test.go:6: bad');
      expect(result?.output).not.toContain('"Action"');
    },
    120_000,
  );

  it.skipIf(!has('rspec', ['--version']))(
    'rspec, asked through SPEC_OPTS',
    async () => {
      const root = writeTree(tempDir(), {
        'spec/a_spec.rb':
          "RSpec.describe 'A' do\n  it('works') { expect(1).to eq(1) }\n  it('breaks') { expect(1).to eq(2) }\nend\n",
      });
      const result = await runTests(root, 'rspec');
      expect(result.summary).toBe('1 passed, 1 failed');
      expect(result.tests?.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
        'passed spec/a_spec.rb > A works',
        'failed spec/a_spec.rb > A breaks',
      ]);
    },
    60_000,
  );

  it('an old runner that rejects the reporter flags runs again as written', async () => {
    // A jest that predates --json: it refuses the option, and passes without it.
    const bin = writeTree(tempDir(), {
      jest: `#!/bin/sh
for a in "$@"; do
  case "$a" in --json) echo "Unknown option: --json"; exit 1;; esac
done
echo "Tests:       1 passed, 1 total"
`,
    });
    chmodSync(join(bin, 'jest'), 0o755);
    const { results } = await validateAttempt({
      root: tempDir(),
      commands: [{ name: 'test', command: 'jest' }],
      checks: [],
      timeoutSec: 30,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(results[0]).toMatchObject({ passed: true, summary: '1 passed, 0 failed' });
    expect(results[0]?.tests).toMatchObject({ runner: 'jest', source: 'counts', passed: 1 });
  });

  it('a typecheck command carries its findings with file:line identities', async () => {
    const root = writeTree(tempDir(), {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, noEmit: true },
        files: ['a.ts'],
      }),
      'a.ts': 'export const n: number = "one";\n',
    });
    const tsc = join(REPO, 'node_modules', '.bin', 'tsc');
    const { results } = await validateAttempt({
      root,
      commands: [{ name: 'typecheck', command: `${tsc} -p .` }],
      checks: [],
      timeoutSec: 60,
    });
    expect(results[0]?.diagnostics).toMatchObject({
      tool: 'tsc',
      identity: 'names',
      errors: 1,
      diagnostics: [
        { id: 'a.ts:1:TS2322', file: 'a.ts', line: 1, rule: 'TS2322', severity: 'error' },
      ],
    });
  }, 60_000);
});
