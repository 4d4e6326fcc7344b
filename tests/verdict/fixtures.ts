/** Recorded CheckResults for the verdict rules' tests (no process runs). */
import type { CheckResult } from '../../src/core/run/events.js';
import type { TestCase, TestStatus } from '../../src/core/validate/test-report.js';

/** A test command's result with per-test names. */
export function named(
  tests: Record<string, TestStatus>,
  extra: Partial<CheckResult> = {},
): CheckResult {
  const cases: TestCase[] = Object.entries(tests).map(([id, status]) => ({
    id,
    name: id.split(' > ').at(-1) ?? id,
    file: id.split(' > ')[0],
    status,
  }));
  const count = (s: TestStatus) => cases.filter((t) => t.status === s).length;
  const failed = count('failed');
  return {
    name: 'test',
    passed: failed === 0,
    summary: `${count('passed')} passed, ${failed} failed`,
    ...(failed
      ? { exitCode: 1, failedTests: cases.filter((t) => t.status === 'failed').map((t) => t.id) }
      : { exitCode: 0 }),
    durationMs: 10,
    tests: {
      runner: 'node-test',
      source: 'report',
      identity: 'names',
      tests: cases,
      passed: count('passed'),
      failed,
      skipped: count('skipped'),
    },
    ...extra,
  };
}

/** A result as summarize.ts writes it without a TestReport: counts in the summary. */
export function counted(passed: number, failed: number, failedTests: string[] = []): CheckResult {
  return {
    name: 'test',
    passed: failed === 0,
    summary: `${passed} passed, ${failed} failed`,
    exitCode: failed ? 1 : 0,
    ...(failedTests.length ? { failedTests } : {}),
    durationMs: 10,
  };
}
