import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/run/events.js';
import type { Criterion } from '../../src/core/specs/model.js';
import { parseSpec } from '../../src/core/specs/parse.js';
import type { TestCase, TestReport } from '../../src/core/validate/test-report.js';
import {
  criteriaBlock,
  evidenceFailure,
  findName,
  judgeCriteria,
  verifiedIndices,
} from '../../src/core/verdict/evidence.js';
import { attemptChecks } from '../../src/core/verdict/evidence-checks.js';

function report(runner: string, tests: TestCase[]): TestReport {
  return {
    runner,
    source: 'report',
    identity: 'names',
    tests,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status === 'failed').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
  };
}

const tc = (file: string, name: string, status: TestCase['status']): TestCase => ({
  id: `${file} > ${name}`,
  file,
  name,
  status,
});

/** A vitest run, a pytest run, a go run and the spec check, as validation gives them. */
const RESULTS: CheckResult[] = [
  {
    name: 'test',
    passed: true,
    summary: '4 passed',
    durationMs: 1,
    tests: report('vitest', [
      tc('test/add.test.ts', 'add > adds two numbers', 'passed'),
      tc('test/add.test.ts', 'add > adds negatives', 'passed'),
      tc('test/sub.test.ts', 'sub > subtracts', 'failed'),
      tc('test/sub.test.ts', 'sub > later', 'skipped'),
    ]),
  },
  {
    name: 'run: pytest',
    passed: true,
    summary: '1 passed',
    durationMs: 1,
    tests: report('pytest', [tc('tests/test_mul.py', 'test_mul', 'passed')]),
  },
  {
    name: 'run: go test ./...',
    passed: true,
    summary: '1 passed',
    durationMs: 1,
    tests: report('go', [tc('calc', 'TestDiv/by_zero', 'passed')]),
  },
  { name: 'run: node scripts/check.mjs', passed: true, summary: 'ok', durationMs: 1 },
  { name: 'file_exists: docs/guide.md', passed: false, summary: 'missing', durationMs: 1 },
];

describe('finding a named test in the results', () => {
  it.each([
    ['test/add.test.ts > add > adds two numbers', 'passed'],
    ['add > adds two numbers', 'passed'],
    ['adds two numbers', 'passed'],
    ['test/add.test.ts', 'passed'],
    ['tests/test_mul.py::test_mul', 'passed'],
    ['test_mul', 'passed'],
    ['TestDiv/by_zero', 'passed'],
    ['sub > subtracts', 'failed'],
    ['test/sub.test.ts', 'failed'],
    ['sub > later', 'skipped'],
    ['adds three numbers', 'missing'],
    ['run: node scripts/check.mjs', 'passed'],
    ['node scripts/check.mjs', 'passed'],
    ['file_exists: docs/guide.md', 'failed'],
  ])('%s → %s', (name, status) => {
    expect(findName(name, RESULTS).status).toBe(status);
  });

  it('says "unverifiable" when the runner gives counts only, and finds failures by name', () => {
    const counts: CheckResult[] = [
      {
        name: 'test',
        passed: false,
        summary: '3 passed, 1 failed',
        durationMs: 1,
        failedTests: ['add > adds negatives'],
      },
    ];
    expect(findName('adds two numbers', counts).status).toBe('unverifiable');
    expect(findName('adds negatives', counts).status).toBe('failed');
  });
});

const criteria = (...items: Partial<Criterion>[]): Criterion[] =>
  items.map((c, i) => ({ text: `criterion ${i + 1}`, done: false, line: 10 + i, ...c }));

