import type { TestCase, TestStatus } from '../test-report.js';
import { relativePath, testCase } from './types.js';

/**
 * RSpec's json formatter (`--format json --out <file>`): examples[] with file_path,
 * full_description (example groups and example, joined by spaces, as RSpec names them
 * in "rspec ./spec/x_spec.rb:3 # Calc adds") and status passed/failed/pending.
 */
export function parseRspecJson(text: string, root?: string): TestCase[] {
  const report = JSON.parse(text) as { examples?: unknown };
  if (!Array.isArray(report.examples)) throw new Error('no examples');
  const tests: TestCase[] = [];
  for (const ex of report.examples as Record<string, unknown>[]) {
    const status: TestStatus | undefined =
      ex.status === 'passed'
        ? 'passed'
        : ex.status === 'failed'
          ? 'failed'
          : ex.status === 'pending'
            ? 'skipped'
            : undefined;
    if (!status) continue;
    const file = typeof ex.file_path === 'string' ? relativePath(ex.file_path, root) : undefined;
    tests.push(testCase(file, [String(ex.full_description ?? ex.description ?? '')], status));
  }
  // Errors outside examples (a spec file that does not load) leave no example behind.
  const outside = (report as { errors_outside_of_examples_count?: unknown })
    .errors_outside_of_examples_count;
  if (typeof outside === 'number' && outside > 0)
    tests.push(testCase(undefined, ['(errors outside of examples)'], 'failed'));
  return tests;
}
