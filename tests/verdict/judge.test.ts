import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/run/events.js';
import { judge } from '../../src/core/verdict/judge.js';
import { preExistingAtBaseline } from '../../src/core/verdict/baseline.js';
import { verdictFeedback, verdictFingerprint } from '../../src/core/verdict/feedback.js';
import { counted, named } from './fixtures.js';

function exitOnly(
  name: string,
  exitCode: number,
  summary = exitCode ? `exit ${exitCode}` : 'ok',
): CheckResult {
  return { name, passed: exitCode === 0, summary, exitCode, durationMs: 5 };
}

const project = { projectCommands: ['build', 'test', 'lint', 'typecheck'] };

describe('judge: tests with names', () => {
  const base = named({
    'calc.test.js > add': 'passed',
    'calc.test.js > sub': 'passed',
    'calc.test.js > legacy': 'failed',
  });

  it('accepts an attempt that keeps every passing test and adds one; the old failure is pre-existing', () => {
    const v = judge(
      [base],
      [
        named({
          'calc.test.js > add': 'passed',
          'calc.test.js > sub': 'passed',
          'calc.test.js > legacy': 'failed',
          'calc.test.js > mul': 'passed',
        }),
      ],
      project,
    );
    expect(v.passed).toBe(true);
    expect(v.newFailures).toEqual([]);
    expect(v.preExisting.map((f) => f.id)).toEqual(['calc.test.js > legacy']);
  });

  it('names a test that vanished, one that now fails and one now skipped', () => {
    const v = judge(
      [base],
      [
        named({
          'calc.test.js > sub': 'failed',
          'calc.test.js > legacy': 'failed',
          'calc.test.js > x': 'skipped',
        }),
      ],
      project,
    );
    expect(v.passed).toBe(false);
    expect(v.newFailures.map((f) => f.text)).toEqual([
      'test `calc.test.js > add` passed before this attempt and now is missing',
      'test `calc.test.js > sub` passed before this attempt and now fails',
    ]);
    const skipped = judge(
      [base],
      [
        named({
          'calc.test.js > add': 'skipped',
          'calc.test.js > sub': 'passed',
          'calc.test.js > legacy': 'failed',
        }),
      ],
      project,
    );
    expect(skipped.newFailures.map((f) => f.kind)).toEqual(['now-skipped']);
  });

  it('rejects a new test that fails', () => {
    const v = judge(
      [base],
      [
        named({
          'calc.test.js > add': 'passed',
          'calc.test.js > sub': 'passed',
          'calc.test.js > legacy': 'failed',
          'calc.test.js > mul': 'failed',
        }),
      ],
      project,
    );
    expect(v.newFailures.map((f) => [f.kind, f.id])).toEqual([
      ['new-failing', 'calc.test.js > mul'],
    ]);
  });

  it('lets a known flaky test not decide', () => {
    const v = judge(
      [base],
      [
        named({
          'calc.test.js > add': 'failed',
          'calc.test.js > sub': 'passed',
          'calc.test.js > legacy': 'failed',
        }),
      ],
      { ...project, flaky: ['calc.test.js > add'] },
    );
    expect(v.passed).toBe(true);
    expect(v.flakyIgnored).toEqual(['calc.test.js > add']);
  });
});

