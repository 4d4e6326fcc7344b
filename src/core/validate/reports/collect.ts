import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCase, TestReport } from '../test-report.js';
import { CONSOLE_PARSERS } from './console.js';
import { goJsonConsole, parseGoJson } from './go-json.js';
import { parseJestJson } from './jest-json.js';
import { parseJunitXml } from './junit-xml.js';
import { parseNodeTestReport } from './node-test.js';
import { parseRspecJson } from './rspec-json.js';
import { parseTrx } from './trx.js';
import { uniqueIds, type InstrumentedCommand, type ReportFile } from './types.js';

/** What the command printed and counted, as validation already summarized it. */
export interface ConsoleFacts {
  output: string;
  /** Counts from the console summary (parsers/), when it had one. */
  passed?: number;
  failed?: number;
  /** The console parser's name for the format, e.g. "vitest", "pytest". */
  tool: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseReport(format: ReportFile['format'], text: string, root: string): TestCase[] {
  switch (format) {
    case 'node-test':
      return parseNodeTestReport(text, root);
    case 'jest-json':
      return parseJestJson(text, root);
    case 'junit-xml':
      return parseJunitXml(text, root);
    case 'go-json':
      return parseGoJson(text);
    case 'rspec-json':
      return parseRspecJson(text, root);
    case 'trx':
      return parseTrx(text, root);
  }
}

const JUNIT_DIRS = [
  ['target', 'surefire-reports'],
  ['target', 'failsafe-reports'],
  ['build', 'test-results'],
];
const SKIP_DIRS = new Set(['node_modules', '.git', '.mmm', 'src', 'vendor', 'dist']);

/**
 * JUnit XML files Maven (surefire, failsafe) and Gradle wrote during this run: TEST-*.xml
 * under target/*-reports and build/test-results/<task>, in the root and in modules up to
 * three levels down, modified after `since` (older ones describe an earlier run).
 */
export async function junitFilesSince(root: string, since: number): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    for (const [a, b] of JUNIT_DIRS) await collectXml(join(dir, a ?? '', b ?? ''), since, found, 2);
    if (depth >= 3) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      if (e.name === 'target' || e.name === 'build') continue;
      await visit(join(dir, e.name), depth + 1);
    }
  };
  await visit(root, 0);
  return found.sort();
}

async function collectXml(dir: string, since: number, found: string[], depth: number) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) await collectXml(path, since, found, depth - 1);
    else if (e.isFile() && /^TEST-.*\.xml$/.test(e.name)) {
      const s = await stat(path).catch(() => undefined);
      // A second of slack for file systems that round modification times.
      if (s && s.mtimeMs >= since - 1000) found.push(path);
    }
  }
}

/**
 * Gradle skipped its test task because nothing it depends on changed ("> Task :test
 * UP-TO-DATE" in its plain console): the results on disk are this run's results.
 */
const GRADLE_UP_TO_DATE = /^> Task :(?:\S+:)?test\w* (?:UP-TO-DATE|FROM-CACHE)[ \t]*$/m;

/** Every test the run's report files name (empty when there are none). */
export async function readReports(
  instrumented: InstrumentedCommand,
  root: string,
  startedAt: number,
  output = '',
): Promise<TestCase[]> {
  const files: ReportFile[] = [...instrumented.reportFiles];
  if (instrumented.stdoutReport) files.push(instrumented.stdoutReport);
  if (instrumented.scanJunitDirs) {
    const upToDate = instrumented.runner === 'gradle' && GRADLE_UP_TO_DATE.test(output);
    for (const path of await junitFilesSince(root, upToDate ? 0 : startedAt))
      files.push({ format: 'junit-xml', path });
  }
  const tests: TestCase[] = [];
  for (const file of files) {
    const paths =
      file.format === 'trx'
        ? (await readdir(file.path).catch(() => [] as string[]))
            .filter((n) => n.endsWith('.trx'))
            .sort()
            .map((n) => join(file.path, n))
        : [file.path];
    for (const path of paths) {
      const text = await readText(path);
      if (!text?.trim()) continue;
      try {
        tests.push(...parseReport(file.format, text, root));
      } catch {
        // Not in the expected format (cut short by a kill): the console still counts.
      }
    }
  }
  return tests;
}

/** The console output mmm summarizes: go test -json's stream turned back into text. */
export async function consoleOutput(instrumented: InstrumentedCommand, output: string) {
  if (!instrumented.stdoutReport) return output;
  const stream = (await readText(instrumented.stdoutReport.path)) ?? '';
  const text = goJsonConsole(stream, instrumented.verbose === true);
  return output.trim() ? `${output.trimEnd()}\n${text}` : text;
}

const OMITTED = /^… \[\d+ characters of output omitted\] …$/m;

function fromTests(runner: string, source: 'report' | 'console', tests: TestCase[]): TestReport {
  const unique = uniqueIds(tests);
  const count = (s: TestCase['status']): number => unique.filter((t) => t.status === s).length;
  return {
    runner,
    source,
    identity: 'names',
    tests: unique,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

/**
 * The TestReport of one test command: from the report files when they name tests; else
 * from the console when it lists every test (complete output, and at least as many
 * passed and failed names as the runner's own summary counts); else the counts alone.
 */
export function testReport(
  instrumented: InstrumentedCommand,
  reported: TestCase[],
  facts: ConsoleFacts,
): TestReport {
  const runner = instrumented.runner ?? facts.tool;
  if (reported.length) return fromTests(runner, 'report', reported);
  const parsers = instrumented.runner
    ? (CONSOLE_PARSERS[instrumented.runner] ?? [])
    : Object.values(CONSOLE_PARSERS).flat();
  if (!OMITTED.test(facts.output)) {
    for (const [name, list] of Object.entries(CONSOLE_PARSERS)) {
      for (const parse of list) {
        if (!parsers.includes(parse)) continue;
        const tests = parse(facts.output);
        if (!tests) continue;
        const report = fromTests(instrumented.runner ?? name, 'console', tests);
        const complete =
          report.passed >= (facts.passed ?? 0) && report.failed >= (facts.failed ?? 0);
        if (complete) return report;
      }
    }
  }
  return {
    runner,
    source: 'counts',
    identity: 'counts',
    tests: [],
    passed: facts.passed ?? 0,
    failed: facts.failed ?? 0,
    skipped: 0,
  };
}
