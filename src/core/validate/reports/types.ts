import type { TestCase, TestStatus } from '../test-report.js';

/** A machine-readable report format a runner can write. */
export type ReportFormat =
  'node-test' | 'jest-json' | 'junit-xml' | 'go-json' | 'rspec-json' | 'trx';

export interface ReportFile {
  format: ReportFormat;
  path: string;
}

/**
 * A test command prepared to leave a report behind: the same tests run, only reporter
 * flags or environment variables were added (see instrument.ts).
 */
export interface InstrumentedCommand {
  /** What to run: the project's command, possibly with reporter flags added. */
  command: string;
  /** Added to the command's environment (e.g. PYTEST_ADDOPTS, SPEC_OPTS). */
  env: Record<string, string>;
  /** Files the runner may write; a missing one means "fall back to the console". */
  reportFiles: ReportFile[];
  /** Look for JUnit XML under target/surefire-reports and build/test-results afterwards. */
  scanJunitDirs: boolean;
  /** The runner recognised in the command, when one was ("vitest", "pytest", "go" …). */
  runner?: string;
  /** go test -json's stdout went to this file; the console is rebuilt from it. */
  stdoutReport?: ReportFile;
  /** The command asked for verbose output (go test -v): the rebuilt console keeps it. */
  verbose?: boolean;
}

/** Test cases read from one source, before they are merged into a TestReport. */
export interface ParsedTests {
  runner: string;
  tests: TestCase[];
}

/** Builds a TestCase: id is `<file> > <name>`, name the parts joined with " > ". */
export function testCase(
  file: string | undefined,
  parts: readonly string[],
  status: TestStatus,
): TestCase {
  const name = parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' > ');
  const test: TestCase = { id: file ? `${file} > ${name}` : name, name, status };
  if (file) test.file = file;
  return test;
}

/**
 * Makes ids unique (two tests with the same name in one file, as runners allow): the
 * second becomes "<id> (2)". Report order is the runner's, stable from run to run.
 */
export function uniqueIds(tests: TestCase[]): TestCase[] {
  const seen = new Map<string, number>();
  return tests.map((t) => {
    const n = (seen.get(t.id) ?? 0) + 1;
    seen.set(t.id, n);
    return n === 1 ? t : { ...t, id: `${t.id} (${n})` };
  });
}

/** A path as the project sees it: relative to the root, forward slashes, no "./". */
export function relativePath(path: string, root: string | undefined): string {
  let p = path.replace(/\\/g, '/');
  const r = root?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (r && p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  return p.replace(/^\.\//, '');
}
