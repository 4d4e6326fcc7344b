import type { CheckResult } from '../run/events.js';
import type { TestStatus } from '../validate/test-report.js';

/**
 * What the verdict rules read of one project command's result, whatever the parser knew:
 * per-test names (a TestReport with identity "names"), counts only (a report with identity
 * "counts", or the counts the summary line carries: "12 passed, 1 failed", "3 errors"), or
 * nothing but the exit code. Pure: built from a recorded CheckResult.
 */
export type Identity = 'names' | 'counts' | 'exit';

export interface CommandFacts {
  name: string;
  /** The command exited 0 (within its time). */
  passed: boolean;
  /** Why it did not run to the end, when it did not (timed out, killed, not found). */
  notRun?: string;
  identity: Identity;
  /** Per-test status, keyed by test id (identity "names" only). */
  tests?: Map<string, TestStatus>;
  /** Test counts, when known. */
  counts?: { passed: number; failed: number; skipped: number };
  /** Failing test names the output gave (may be all there is with counts). */
  failedNames: string[];
  /** Error diagnostics by id (lint/typecheck with identities). */
  diagnostics?: Map<string, { count: number; message: string }>;
  /** Lint/typecheck error count, when known. */
  errors?: number;
}

/** Exit codes of a shell that could not run the command at all: not executable, not found. */
const NOT_RUNNABLE_EXIT = new Set([126, 127]);

/**
 * Why a command result means it never ran properly, or undefined: it could not start,
 * timed out, was killed by a signal, or the shell could not find or execute it.
 */
export function notRunReason(result: CheckResult): string | undefined {
  if (result.passed) return undefined;
  if (result.exitCode === undefined) return result.summary || 'it did not finish';
  if (result.exitCode === 127) return 'command not found (exit 127)';
  if (NOT_RUNNABLE_EXIT.has(result.exitCode)) return 'not executable (exit 126)';
  return undefined;
}

/** "12 passed, 1 failed" as summaryLine (validate/summarize.ts) writes it. */
const TEST_COUNTS = /\b(\d+) passed, (\d+) failed\b/;
const ERROR_COUNT = /\b(\d+) errors?\b/;

export function factsOf(result: CheckResult): CommandFacts {
  const facts: CommandFacts = {
    name: result.name,
    passed: result.passed,
    identity: 'exit',
    failedNames: [...(result.failedTests ?? [])],
  };
  const notRun = notRunReason(result);
  if (notRun) facts.notRun = notRun;
  const report = result.tests;
  if (report) {
    facts.counts = { passed: report.passed, failed: report.failed, skipped: report.skipped };
    facts.identity = report.identity;
    if (report.identity === 'names') {
      facts.tests = new Map(report.tests.map((t) => [t.id, t.status]));
      facts.failedNames = report.tests.filter((t) => t.status === 'failed').map((t) => t.id);
    }
  } else {
    const m = TEST_COUNTS.exec(result.summary);
    if (m) {
      facts.identity = 'counts';
      facts.counts = { passed: Number(m[1]), failed: Number(m[2]), skipped: 0 };
    }
  }
  const diag = result.diagnostics;
  if (diag) {
    facts.errors = diag.errors;
    if (facts.identity === 'exit') facts.identity = diag.identity;
    if (diag.identity === 'names') {
      facts.diagnostics = new Map();
      for (const d of diag.diagnostics) {
        if (d.severity !== 'error') continue;
        const seen = facts.diagnostics.get(d.id);
        facts.diagnostics.set(d.id, { count: (seen?.count ?? 0) + 1, message: d.message });
      }
    }
  } else if (!facts.counts) {
    const m = ERROR_COUNT.exec(result.summary);
    if (m) {
      facts.identity = 'counts';
      facts.errors = Number(m[1]);
    }
  }
  return facts;
}
