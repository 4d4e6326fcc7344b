import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestCase, TestReport } from '../../src/core/validate/test-report.js';
import { parseOutput } from '../../src/core/validate/parsers/index.js';
import { parseNodeTestReport } from '../../src/core/validate/reports/node-test.js';
import { parseJestJson } from '../../src/core/validate/reports/jest-json.js';
import { parseJunitXml } from '../../src/core/validate/reports/junit-xml.js';
import { goJsonConsole, parseGoJson } from '../../src/core/validate/reports/go-json.js';
import { parseRspecJson } from '../../src/core/validate/reports/rspec-json.js';
import { parseTrx } from '../../src/core/validate/reports/trx.js';
import { testReport } from '../../src/core/validate/reports/collect.js';
import type { InstrumentedCommand } from '../../src/core/validate/reports/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');
const rows = (tests: TestCase[]): string[] => tests.map((t) => `${t.status[0]} ${t.id}`);

/** What testReport makes of a console when no report file was left. */
function fromConsole(runner: string | undefined, path: string): TestReport {
  const output = read(path);
  const parsed = parseOutput(output);
  const instrumented: InstrumentedCommand = {
    command: '',
    env: {},
    reportFiles: [],
    scanJunitDirs: false,
    ...(runner ? { runner } : {}),
  };
  return testReport(instrumented, [], {
    output,
    tool: parsed.tool,
    ...(parsed.passed !== undefined ? { passed: parsed.passed } : {}),
    ...(parsed.failed !== undefined ? { failed: parsed.failed } : {}),
  });
}

// Every fixture was written by the real runner (see fixtures/README.md and capture.sh),
// each run with passing, failing and skipped tests.
const JS_SUITE = [
  'p test/calc.test.js > calc > adds',
  'f test/calc.test.js > calc > adds wrong',
  's test/calc.test.js > calc > divides later',
  'p test/calc.test.js > calc > nested > still adds',
  'p test/other.test.js > other > passes',
];

