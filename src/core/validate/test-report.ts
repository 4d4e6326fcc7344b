/**
 * Per-test and per-diagnostic identity of one validation command's result: what the
 * verdict module (core/verdict) compares between the baseline and an attempt.
 * Filled by the parsers in validate/parsers from a machine-readable report the runner
 * wrote (JUnit XML, JSON, TAP) or from its console output; `identity: 'counts'` when
 * neither named the tests, so only the counts can be compared.
 */
export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestCase {
  /** Stable identity across runs: `<file> > <full name>` (file omitted when unknown). */
  id: string;
  file?: string;
  /** Full name: suites and test, joined with " > ". */
  name: string;
  status: TestStatus;
}

export interface TestReport {
  /** The runner recognised, e.g. "vitest", "pytest", "node-test", "go", "cargo". */
  runner: string;
  /** Where the names came from: a report file, the console, or counts only. */
  source: 'report' | 'console' | 'counts';
  identity: 'names' | 'counts';
  /** Every test seen (empty when identity is "counts"). */
  tests: TestCase[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface Diagnostic {
  /** Stable identity: `<file>:<line>:<rule>` (parts omitted when unknown). */
  id: string;
  file?: string;
  line?: number;
  rule?: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Lint / typecheck findings of one command. */
export interface DiagnosticReport {
  tool: string;
  identity: 'names' | 'counts';
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}