describe('judge: counts and exit codes', () => {
  it('compares counts when the runner names only the failures, and says so', () => {
    const v = judge([counted(2, 1, ['legacy'])], [counted(1, 1, ['legacy'])], project);
    expect(v.passed).toBe(false);
    expect(v.newFailures[0]?.text).toBe(
      "`test`: passing tests dropped from 2 to 1 (compared by counts: the runner's output does not name every test)",
    );
    expect(v.newFailures[0]?.identity).toBe('counts');
    expect(v.preExisting.map((f) => f.id)).toEqual(['legacy']);
  });

  it('accepts the same failing test with more passing ones', () => {
    const v = judge([counted(2, 1, ['legacy'])], [counted(3, 1, ['legacy'])], project);
    expect(v.passed).toBe(true);
    expect(v.preExisting).toHaveLength(1);
  });

  it('names a newly failing test from the printed failures, and counts growth without names', () => {
    const named2 = judge([counted(2, 1, ['legacy'])], [counted(2, 2, ['legacy', 'add'])], project);
    expect(named2.newFailures.map((f) => f.id)).toEqual(['add']);
    const unnamed = judge([counted(5, 1)], [counted(5, 2)], project);
    expect(unnamed.newFailures.map((f) => f.kind)).toEqual(['failures-grew']);
  });

  it('uses a TestReport with identity "counts" as counts', () => {
    const report = (passed: number, failed: number): CheckResult => ({
      ...counted(passed, failed),
      summary: 'exit 1',
      tests: {
        runner: 'go',
        source: 'counts',
        identity: 'counts',
        tests: [],
        passed,
        failed,
        skipped: 0,
      },
    });
    const v = judge([report(4, 0)], [report(3, 0)], project);
    expect(v.newFailures.map((f) => f.kind)).toEqual(['passing-dropped']);
  });

  it('without a parser: failing before and after is pre-existing; passing then failing is new', () => {
    const pre = judge([exitOnly('build', 2)], [exitOnly('build', 2)], project);
    expect(pre.passed).toBe(true);
    expect(pre.preExisting[0]?.text).toContain('`build` was already failing before this attempt');
    const broke = judge([exitOnly('build', 0)], [exitOnly('build', 1)], project);
    expect(broke.passed).toBe(false);
    expect(broke.newFailures[0]?.text).toBe(
      '`build` passed before this attempt and now fails (exit 1)',
    );
  });

  it('a test command that reported tests before and now reports none is a new failure, even with a red baseline', () => {
    const crashed: CheckResult = {
      name: 'test',
      passed: false,
      summary: 'exit 1',
      exitCode: 1,
      durationMs: 5,
    };
    const v = judge([counted(2, 1, ['legacy'])], [crashed], project);
    expect(v.passed).toBe(false);
    expect(v.newFailures[0]?.text).toBe(
      '`test`: 2 tests passed before this attempt; now it fails without reporting any test (exit 1)',
    );
    const lint = judge(
      [{ ...exitOnly('lint', 1), summary: '2 errors' }],
      [exitOnly('lint', 2)],
      project,
    );
    expect(lint.passed).toBe(false);
  });

  it('a command that times out in the attempt is a new failure', () => {
    const v = judge(
      [exitOnly('test', 0)],
      [{ name: 'test', passed: false, summary: 'timed out after 60s', durationMs: 60000 }],
      project,
    );
    expect(v.newFailures.map((f) => f.kind)).toEqual(['not-run']);
  });

  it('lint: error counts may not grow; with identities new ones are named', () => {
    const lint = (errors: number): CheckResult => ({
      ...exitOnly('lint', errors ? 1 : 0),
      summary: `${errors} errors`,
    });
    expect(judge([lint(3)], [lint(3)], project).passed).toBe(true);
    expect(judge([lint(3)], [lint(4)], project).newFailures[0]?.text).toBe(
      '`lint`: 4 errors, 3 before this attempt (compared by counts)',
    );
    const diag = (ids: string[]): CheckResult => ({
      ...exitOnly('lint', ids.length ? 1 : 0),
      diagnostics: {
        tool: 'eslint',
        identity: 'names',
        diagnostics: ids.map((id) => ({ id, severity: 'error' as const, message: `bad ${id}` })),
        errors: ids.length,
        warnings: 0,
      },
    });
    const v = judge([diag(['a.js:1:no-undef'])], [diag(['b.js:2:no-undef'])], project);
    expect(v.newFailures.map((f) => f.id)).toEqual(['b.js:2:no-undef']);
    expect(judge([diag(['a.js:1:no-undef'])], [diag(['a.js:1:no-undef'])], project).passed).toBe(
      true,
    );
  });

  it('spec checks must pass whatever the baseline', () => {
    const check: CheckResult = {
      name: 'run: node check.mjs',
      passed: false,
      summary: 'exit 1',
      exitCode: 1,
      durationMs: 3,
    };
    const v = judge([counted(2, 0)], [counted(2, 0), check], project);
    expect(v.passed).toBe(false);
    expect(v.specFailures).toEqual([check]);
  });

  it("without a reference (no baseline), every failing command is the attempt's", () => {
    const v = judge([], [counted(1, 1, ['x'])], project);
    expect(v.passed).toBe(false);
  });
});

describe('feedback', () => {
  const base = named({
    'calc.test.js > add': 'passed',
    'calc.test.js > sub': 'passed',
    'calc.test.js > legacy': 'failed',
  });
  const attempt = named(
    { 'calc.test.js > sub': 'passed', 'calc.test.js > legacy': 'failed' },
    { output: 'not ok 2 - legacy\n  expected 2\n' },
  );

  it('names each new failure, quotes the output, and lists pre-existing failures apart', () => {
    const v = judge([base], [attempt], project);
    const text = verdictFeedback(v, [attempt]);
    expect(text).toContain('## test — 1 passed, 1 failed');
    expect(text).toContain(
      '- test `calc.test.js > add` passed before this attempt and now is missing',
    );
    expect(text).toContain('not ok 2 - legacy');
    const pre = text.indexOf('## Already failing before you started; not your task');
    expect(pre).toBeGreaterThan(text.indexOf('now is missing'));
    expect(text.slice(pre)).toContain('`calc.test.js > legacy` was already failing');
    // The pre-existing failure is never presented as a new one.
    expect(text.slice(0, pre)).not.toContain('legacy` was');
  });

  it('fingerprints only what the attempt broke', () => {
    const v1 = judge([base], [attempt], project);
    const v2 = judge([base], [{ ...attempt, output: 'other output' }], project);
    expect(verdictFingerprint(v1)).toBe(verdictFingerprint(v2));
    expect(verdictFingerprint(judge([base], [base], project))).toBe('');
  });

  it("lists the baseline's pre-existing failures, one line each", () => {
    expect(preExistingAtBaseline([base, exitOnly('lint', 0), exitOnly('build', 2)])).toEqual([
      'test: test `calc.test.js > legacy` fails',
      'build: exit 2',
    ]);
  });
});