describe('per-test reports written by the runners', () => {
  it('node --test through mmm reporter: files, suites, skip and todo', () => {
    expect(rows(parseNodeTestReport(read('node-test/report.jsonl')))).toEqual([
      'p test/calc.test.js > calc > adds',
      'f test/calc.test.js > calc > adds wrong',
      's test/calc.test.js > calc > divides later',
      's test/calc.test.js > calc > multiplies someday',
      'p test/calc.test.js > calc > nested > still adds',
      'p test/calc.test.js > top level',
      'p test/other.test.js > top level',
    ]);
  });

  it('vitest json reporter, paths made relative to the root', () => {
    const tests = parseJestJson(read('vitest/report.json'), '/tmp/mmm-capture/vitest');
    expect(rows(tests)).toEqual(JS_SUITE);
    expect(tests[1]).toEqual({
      id: 'test/calc.test.js > calc > adds wrong',
      file: 'test/calc.test.js',
      name: 'calc > adds wrong',
      status: 'failed',
    });
  });

  it('jest --json', () => {
    expect(rows(parseJestJson(read('jest/report.json')))).toEqual(JS_SUITE);
  });

  it('pytest --junitxml (xunit1): module path folded into the file', () => {
    expect(rows(parseJunitXml(read('pytest/report.xml')))).toEqual([
      'p tests/test_calc.py > test_add',
      'f tests/test_calc.py > test_add_wrong',
      's tests/test_calc.py > test_divide',
      'p tests/test_calc.py > TestSuite > test_param[1]',
      'f tests/test_calc.py > TestSuite > test_param[2]',
    ]);
  });

  it('go test -json: packages as files, subtests under their parent', () => {
    const expected = [
      'p example.com/cap/calc > TestAdd',
      'f example.com/cap/calc > TestAddWrong',
      's example.com/cap/calc > TestDivide',
      'p example.com/cap/calc > TestTable > positive',
      'f example.com/cap/calc > TestTable > negative',
      'p example.com/cap/util > TestUtil',
    ];
    expect(rows(parseGoJson(read('go/report.jsonl')))).toEqual(expected);
    // The stream rebuilt as text reads as plain go test printed it (or go test -v).
    const text = goJsonConsole(read('go/report.jsonl'));
    expect(parseOutput(text)).toMatchObject({ tool: 'go test', failed: 2 });
    expect(text).toContain(
      '--- FAIL: TestAddWrong (0.00s)\n    calc_test.go:15: add(1, 1) = 2, want 3\n',
    );
    expect(text).not.toMatch(/=== RUN|--- PASS|--- SKIP/);
    const verbose = goJsonConsole(read('go/report.jsonl'), true);
    expect(parseOutput(verbose)).toMatchObject({ tool: 'go test', passed: 3, failed: 2 });
  });

  it('a go package that does not build counts as one failure', () => {
    const stream = [
      '{"Action":"output","Package":"example.com/x","Output":"FAIL\\texample.com/x [build failed]\\n"}',
      '{"Action":"fail","Package":"example.com/x","Elapsed":0}',
    ].join('\n');
    expect(rows(parseGoJson(stream))).toEqual(['f example.com/x > (package failed)']);
  });

  it('rspec json formatter', () => {
    expect(rows(parseRspecJson(read('rspec/report.json')))).toEqual([
      'p spec/calc_spec.rb > Calc adds',
      'f spec/calc_spec.rb > Calc adds wrong',
      's spec/calc_spec.rb > Calc divides later',
      'p spec/calc_spec.rb > Calc nested still adds',
    ]);
  });

  it('phpunit --log-junit, data sets named', () => {
    expect(rows(parseJunitXml(read('phpunit/report.xml')))).toEqual([
      'p tests/CalcTest.php > Tests\\CalcTest > testAdd',
      'f tests/CalcTest.php > Tests\\CalcTest > testAddWrong',
      's tests/CalcTest.php > Tests\\CalcTest > testDivide',
      'p tests/CalcTest.php > Tests\\CalcTest > testPairs with data set "same"',
      'f tests/CalcTest.php > Tests\\CalcTest > testPairs with data set "different"',
    ]);
  });

  it('maven surefire XML, nested classes included', () => {
    const tests = readdirSync(join(FIXTURES, 'maven'))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .flatMap((f) => parseJunitXml(read(`maven/${f}`)));
    expect(rows(tests)).toEqual([
      'p com.example.CalcTest > adds',
      'f com.example.CalcTest > addsWrong',
      's com.example.CalcTest > divides',
      'p com.example.CalcTest$Inner > stillAdds',
    ]);
  });

  it('dotnet TRX (written from the TRX schema; no dotnet on the capture machine)', () => {
    expect(rows(parseTrx(read('dotnet/report.trx')))).toEqual([
      'p Calc.Tests.dll > Calc.Tests.CalcTests > Adds',
      'f Calc.Tests.dll > Calc.Tests.CalcTests > AddsWrong',
      's Calc.Tests.dll > Calc.Tests.CalcTests > Divides',
      'p Calc.Tests.dll > Calc.Tests.CalcTests > Pairs(a: 1, b: 2)',
    ]);
  });

  it('a test file that fails to load is one failed test, not a file without tests', () => {
    const vitest = parseJestJson(read('vitest/report-broken.json'), '/tmp/mmm-capture/vitest');
    expect(rows(vitest)).toEqual(['f test/broken.test.js > (file failed to run)', ...JS_SUITE]);
    const jest = parseJestJson(read('jest/report-broken.json'));
    expect(rows(jest)).toContain('f test/broken.test.js > (file failed to run)');
    expect(jest).toHaveLength(6);
  });

  it('a report cut short is refused, not half-read', () => {
    expect(() => parseJestJson(read('jest/report.json').slice(0, 300))).toThrow();
    expect(() => parseJunitXml('garbage')).toThrow();
  });
});

