import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { CheckResult } from '../../src/core/run/events.js';
import {
  assertBaselineUsable,
  baselineOf,
  cannotRun,
  referenceResults,
  type CommandOrigin,
} from '../../src/core/verdict/baseline.js';
import { mergeRerun, worthRerun } from '../../src/core/verdict/flaky.js';
import { counted, named } from './fixtures.js';

const origins: CommandOrigin[] = [
  { name: 'test', command: 'no-such-tool', origin: 'set in the configuration (commands.test)' },
];

function base(results: CheckResult[]) {
  return baselineOf({
    commit: 'abc',
    takenAt: '2026-11-29T00:00:00.000Z',
    durationMs: 1,
    results,
    flaky: [],
  });
}

describe('cannotRun', () => {
  it('recognises commands that never ran', () => {
    expect(
      cannotRun({ name: 'test', passed: false, summary: 'exit 127', exitCode: 127, durationMs: 1 }),
    ).toBe('command not found (exit 127)');
    expect(
      cannotRun({ name: 'test', passed: false, summary: 'exit 126', exitCode: 126, durationMs: 1 }),
    ).toBe('not executable (exit 126)');
    expect(
      cannotRun({ name: 'test', passed: false, summary: 'timed out after 5s', durationMs: 1 }),
    ).toBe('timed out after 5s');
    expect(
      cannotRun({
        name: 'test',
        passed: false,
        summary: '0 passed, 0 failed',
        exitCode: 1,
        durationMs: 1,
      }),
    ).toMatch(/before running any test/);
    expect(
      cannotRun({
        name: 'test',
        passed: false,
        summary: 'exit 1',
        exitCode: 1,
        output: 'npm error Missing script: "test"',
        durationMs: 1,
      }),
    ).toMatch(/missing/);
  });

  it('does not confuse failing tests or lint errors with a command that cannot run', () => {
    expect(cannotRun(counted(2, 1, ['legacy']))).toBeUndefined();
    expect(
      cannotRun({
        name: 'lint',
        passed: false,
        summary: '3 errors',
        exitCode: 1,
        output: 'Cannot find module x',
        durationMs: 1,
      }),
    ).toBeUndefined();
    expect(
      cannotRun({
        name: 'build',
        passed: false,
        summary: 'exit 2',
        exitCode: 2,
        output: 'src/a.ts: type error',
        durationMs: 1,
      }),
    ).toBeUndefined();
  });
});

describe('assertBaselineUsable', () => {
  it('stops with exit 2, naming the command, its origin, its output and the fix', () => {
    const b = base([
      {
        name: 'test',
        passed: false,
        summary: 'exit 127',
        exitCode: 127,
        output: 'bash: line 1: no-such-tool: command not found',
        durationMs: 1,
      },
    ]);
    let error: unknown;
    try {
      assertBaselineUsable(b, origins, 'tolerate');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('the test command cannot run');
    expect(e.problems.join('\n')).toContain(
      '`no-such-tool` cannot run: command not found (exit 127)',
    );
    expect(e.problems.join('\n')).toContain('set in the configuration (commands.test)');
    expect(e.problems.join('\n')).toContain('no-such-tool: command not found');
    expect(e.hint).toContain('commands.test = ""');
  });

  it('tolerates a red baseline by default; require-green stops and lists the failures', () => {
    const b = base([counted(2, 1, ['legacy'])]);
    expect(() => assertBaselineUsable(b, origins, 'tolerate')).not.toThrow();
    expect(() => assertBaselineUsable(b, origins, 'require-green')).toThrow(/require-green/);
    try {
      assertBaselineUsable(b, origins, 'require-green');
    } catch (e) {
      expect((e as InputError).problems).toEqual(['test: test `legacy` fails']);
    }
  });
});

describe('flaky re-runs', () => {
  it('keeps only the tests that failed both times; the others are flaky', () => {
    const first = named({ 'a > x': 'failed', 'a > y': 'failed', 'a > z': 'passed' });
    const second = named({ 'a > x': 'failed', 'a > y': 'passed', 'a > z': 'passed' });
    const m = mergeRerun(first, second);
    expect(m.flaky).toEqual(['a > y']);
    expect(m.result.failedTests).toEqual(['a > x']);
    expect(m.result.tests?.failed).toBe(1);
    expect(m.result.passed).toBe(false);
  });

  it('a command without names that passes on the re-run counts as passed, its failures flaky', () => {
    const m = mergeRerun(counted(2, 1, ['flip']), counted(3, 0));
    expect(m.result.passed).toBe(true);
    expect(m.flaky).toEqual(['flip']);
    const both = mergeRerun(counted(2, 2, ['flip', 'legacy']), counted(3, 1, ['legacy']));
    expect(both.flaky).toEqual(['flip']);
    expect(both.result.failedTests).toEqual(['legacy']);
    expect(both.result.summary).toBe('3 passed, 1 failed');
  });

  it('re-runs only commands that ran and failed', () => {
    expect(worthRerun(counted(1, 0))).toBe(false);
    expect(worthRerun(counted(1, 1))).toBe(true);
    expect(
      worthRerun({
        name: 'test',
        passed: false,
        summary: 'exit 127',
        exitCode: 127,
        durationMs: 1,
      }),
    ).toBe(false);
  });
});

describe('referenceResults', () => {
  it('follows the latest accepted attempt after the baseline', () => {
    const b = base([counted(2, 0)]);
    const later = [counted(3, 0)];
    expect(referenceResults(b, [])).toBe(b.results);
    expect(
      referenceResults(b, [
        { outcome: 'passed', endedAt: '2026-11-29T01:00:00.000Z', validation: later },
        { outcome: 'failed', endedAt: '2026-11-29T02:00:00.000Z', validation: [counted(0, 3)] },
      ]),
    ).toBe(later);
    // A baseline retaken after that attempt wins.
    expect(
      referenceResults({ ...b, takenAt: '2026-11-29T03:00:00.000Z' }, [
        { outcome: 'passed', endedAt: '2026-11-29T01:00:00.000Z', validation: later },
      ]),
    ).toBe(b.results);
  });
});
