import type { CheckResult } from '../run/events.js';
import type { TestCase } from '../validate/test-report.js';
import { factsOf } from './facts.js';

/**
 * Flaky tests: a command with failures is run once more before its failures count, and
 * only what fails both times is a failure. A test (or, without names, a command) that
 * failed once and passed once is flaky: recorded, and never decides a verdict alone.
 * Pure: merges two recorded results of the same command.
 */
export interface Rerun {
  /** The result that counts: failures of both runs only. */
  result: CheckResult;
  /** Test ids (or the command name, without names) that flipped between the runs. */
  flaky: string[];
}

/** Whether a result has failures worth running again (it ran, and something failed). */
export function worthRerun(result: CheckResult): boolean {
  if (result.passed) return false;
  const facts = factsOf(result);
  return facts.notRun === undefined || /timed out/.test(facts.notRun);
}

function recount(cases: TestCase[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: cases.filter((t) => t.status === 'passed').length,
    failed: cases.filter((t) => t.status === 'failed').length,
    skipped: cases.filter((t) => t.status === 'skipped').length,
  };
}

export function mergeRerun(first: CheckResult, second: CheckResult): Rerun {
  if (first.passed) return { result: first, flaky: [] };
  const a = first.tests;
  const b = second.tests;
  if (a?.identity === 'names' && b?.identity === 'names') {
    const again = new Map(b.tests.map((t) => [t.id, t.status]));
    const flaky: string[] = [];
    const cases = a.tests.map((t): TestCase => {
      if (t.status !== 'failed') return t;
      const then = again.get(t.id);
      if (then === 'failed') return t;
      if (then === 'passed') {
        flaky.push(t.id);
        return { ...t, status: 'passed' };
      }
      return t;
    });
    const counts = recount(cases);
    const result: CheckResult = {
      ...first,
      tests: { ...a, tests: cases, ...counts },
      summary: flaky.length
        ? `${counts.passed} passed, ${counts.failed} failed (${flaky.length} flaky: failed, then passed on a re-run)`
        : first.summary,
    };
    const failing = cases.filter((t) => t.status === 'failed').map((t) => t.id);
    if (failing.length) result.failedTests = failing;
    else delete result.failedTests;
    if (counts.failed === 0 && second.passed) {
      result.passed = true;
      if (second.exitCode !== undefined) result.exitCode = second.exitCode;
      delete result.output;
    }
    return { result, flaky };
  }
  // No names on both sides: the command as a whole. It counts as failing only if it
  // failed both times; the failing names printed are intersected.
  if (second.passed) {
    // The tests that failed the first time are the flaky ones, when the output named them.
    const named = first.failedTests ?? [];
    return {
      result: { ...second, summary: `${second.summary} (flaky: failed, then passed on a re-run)` },
      flaky: named.length ? named : [first.name],
    };
  }
  const again = new Set(second.failedTests ?? []);
  const flaky = again.size ? (first.failedTests ?? []).filter((n) => !again.has(n)) : [];
  const result: CheckResult = { ...first };
  if (flaky.length) {
    result.failedTests = (first.failedTests ?? []).filter((n) => again.has(n));
    // The counts follow: a flipped test counts as passed.
    result.summary = first.summary.replace(
      /\b(\d+) passed, (\d+) failed\b/,
      (_m, p: string, f: string) =>
        `${Number(p) + flaky.length} passed, ${Math.max(0, Number(f) - flaky.length)} failed`,
    );
  }
  return { result, flaky };
}