describe('criteria verdicts', () => {
  it('verifies, contradicts and leaves unverified, per criterion', () => {
    const verdicts = judgeCriteria({
      criteria: criteria(
        {},
        {},
        {},
        { check: { kind: 'file_exists', path: 'docs/guide.md', line: 13 } },
        { done: true },
        {},
      ),
      reports: [
        { criterion: 1, tests: ['adds two numbers', 'test_mul'], note: 'both paths' },
        { criterion: 2, tests: ['adds two numbers', 'sub > subtracts'] },
        { criterion: 3, tests: ['adds three numbers', 'sub > later'] },
      ],
      results: RESULTS,
    });
    expect(verdicts.map((v) => [v.n, v.status, v.reason ?? ''])).toEqual([
      [1, 'verified', ''],
      [2, 'contradicted', 'test "sub > subtracts" failed'],
      [
        3,
        'unverified',
        'test "adds three numbers" is not in the results; test "sub > later" was skipped',
      ],
      [4, 'contradicted', 'check "file_exists: docs/guide.md" failed'],
      [5, 'ticked', ''],
      [6, 'unverified', 'no evidence reported'],
    ]);
    expect(verdicts[0]?.evidence).toEqual([
      'test "adds two numbers" passed',
      'test "test_mul" passed',
    ]);
    expect(verifiedIndices(verdicts)).toEqual([0]);
    // A contradicted criterion fails the attempt; unverified ones only when required.
    expect(evidenceFailure(verdicts, false)).toBe(
      'Acceptance criteria contradicted by the results:\n' +
        '- criterion 2 (criterion 2): test "sub > subtracts" failed\n' +
        '- criterion 4 (criterion 4): check "file_exists: docs/guide.md" failed',
    );
    const required = evidenceFailure(
      verdicts.filter((v) => v.status !== 'contradicted'),
      true,
    );
    expect(required).toContain('criterion 3 (criterion 3): test "adds three numbers" is not in');
    expect(required).toContain('criterion 6 (criterion 6): no evidence reported');
    expect(required).toContain('report_evidence');
    expect(evidenceFailure([verdicts[0]!, verdicts[4]!], true)).toBeUndefined();
  });

  it('lists each criterion with its evidence for the commit message', () => {
    const verdicts = judgeCriteria({
      criteria: criteria(
        { text: 'adds' },
        {
          text: 'script ok',
          check: { kind: 'run', run: 'node scripts/check.mjs', expectExit: 0, line: 11 },
        },
        { text: 'fast' },
      ),
      reports: [{ criterion: 1, tests: ['add > adds two numbers'] }],
      results: RESULTS,
    });
    expect(criteriaBlock(verdicts)).toBe(
      [
        'Acceptance criteria:',
        '- [x] 1. adds (verified: test "add > adds two numbers" passed)',
        '- [x] 2. script ok (verified: check "run: node scripts/check.mjs" passed)',
        '- [ ] 3. fast (unverified: no evidence reported)',
      ].join('\n'),
    );
  });
});

describe('criterion checks in the spec', () => {
  const spec = (criteriaLines: string[]) =>
    parseSpec(
      'specs/01-add.md',
      Buffer.from(
        [
          '---',
          'title: Add',
          'checks:',
          '  - run: node --test test/add.test.js',
          '---',
          '## Acceptance Criteria',
          '',
          ...criteriaLines,
          '',
        ].join('\n'),
      ),
    );

  it('reads <!-- check: … --> at the end of a criterion', () => {
    const { spec: s, problems } = spec([
      '- [ ] adds <!-- check: run: node --test test/add.test.js -->',
      '- [ ] documented <!-- check: file_exists: docs/add.md -->',
      '- [ ] exits 2 <!-- check: {run: "node cli.js --bad", expect_exit: 2} -->',
      '- [ ] plain',
    ]);
    expect(problems).toEqual([]);
    expect(s?.criteria.map((c) => [c.text, c.check])).toEqual([
      ['adds', { kind: 'run', run: 'node --test test/add.test.js', expectExit: 0, line: 8 }],
      ['documented', { kind: 'file_exists', path: 'docs/add.md', line: 9 }],
      ['exits 2', { kind: 'run', run: 'node cli.js --bad', expectExit: 2, line: 10 }],
      ['plain', undefined],
    ]);
    // Run with the spec's checks, each once.
    expect(attemptChecks(s!).map((c) => (c.kind === 'run' ? c.run : c.kind))).toEqual([
      'node --test test/add.test.js',
      'file_exists',
      'node cli.js --bad',
    ]);
  });

  it('reports a bad criterion check at its line', () => {
    const { spec: s, problems } = spec([
      '- [ ] a <!-- check: expr: tests.failed == 0 -->',
      '- [ ] b <!-- check: file_exists: /etc/passwd -->',
      '- [ ] c <!-- check: -->',
    ]);
    expect(s).toBeUndefined();
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '8: a criterion check cannot be an expr check: use run, file_exists or file_contains',
      '9: file_exists must be relative to the repository root (got "/etc/passwd")',
      '10: the check of this criterion is not valid: write it like a checks: entry, e.g. <!-- check: run: npm test -- add -->',
    ]);
  });
});
