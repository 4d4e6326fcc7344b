import type { TestCase } from '../test-report.js';
import { relativePath, testCase } from './types.js';

/**
 * A node:test custom reporter (an ES module mmm writes into the report dir and names with
 * `--test-reporter=<file>`): one JSON line per finished test with its file, its suites and
 * its outcome. node's built-in TAP and JUnit reporters do not name the file of a passing
 * test (Node 20), and two files may hold tests of the same name.
 */
export const NODE_TEST_REPORTER = `// Written by mmm: one JSON line per finished node:test test.
const stacks = new Map();
export default async function* mmmReporter(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    const key = data.file ?? '';
    if (event.type === 'test:start') {
      const stack = stacks.get(key) ?? [];
      stack.length = data.nesting;
      stack.push(data.name);
      stacks.set(key, stack);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    const path = (stacks.get(key) ?? []).slice(0, data.nesting);
    path.push(data.name);
    const marked = (v) => v !== undefined && v !== false;
    const status =
      marked(data.skip) || marked(data.todo)
        ? 'skipped'
        : event.type === 'test:pass'
          ? 'passed'
          : 'failed';
    yield JSON.stringify({ file: data.file ?? null, path, status }) + '\\n';
  }
}
`;

/** Reads the reporter's JSON lines. */
export function parseNodeTestReport(text: string, root?: string): TestCase[] {
  const tests: TestCase[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    if (!row || typeof row !== 'object') continue;
    const { file, path, status } = row as { file?: unknown; path?: unknown; status?: unknown };
    if (
      !Array.isArray(path) ||
      (status !== 'passed' && status !== 'failed' && status !== 'skipped')
    )
      continue;
    const rel = typeof file === 'string' ? relativePath(file, root) : undefined;
    tests.push(testCase(rel, path.map(String), status));
  }
  return tests;
}
