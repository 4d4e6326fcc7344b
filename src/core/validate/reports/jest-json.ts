import type { TestCase, TestStatus } from '../test-report.js';
import { relativePath, testCase } from './types.js';

interface AssertionResult {
  ancestorTitles?: unknown;
  title?: unknown;
  status?: unknown;
}

function statusOf(status: unknown): TestStatus | undefined {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  if (status === 'pending' || status === 'skipped' || status === 'todo' || status === 'disabled')
    return 'skipped';
  return undefined;
}

/**
 * Jest's `--json` report, which Vitest's json reporter also writes:
 * testResults[] per file, each with assertionResults[] (ancestorTitles, title, status).
 * A file that failed to load has no assertions; it becomes one failed test named after
 * the file, so a broken file is not mistaken for a file with no tests.
 */
export function parseJestJson(text: string, root?: string): TestCase[] {
  const report = JSON.parse(text) as { testResults?: unknown };
  if (!Array.isArray(report.testResults)) throw new Error('no testResults');
  const tests: TestCase[] = [];
  for (const fileResult of report.testResults as Record<string, unknown>[]) {
    const file =
      typeof fileResult.name === 'string' ? relativePath(fileResult.name, root) : undefined;
    const assertions = Array.isArray(fileResult.assertionResults)
      ? (fileResult.assertionResults as AssertionResult[])
      : [];
    for (const a of assertions) {
      const status = statusOf(a.status);
      if (!status) continue;
      const ancestors = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.map(String) : [];
      tests.push(testCase(file, [...ancestors, String(a.title ?? '')], status));
    }
    if (!assertions.length && fileResult.status === 'failed') {
      tests.push(testCase(file, ['(file failed to run)'], 'failed'));
    }
  }
  return tests;
}
