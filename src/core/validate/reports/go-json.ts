import type { TestCase, TestStatus } from '../test-report.js';
import { testCase } from './types.js';

interface GoEvent {
  Action?: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

function events(text: string): GoEvent[] {
  const out: GoEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as GoEvent);
    } catch {
      // A line cut by a kill; the rest of the stream still counts.
    }
  }
  return out;
}

/**
 * `go test -json` (test2json): the last pass/fail/skip of each (package, test). The
 * package stands in for the file; subtests are named by their parts ("TestAdd > neg").
 * A parent test is left out when its subtests say it all, kept when it failed by itself.
 * A package that failed without running a test (it did not build) counts as one failure.
 */
export function parseGoJson(text: string): TestCase[] {
  const results = new Map<string, { pkg: string; test: string; status: TestStatus }>();
  const failedPackages: string[] = [];
  const packagesWithTests = new Set<string>();
  for (const e of events(text)) {
    const status: TestStatus | undefined =
      e.Action === 'pass'
        ? 'passed'
        : e.Action === 'fail'
          ? 'failed'
          : e.Action === 'skip'
            ? 'skipped'
            : undefined;
    if (!status) continue;
    const pkg = e.Package ?? '';
    if (e.Test) {
      packagesWithTests.add(pkg);
      results.set(`${pkg}\u0000${e.Test}`, { pkg, test: e.Test, status });
    } else if (status === 'failed') failedPackages.push(pkg);
  }
  return goCases(
    [...results.values()],
    failedPackages.filter((p) => !packagesWithTests.has(p)),
  );
}

export interface GoResult {
  pkg: string;
  /** go's own name: "TestAdd/negative". */
  test: string;
  status: TestStatus;
}

/** Test cases from go results, subtests under their parents (see parseGoJson). */
export function goCases(results: GoResult[], brokenPackages: string[]): TestCase[] {
  // Which tests have subtests, and which of those have a failing one.
  const parents = new Map<string, boolean>();
  const keyed = new Map(results.map((r) => [`${r.pkg}\u0000${r.test}`, r] as const));
  for (const [key, r] of keyed) {
    for (
      let cut = key.lastIndexOf('/');
      cut > key.indexOf('\u0000');
      cut = key.lastIndexOf('/', cut - 1)
    ) {
      const parent = key.slice(0, cut);
      parents.set(parent, (parents.get(parent) ?? false) || r.status === 'failed');
    }
  }
  const tests: TestCase[] = [];
  for (const [key, r] of keyed) {
    const childFailed = parents.get(key);
    // A parent whose subtests say it all is left out; one that failed on its own stays.
    if (childFailed !== undefined && (r.status !== 'failed' || childFailed)) continue;
    tests.push(testCase(r.pkg, r.test.split('/'), r.status));
  }
  for (const pkg of brokenPackages) tests.push(testCase(pkg, ['(package failed)'], 'failed'));
  return tests;
}

/**
 * The console the project's command would have printed: with `-v`, every event's Output
 * in order; without it, as plain `go test` prints: each failed test's "--- FAIL" line and
 * then its log lines (passing and skipped tests stay quiet), and the package lines.
 */
export function goJsonConsole(text: string, verbose = false): string {
  const parts: string[] = [];
  const pending = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: GoEvent | undefined;
    try {
      e = line.startsWith('{') ? (JSON.parse(line) as GoEvent) : undefined;
    } catch {
      e = undefined;
    }
    if (!e) {
      parts.push(`${line}\n`);
      continue;
    }
    if (verbose || !e.Test) {
      if (e.Action === 'output' && e.Output) parts.push(e.Output);
      continue;
    }
    const key = `${e.Package ?? ''}\u0000${e.Test}`;
    if (e.Action === 'output' && e.Output) {
      if (/^=== (?:RUN|PAUSE|CONT|NAME)\b/.test(e.Output)) continue;
      const lines = pending.get(key) ?? [];
      lines.push(e.Output);
      pending.set(key, lines);
    } else if (e.Action === 'pass' || e.Action === 'skip' || e.Action === 'fail') {
      const lines = pending.get(key) ?? [];
      pending.delete(key);
      if (e.Action !== 'fail') continue;
      const head = lines.findIndex((l) => /^\s*--- FAIL: /.test(l));
      if (head > 0) lines.unshift(...lines.splice(head, 1));
      parts.push(...lines);
    }
  }
  return parts.join('');
}