describe('per-test names from the console, when no report was left', () => {
  const cases: [string | undefined, string, string[]][] = [
    [
      'node-test',
      'node-test/console-tap.txt',
      [
        'p calc > adds',
        'f calc > adds wrong',
        's calc > divides later',
        's calc > multiplies someday',
        'p calc > nested > still adds',
        'p top level',
        // Two files with a test of the same name: TAP does not name files.
        'p top level (2)',
      ],
    ],
    ['vitest', 'vitest/console-verbose.txt', JS_SUITE],
    ['jest', 'jest/console-verbose.txt', JS_SUITE],
    [
      'mocha',
      'mocha/console.txt',
      [
        'p calc > adds',
        'f calc > adds wrong',
        's calc > divides later',
        'p calc > nested > still adds',
        'p other > passes',
      ],
    ],
    [
      'pytest',
      'pytest/console-v.txt',
      [
        'p tests/test_calc.py > test_add',
        'f tests/test_calc.py > test_add_wrong',
        's tests/test_calc.py > test_divide',
        'p tests/test_calc.py > TestSuite > test_param[1]',
        'f tests/test_calc.py > TestSuite > test_param[2]',
      ],
    ],
    [
      'go',
      'go/console-v.txt',
      [
        'p example.com/cap/calc > TestAdd',
        'f example.com/cap/calc > TestAddWrong',
        's example.com/cap/calc > TestDivide',
        'p example.com/cap/calc > TestTable > positive',
        'f example.com/cap/calc > TestTable > negative',
        'p example.com/cap/util > TestUtil',
      ],
    ],
    [
      'cargo',
      'cargo/console.txt',
      [
        'p src/lib.rs > tests > adds',
        's src/lib.rs > tests > divides_later',
        'p src/lib.rs > tests > nested > still_adds',
        'f src/lib.rs > tests > adds_wrong',
        'p tests/integration.rs > integrates',
      ],
    ],
    [
      'minitest',
      'minitest/console-v.txt',
      [
        'f CalcTest > test_raises',
        's CalcTest > test_divide',
        'p CalcTest > test_add',
        'f CalcTest > test_add_wrong',
      ],
    ],
  ];
  for (const [runner, path, expected] of cases) {
    it(`${path}`, () => {
      const report = fromConsole(runner, path);
      expect(report).toMatchObject({ source: 'console', identity: 'names' });
      expect(rows(report.tests)).toEqual(expected);
      const count = (s: string): number => expected.filter((e) => e.startsWith(s)).length;
      expect([report.passed, report.failed, report.skipped]).toEqual([
        count('p'),
        count('f'),
        count('s'),
      ]);
    });
  }

  it('recognises the format when the runner is unknown (a make target)', () => {
    expect(fromConsole(undefined, 'cargo/console.txt')).toMatchObject({
      runner: 'cargo',
      source: 'console',
      passed: 3,
    });
    expect(fromConsole(undefined, 'node-test/console-spec.txt')).toMatchObject({
      runner: 'node-test',
      passed: 4,
      failed: 1,
      skipped: 2,
    });
  });
});

describe('counts when nothing names every test', () => {
  it('go test without -v names only the failures', () => {
    expect(fromConsole('go', 'go/console.txt')).toMatchObject({
      source: 'counts',
      identity: 'counts',
      tests: [],
      failed: 2,
    });
  });

  it('minitest without -v, phpunit and maven consoles', () => {
    for (const [runner, path] of [
      ['minitest', 'minitest/console.txt'],
      ['phpunit', 'phpunit/console.txt'],
      ['maven', 'maven/console.txt'],
    ] as const) {
      const report = fromConsole(runner, path);
      expect(report, path).toMatchObject({ source: 'counts', identity: 'counts', tests: [] });
    }
    expect(fromConsole('phpunit', 'phpunit/console.txt')).toMatchObject({ passed: 2, failed: 2 });
  });

  it('a console cut in the middle cannot name every test', () => {
    const output = read('pytest/console-v.txt').replace(
      /^(tests\/test_calc.py::test_add_wrong FAILED.*)$/m,
      '… [52000 characters of output omitted] …',
    );
    const report = testReport(
      { command: '', env: {}, reportFiles: [], scanJunitDirs: false, runner: 'pytest' },
      [],
      { output, tool: 'pytest', passed: 2, failed: 2 },
    );
    expect(report).toMatchObject({ identity: 'counts', passed: 2, failed: 2 });
  });

  it('fewer names than the summary counts means an incomplete list', () => {
    // pytest -rA lists passed and failed tests; here the summary says 3 passed.
    const output = read('pytest/console-ra.txt');
    const report = testReport(
      { command: '', env: {}, reportFiles: [], scanJunitDirs: false, runner: 'pytest' },
      [],
      { output, tool: 'pytest', passed: 3, failed: 2 },
    );
    expect(report.identity).toBe('counts');
  });
});
