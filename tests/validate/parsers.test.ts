import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutput, MAX_FAILED_TESTS } from '../../src/core/validate/index.js';
import { runShell } from '../../src/core/validate/exec.js';
import { tempDir, writeTree } from '../support/tmp.js';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('result parsers on real tool output', () => {
  // Captured from the real tools (vitest 4, pytest 9, node --test, cargo test/clippy,
  // eslint 10, tsc 6) or copied from their documented formats (jest, mocha, go, rspec,
  // phpunit, ruff, flake8, mypy).
  const cases: [string, Record<string, unknown>][] = [
    [
      'vitest-fail.txt',
      {
        tool: 'vitest',
        passed: 2,
        failed: 2,
        failedTests: ['math.test.js > math > subtracts', 'math.test.js > top level fails'],
      },
    ],
    [
      'jest-fail.txt',
      {
        tool: 'jest',
        passed: 7,
        failed: 2,
        failedTests: ['Calculator › adds numbers', 'Calculator › divides by zero'],
      },
    ],
    [
      'mocha-fail.txt',
      {
        tool: 'mocha',
        passed: 2,
        failed: 1,
        failedTests: ['Array #indexOf() returns -1 when the value is absent'],
      },
    ],
    [
      'nodetest-fail.txt',
      { tool: 'node:test', passed: 2, failed: 1, failedTests: ['suite > breaks'] },
    ],
    ['nodespec-fail.txt', { tool: 'node:test', passed: 2, failed: 1, failedTests: ['breaks'] }],
    [
      'pytest-fail.txt',
      {
        tool: 'pytest',
        passed: 2,
        failed: 2,
        failedTests: ['test_calc.py::test_add_negative', 'test_calc.py::TestSuite::test_bad'],
      },
    ],
    [
      'go-fail.txt',
      {
        tool: 'go test',
        passed: 1,
        failed: 3,
        failedTests: ['TestAdd/negative', 'TestDivide', 'example.com/calc/broken'],
      },
    ],
    [
      'cargo-fail.txt',
      {
        tool: 'cargo test',
        passed: 1,
        failed: 2,
        failedTests: ['tests::adds_wrong', 'tests::panics'],
      },
    ],
    ['rspec-fail.txt', { tool: 'rspec', passed: 3, failed: 1, failedTests: ['Calc adds numbers'] }],
    [
      'phpunit-fail.txt',
      {
        tool: 'phpunit',
        passed: 3,
        failed: 2,
        failedTests: ['Tests\\CalcTest::testDivide', 'Tests\\CalcTest::testAdd'],
      },
    ],
    ['eslint-fail.txt', { tool: 'eslint', errors: 3, warnings: 1, failedTests: [] }],
    ['tsc-fail.txt', { tool: 'tsc', errors: 3 }],
    ['mypy-fail.txt', { tool: 'mypy', errors: 2 }],
    ['ruff-fail.txt', { tool: 'ruff', errors: 3 }],
    ['flake8-fail.txt', { tool: 'flake8', errors: 2 }],
    ['clippy-fail.txt', { tool: 'clippy', errors: 2, warnings: 0 }],
  ];

  it.each(cases)('%s', (file, expected) => {
    const output = fixture(file);
    const parsed = parseOutput(output);
    expect(parsed).toMatchObject(expected);
    // The failure region is located, and it is where the failure is described.
    expect(parsed.failureStart).toBeDefined();
    const region = output.slice(parsed.failureStart);
    expect(region).toMatch(/error|fail|●|not ok|\d\) |: [A-Z]\d{3} /i);
    expect(region).not.toMatch(/^\s*● Console/);
  });

  it('reads passing summaries', () => {
    expect(
      parseOutput(' RUN  v4.1.0 /repo\n\n Test Files  3 passed (3)\n      Tests  41 passed (41)\n'),
    ).toMatchObject({ tool: 'vitest', passed: 41, failed: 0 });
    expect(
      parseOutput(
        'PASS a.test.js\nTest Suites: 1 passed, 1 total\nTests:       5 passed, 5 total\n',
      ),
    ).toMatchObject({ tool: 'jest', passed: 5, failed: 0 });
    expect(parseOutput('============ 12 passed, 1 skipped in 0.31s ============\n')).toMatchObject({
      tool: 'pytest',
      passed: 12,
      failed: 0,
    });
    expect(
      parseOutput('ok  \texample.com/a\t0.01s\nok  \texample.com/b\t(cached)\n'),
    ).toMatchObject({
      tool: 'go test',
      passed: 2,
      failed: 0,
    });
    expect(parseOutput('OK (5 tests, 10 assertions)\n')).toMatchObject({
      tool: 'phpunit',
      passed: 5,
    });
    expect(parseOutput('[INFO] Tests run: 7, Failures: 1, Errors: 1, Skipped: 2\n')).toMatchObject({
      tool: 'junit',
      passed: 3,
      failed: 2,
    });
  });

  it('counts every failure but keeps a bounded list of names', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `test t::case_${i} ... FAILED`);
    const output = `${lines.join('\n')}\n\ntest result: FAILED. 0 passed; 60 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n`;
    const parsed = parseOutput(output);
    expect(parsed.failed).toBe(60);
    expect(parsed.failedTests).toHaveLength(MAX_FAILED_TESTS);
    expect(parsed.failedTests[0]).toBe('t::case_0');
  });

  it('falls back to the generic parser, locating the first error line', () => {
    const output = 'building...\nstep 2\nError: config not found\nbye\n';
    const parsed = parseOutput(output);
    expect(parsed.tool).toBe('generic');
    expect(parsed.passed).toBeUndefined();
    expect(output.slice(parsed.failureStart)).toMatch(/^Error: config not found/);
  });
});

const has = (cmd: string, args: string[]): boolean => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

// Real tools start slowly on a busy machine: generous limits, no timing asserted.
const LIVE = { timeout: 120_000 };

describe('parsers on tools run live', () => {
  it('tsc on a tiny project', LIVE, async () => {
    const root = tempDir();
    writeTree(root, {
      'tsconfig.json': '{"compilerOptions":{"strict":true,"noEmit":true},"files":["a.ts"]}',
      'a.ts': 'const n: number = "x";\nexport const m: string = 1;\n',
    });
    const tsc = join(process.cwd(), 'node_modules/typescript/bin/tsc');
    const shell = await runShell(`node ${tsc} -p .`, { cwd: root, timeoutSec: 110 });
    expect(shell.exitCode).toBe(2);
    expect(parseOutput(shell.output)).toMatchObject({ tool: 'tsc', errors: 2 });
  });

  it.skipIf(!has('python3', ['-c', 'import pytest']))(
    'pytest on a tiny test file',
    LIVE,
    async () => {
      const root = tempDir();
      writeTree(root, {
        'test_x.py': 'def test_ok():\n    assert 1 == 1\n\ndef test_bad():\n    assert 1 == 2\n',
      });
      const shell = await runShell('python3 -m pytest -p no:cacheprovider', {
        cwd: root,
        timeoutSec: 110,
      });
      expect(shell.exitCode).toBe(1);
      expect(parseOutput(shell.output)).toMatchObject({
        tool: 'pytest',
        passed: 1,
        failed: 1,
        failedTests: ['test_x.py::test_bad'],
      });
    },
  );
});
