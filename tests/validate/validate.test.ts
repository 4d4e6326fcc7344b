import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import type { SpecCheck } from '../../src/core/specs/model.js';
import {
  checkExpression,
  validateAttempt,
  type ProjectCommand,
} from '../../src/core/validate/index.js';
import { tempDir, writeTree } from '../support/tmp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A command that prints a real tool's captured output and exits like the tool did. */
const replay = (fixture: string, exit: number): string =>
  `cat '${join(FIXTURES, fixture)}'; exit ${exit}`;

const run = (command: string, expectExit = 0, timeout?: number): SpecCheck => ({
  kind: 'run',
  run: command,
  expectExit,
  line: 1,
  ...(timeout === undefined ? {} : { timeout }),
});
const expr = (e: string): SpecCheck => ({ kind: 'expr', expr: e, line: 1 });

async function validate(commands: ProjectCommand[], checks: SpecCheck[], root = tempDir()) {
  return validateAttempt({ root, commands, checks, timeoutSec: 30 });
}

describe('validateAttempt: project commands', () => {
  it('runs each command and summarizes it with its parser', async () => {
    const { passed, results } = await validate(
      [
        { name: 'typecheck', command: replay('tsc-fail.txt', 2) },
        { name: 'lint', command: replay('eslint-fail.txt', 1) },
        { name: 'test', command: replay('vitest-fail.txt', 1) },
      ],
      [],
    );
    expect(passed).toBe(false);
    expect(results.map((r) => [r.name, r.passed, r.summary, r.exitCode])).toEqual([
      ['typecheck', false, '3 errors', 2],
      ['lint', false, '3 errors, 1 warning', 1],
      ['test', false, '2 passed, 2 failed', 1],
    ]);
    const test = results[2];
    expect(test?.failedTests).toEqual([
      'math.test.js > math > subtracts',
      'math.test.js > top level fails',
    ]);
    // The output shown is the failure region, not the banner.
    expect(test?.output).toMatch(/^⎯+ Failed Tests 2/);
    expect(test?.output).toContain('AssertionError: expected 2 to be 1');
    expect(test?.output?.length).toBeLessThanOrEqual(4096 + 16);
  });

  it('drops runtime-internal stack frames from the output', async () => {
    const { results } = await validate(
      [
        { name: 'test', command: replay('nodetest-fail.txt', 1) },
        { name: 'lint', command: replay('cargo-fail.txt', 101) },
      ],
      [],
    );
    expect(results[0]).toMatchObject({
      summary: '2 passed, 1 failed',
      failedTests: ['suite > breaks'],
    });
    expect(results[0]?.output).toContain('t.test.mjs:3:89');
    expect(results[0]?.output).not.toContain('node:internal');
    expect(results[1]?.output).toContain('at ./src/lib.rs:11:23');
    expect(results[1]?.output).not.toContain('/rustc/');
  });

  it('passes commands that exit 0 and keeps no output for them', async () => {
    const { passed, results } = await validate([{ name: 'build', command: 'echo built' }], []);
    expect(passed).toBe(true);
    expect(results[0]).toMatchObject({ name: 'build', passed: true, summary: 'ok', exitCode: 0 });
    expect(results[0]?.output).toBeUndefined();
  });

  it('reports an unrecognized failure by its exit code with the tail of the output', async () => {
    const { results } = await validate(
      [{ name: 'build', command: 'echo compiling; echo "Error: out of cheese" >&2; exit 7' }],
      [],
    );
    expect(results[0]).toMatchObject({ passed: false, summary: 'exit 7', exitCode: 7 });
    expect(results[0]?.output).toBe('Error: out of cheese');
  });

  it('fails a command that times out, naming the timeout', async () => {
    const { results } = await validateAttempt({
      root: tempDir(),
      commands: [{ name: 'test', command: 'echo started; sleep 30' }],
      checks: [],
      timeoutSec: 0.5,
    });
    expect(results[0]).toMatchObject({ passed: false, summary: 'timed out after 0.5s' });
    expect(results[0]?.exitCode).toBeUndefined();
  });

  it('rejects with InterruptedError when aborted, killing the command', async () => {
    const controller = new AbortController();
    const pending = validateAttempt({
      root: tempDir(),
      commands: [{ name: 'test', command: 'sleep 30' }],
      checks: [],
      timeoutSec: 60,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('validateAttempt: spec checks', () => {
  it('run: expect_exit and its own timeout', async () => {
    const { results } = await validate(
      [],
      [run('exit 0'), run('exit 3', 3), run('exit 1', 3), run('exit 1'), run('sleep 30', 0, 0.3)],
    );
    expect(results.map((r) => [r.name, r.passed, r.summary])).toEqual([
      ['run: exit 0', true, 'ok'],
      ['run: exit 3', true, 'exit 3 as expected'],
      ['run: exit 1', false, 'exit 1, expected 3'],
      ['run: exit 1', false, 'exit 1'],
      ['run: sleep 30', false, 'timed out after 0.3s'],
    ]);
  });

  it('file_exists inside the root only', async () => {
    const root = tempDir();
    const outside = tempDir();
    writeTree(root, { 'src/a.ts': 'x', 'docs/readme.md': 'y' });
    writeTree(outside, { 'secret.txt': 's' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    const { results } = await validate(
      [],
      [
        { kind: 'file_exists', path: 'src/a.ts', line: 1 },
        { kind: 'file_exists', path: 'docs', line: 2 },
        { kind: 'file_exists', path: 'src/b.ts', line: 3 },
        { kind: 'file_exists', path: '../secret.txt', line: 4 },
        { kind: 'file_exists', path: join(outside, 'secret.txt'), line: 5 },
        { kind: 'file_exists', path: 'link.txt', line: 6 },
      ],
      root,
    );
    expect(results.map((r) => [r.passed, r.summary])).toEqual([
      [true, 'exists'],
      [true, 'exists (directory)'],
      [false, 'missing'],
      [false, 'path outside the repository refused'],
      [false, 'absolute path refused: use a path relative to the repository'],
      [false, 'path leads outside the repository (symbolic link) — refused'],
    ]);
  });

  it('file_contains matches a regex per line', async () => {
    const root = writeTree(tempDir(), {
      'src/retry.ts': 'import x from "y";\nexport function retry(n: number) {}\n',
    });
    const contains = (path: string, pattern: string): SpecCheck => ({
      kind: 'file_contains',
      path,
      pattern,
      line: 1,
    });
    const { results } = await validate(
      [],
      [
        contains('src/retry.ts', '^export function retry\\('),
        contains('src/retry.ts', 'backoff'),
        contains('src/none.ts', 'x'),
        contains('src/retry.ts', '(unclosed'),
      ],
      root,
    );
    expect(results.map((r) => [r.name, r.passed, r.summary])).toEqual([
      ['file_contains: src/retry.ts ~ /^export function retry\\(/', true, 'matches at line 2'],
      ['file_contains: src/retry.ts ~ /backoff/', false, 'no match for /backoff/ in src/retry.ts'],
      ['file_contains: src/none.ts ~ /x/', false, 'missing'],
      [
        'file_contains: src/retry.ts ~ /(unclosed/',
        false,
        expect.stringMatching(/^invalid pattern: /),
      ],
    ]);
  });
});

describe('validateAttempt: expr checks', () => {
  const commands: ProjectCommand[] = [
    { name: 'test', command: replay('pytest-fail.txt', 1) },
    { name: 'lint', command: replay('ruff-fail.txt', 1) },
  ];

  it('evaluates last, over the commands and the other checks', async () => {
    const { results } = await validate(commands, [
      expr('tests.failed == 2 && tests.passed == 2 && !tests.ok && tests.exit_code == 1'),
      expr('lint.errors == 0'),
      run('exit 4', 4),
      expr('checks.all(c, c.ok) && checks.exists(c, c.exit_code == 4)'),
      expr('size(checks) == 2'),
    ]);
    // expr results come after every other result, in spec order.
    expect(results.map((r) => r.name)).toEqual([
      'test',
      'lint',
      'run: exit 4',
      'expr: tests.failed == 2 && tests.passed == 2 && !tests.ok && tests.exit_code == 1',
      'expr: lint.errors == 0',
      'expr: checks.all(c, c.ok) && checks.exists(c, c.exit_code == 4)',
      'expr: size(checks) == 2',
    ]);
    expect(results.slice(3).map((r) => r.passed)).toEqual([true, false, true, false]);
    // A false expression says what the values were.
    expect(results[4]?.summary).toBe('false (lint: ok=false errors=3 warnings=0 exit_code=1)');
  });

  it('fails, with a clear message, an expression reading a command that did not run', async () => {
    const { results } = await validate(
      [{ name: 'test', command: 'echo " RUN  v4.1.0 /r"; echo "      Tests  3 passed (3)"' }],
      [expr('tests.failed == 0 && typecheck.errors == 0'), expr('tests.ok || build.ok')],
    );
    expect(results[0]).toMatchObject({ name: 'test', passed: true, summary: '3 passed, 0 failed' });
    expect(results[1]).toMatchObject({ passed: false });
    expect(results[1]?.summary).toMatch(
      /^`typecheck` is not available: the typecheck command did not run/,
    );
    expect(results[1]?.summary).toContain('validate.run');
    // Strict even where CEL would short-circuit past the missing variable.
    expect(results[2]?.summary).toMatch(/^`build` is not available/);
  });

  it('fails invalid expressions and non-boolean results instead of throwing', async () => {
    const { passed, results } = await validate(
      [],
      [expr('tests.failed =='), expr('nosuch == 1'), expr('1 + 1'), expr('checks[3].ok')],
    );
    expect(passed).toBe(false);
    expect(results.map((r) => r.summary)).toEqual([
      expect.stringMatching(/^invalid expression: /),
      expect.stringMatching(/^evaluation failed: Unknown variable: nosuch/),
      'the expression must be true or false, but it evaluated to the number 2',
      expect.stringMatching(/^evaluation failed: /),
    ]);
  });

  it('checkExpression validates without evaluating', () => {
    expect(checkExpression('tests.failed == 0 && lint.errors == 0')).toBeNull();
    expect(checkExpression('checks.all(c, c.ok)')).toBeNull();
    expect(checkExpression('tests.failed ==')).toMatch(/Unexpected/);
    expect(checkExpression('tests.nope == 1')).toMatch(/nope/);
    expect(checkExpression('tests.passed')).toMatch(/must be true or false/);
  });
});
