import type { TestCase, TestStatus } from '../test-report.js';
import { goCases, type GoResult } from './go-json.js';
import { testCase } from './types.js';

/**
 * Per-test names from a runner's console output, for when it left no report: the
 * formats that list every test (node --test TAP and spec, mocha spec, jest --verbose,
 * vitest verbose, pytest -v / -rA, go test -v, cargo test, minitest -v). Each returns
 * null when the output is not in its format.
 */
export type ConsoleParser = (output: string) => TestCase[] | null;

const indentOf = (line: string): number => line.search(/\S/);

/** node --test's TAP (its default reporter when the output is not a terminal, Node 20). */
export const nodeTap: ConsoleParser = (output) => {
  if (!/^TAP version \d+/m.test(output)) return null;
  const lines = output.split('\n');
  const stack: { indent: number; name: string }[] = [];
  const tests: TestCase[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const subtest = /^(\s*)# Subtest: (.+)$/.exec(line);
    if (subtest) {
      const indent = (subtest[1] ?? '').length;
      while (stack.length && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
      stack.push({ indent, name: subtest[2] ?? '' });
      continue;
    }
    const result = /^(\s*)(not )?ok \d+(?: - (.*?))?(?:\s+#\s*(\w+).*)?$/.exec(line);
    if (!result) continue;
    const indent = (result[1] ?? '').length;
    while (stack.length && (stack.at(-1)?.indent ?? 0) > indent) stack.pop();
    if (stack.at(-1)?.indent === indent) stack.pop();
    const yaml = lines.slice(i + 1, i + 12).join('\n');
    const block = yaml.split(/^[ \t]*\.\.\.$/m)[0] ?? '';
    if (/^\s*type: 'suite'/m.test(block)) continue;
    const directive = (result[4] ?? '').toUpperCase();
    const status: TestStatus =
      directive === 'SKIP' || directive === 'TODO' ? 'skipped' : result[2] ? 'failed' : 'passed';
    tests.push(testCase(undefined, [...stack.map((s) => s.name), result[3] ?? ''], status));
  }
  return tests.length ? tests : null;
};

/** node --test's spec reporter: "▶ suite", "✔ name (1ms)", "✖ …", "﹣ … # SKIP". */
export const nodeSpec: ConsoleParser = (output) => {
  if (!/^ℹ tests \d+/m.test(output)) return null;
  const body = output.split(/^✖ failing tests:/m)[0] ?? '';
  const stack: { indent: number; name: string }[] = [];
  const tests: TestCase[] = [];
  for (const line of body.split('\n')) {
    const suite = /^(\s*)▶ (.+)$/.exec(line);
    if (suite) {
      stack.push({ indent: (suite[1] ?? '').length, name: suite[2] ?? '' });
      continue;
    }
    const m = /^(\s*)([✔✖﹣]) (.+?)(?: \([\d.]+m?s\))?(?: # (.*))?$/.exec(line);
    if (!m) continue;
    const indent = (m[1] ?? '').length;
    while (stack.length && (stack.at(-1)?.indent ?? 0) > indent) stack.pop();
    const top = stack.at(-1);
    if (top && top.indent === indent && top.name === m[3]) {
      stack.pop(); // the suite's own closing line
      continue;
    }
    const status: TestStatus =
      m[2] === '﹣' || /^TODO\b/.test(m[4] ?? '') ? 'skipped' : m[2] === '✖' ? 'failed' : 'passed';
    tests.push(testCase(undefined, [...stack.map((s) => s.name), m[3] ?? ''], status));
  }
  return tests.length ? tests : null;
};

/** Indented trees of suites and tests (mocha spec, jest --verbose) up to `end`. */
function indentedTree(
  lines: string[],
  marker: (text: string) => { status: TestStatus; name: string } | null,
  file?: string,
): TestCase[] {
  const stack: { indent: number; name: string }[] = [];
  const tests: TestCase[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = indentOf(line);
    while (stack.length && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const hit = marker(line.trim());
    if (hit) tests.push(testCase(file, [...stack.map((s) => s.name), hit.name], hit.status));
    else stack.push({ indent, name: line.trim() });
  }
  return tests;
}

/** Mocha's spec reporter: suites, "✔ name", "1) name", "- name" (pending). */
export const mochaSpec: ConsoleParser = (output) => {
  const summary = /^[ \t]*\d+ passing \(/m.exec(output);
  if (!summary) return null;
  const lines = output.slice(0, summary.index).split('\n');
  const tests = indentedTree(lines, (text) => {
    const m = /^(?:(✔|✓)|(\d+)\)|(-)) (.+?)(?: \(\d+ms\))?$/.exec(text);
    if (!m) return null;
    return { status: m[1] ? 'passed' : m[2] ? 'failed' : 'skipped', name: m[4] ?? '' };
  });
  return tests.length ? tests : null;
};

/** jest --verbose: "PASS file" / "FAIL file", then indented suites and ✓ ✕ ○ lines. */
export const jestVerbose: ConsoleParser = (output) => {
  if (!/^Tests:\s+.*\d+ total/m.test(output)) return null;
  const tests: TestCase[] = [];
  for (const block of output.split(/^(?=(?:PASS|FAIL) \S)/m)) {
    const head = /^(?:PASS|FAIL) (\S+)/.exec(block);
    if (!head) continue;
    const lines = block.split('\n').slice(1);
    // The tree ends at the first failure detail ("  ● …") or the summary.
    const end = lines.findIndex((l) => /^\s*● |^Test Suites:/.test(l));
    tests.push(
      ...indentedTree(
        end >= 0 ? lines.slice(0, end) : lines,
        (text) => {
          const m = /^(?:(✓|√)|(✕|×)|(○)(?: skipped| todo)?) (.+?)(?: \(\d+ m?s\))?$/.exec(text);
          if (!m) return null;
          return { status: m[1] ? 'passed' : m[2] ? 'failed' : 'skipped', name: m[4] ?? '' };
        },
        head[1],
      ),
    );
  }
  return tests.length ? tests : null;
};

/** vitest --reporter=verbose: "✓ file > suite > test 2ms", "×", "↓" (skipped). */
export const vitestVerbose: ConsoleParser = (output) => {
  if (!/^\s*Tests\s{2,}.*\(\d+\)/m.test(output)) return null;
  const tests: TestCase[] = [];
  for (const m of output.matchAll(/^ ([✓×↓]) (\S+) > (.+?)(?: \d+ms)?$/gm)) {
    const status: TestStatus = m[1] === '✓' ? 'passed' : m[1] === '×' ? 'failed' : 'skipped';
    tests.push(testCase(m[2], (m[3] ?? '').split(' > '), status));
  }
  return tests.length ? tests : null;
};

const PYTEST_STATUS: Record<string, TestStatus> = {
  PASSED: 'passed',
  XFAIL: 'passed',
  FAILED: 'failed',
  ERROR: 'failed',
  XPASS: 'failed',
  SKIPPED: 'skipped',
};

function pytestCase(nodeid: string, word: string): TestCase | undefined {
  const status = PYTEST_STATUS[word];
  if (!status) return undefined;
  const [file, ...parts] = nodeid.split('::');
  return testCase(file, parts, status);
}

/** pytest -v ("tests/x.py::test_a PASSED") or -rA ("PASSED tests/x.py::test_a"). */
export const pytestConsole: ConsoleParser = (output) => {
  if (!/^=+ .*\b(?:passed|failed|skipped|errors?)\b.* in [\d.]+s/m.test(output)) return null;
  const seen = new Map<string, TestCase>();
  for (const m of output.matchAll(
    /^(\S+\.py::\S.*?) (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b/gm,
  )) {
    const t = pytestCase(m[1] ?? '', m[2] ?? '');
    if (t) seen.set(t.id, t);
  }
  for (const m of output.matchAll(
    /^(PASSED|FAILED|ERROR|XFAIL|XPASS) (\S+\.py::\S+?)(?: - .*)?$/gm,
  )) {
    const t = pytestCase(m[2] ?? '', m[1] ?? '');
    if (t && !seen.has(t.id)) seen.set(t.id, t);
  }
  return seen.size ? [...seen.values()] : null;
};

/** go test -v: "--- PASS: TestA (0.00s)", each package closed by "ok pkg" or "FAIL pkg". */
export const goVerbose: ConsoleParser = (output) => {
  const results: GoResult[] = [];
  let pending: { test: string; status: TestStatus }[] = [];
  for (const line of output.split('\n')) {
    const t = /^\s*--- (PASS|FAIL|SKIP): (\S+) \(/.exec(line);
    if (t) {
      const status: TestStatus =
        t[1] === 'PASS' ? 'passed' : t[1] === 'FAIL' ? 'failed' : 'skipped';
      pending.push({ test: t[2] ?? '', status });
      continue;
    }
    const pkg = /^(?:ok|FAIL)\s+(\S+)\s+(?:[\d.]+s|\(cached\))/.exec(line);
    if (pkg) {
      for (const p of pending) results.push({ pkg: pkg[1] ?? '', ...p });
      pending = [];
    }
  }
  return results.length ? goCases(results, []) : null;
};

/** cargo test: "Running tests/x.rs (…)" then "test a::b ... ok|FAILED|ignored". */
export const cargoConsole: ConsoleParser = (output) => {
  if (!/^test result: /m.test(output)) return null;
  const tests: TestCase[] = [];
  let file: string | undefined;
  for (const line of output.split('\n')) {
    const running = /^\s+Running (?:unittests )?(\S+)/.exec(line);
    if (running) file = running[1];
    const doc = /^\s+Doc-tests (\S+)/.exec(line);
    if (doc) file = `doc-tests ${doc[1] ?? ''}`;
    const m = /^test (.+?) \.\.\. (ok|FAILED|ignored)(?:, .*)?$/.exec(line);
    if (!m) continue;
    const status: TestStatus = m[2] === 'ok' ? 'passed' : m[2] === 'FAILED' ? 'failed' : 'skipped';
    const name = m[1] ?? '';
    tests.push(testCase(file, / - /.test(name) ? [name] : name.split('::'), status));
  }
  return tests.length ? tests : null;
};

/** minitest -v: "CalcTest#test_add = 0.00 s = ." (. pass, F fail, E error, S skip). */
export const minitestVerbose: ConsoleParser = (output) => {
  if (!/^\d+ runs, \d+ assertions/m.test(output)) return null;
  const tests: TestCase[] = [];
  for (const m of output.matchAll(/^(\S+?)#(\S+) = [\d.]+ s = ([.FES])$/gm)) {
    const status: TestStatus = m[3] === '.' ? 'passed' : m[3] === 'S' ? 'skipped' : 'failed';
    tests.push(testCase(undefined, [m[1] ?? '', m[2] ?? ''], status));
  }
  return tests.length ? tests : null;
};

/** By runner; tried in this order when the runner is not known. */
export const CONSOLE_PARSERS: Record<string, ConsoleParser[]> = {
  'node-test': [nodeTap, nodeSpec],
  vitest: [vitestVerbose],
  jest: [jestVerbose],
  mocha: [mochaSpec],
  pytest: [pytestConsole],
  go: [goVerbose],
  cargo: [cargoConsole],
  minitest: [minitestVerbose],
};
