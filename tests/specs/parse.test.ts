import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatProblem, parseSpec } from '../../src/core/specs/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const read = (path: string) => readFileSync(`${fixtures}${path}`);

function parseFixture(dir: string, name: string) {
  return parseSpec(`specs/${name}`, read(`${dir}/${name}`));
}

describe('parseSpec: accepted styles', () => {
  it('reads every key of the mmm style', () => {
    const { spec, problems } = parseFixture('styles', '01-project-setup.md');
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({
      id: 'project-setup',
      number: 1,
      title: 'Set up the project skeleton',
      file: 'specs/01-project-setup.md',
      status: 'done',
      priority: 'critical',
      category: 'chore',
      dependsOn: [],
      files: ['package.json', 'src/**/*.ts'],
      maxAttempts: 2,
      budget: { usd: 1.5, tokens: 400000 },
    });
    expect(spec?.checks).toEqual([
      { kind: 'run', run: 'npm test', expectExit: 0, line: 17 },
      {
        kind: 'run',
        run: 'npm run lint -- --max-warnings 0',
        expectExit: 0,
        timeout: 120,
        line: 18,
      },
      { kind: 'file_exists', path: 'src/index.ts', line: 21 },
      { kind: 'file_contains', path: 'package.json', pattern: '"type":\\s*"module"', line: 22 },
      { kind: 'expr', expr: 'tests.failed == 0 && lint.errors == 0', line: 25 },
    ]);
    expect(spec?.criteria.map((c) => [c.done, c.line])).toEqual([
      [true, 40],
      [true, 41],
      [true, 42],
    ]);
    expect(Object.keys(spec?.sections ?? {})).toEqual([
      'Objective',
      'Requirements',
      'Acceptance Criteria',
      'Technical Details',
      'Notes',
    ]);
    expect(spec?.sections.Objective).toBe(
      'Create a TypeScript package that builds, tests and lints.',
    );
  });

  it('reads the prodigy style: number, dependencies as numbers, status draft', () => {
    const { spec, problems } = parseFixture('styles', '02-retry-policy.md');
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({
      id: 'retry-policy',
      number: 2,
      title: 'Retry policy for HTTP calls',
      status: 'draft',
      priority: 'high',
      category: 'feature',
      dependsOn: ['1'],
    });
    // The fenced example is neither a heading nor a criterion.
    expect(spec?.criteria.map((c) => c.text)).toEqual([
      '429 and 5xx are retried, 4xx are not',
      '`Retry-After` is honored and capped',
      'Backoff doubles each attempt',
    ]);
    expect(spec?.criteria.map((c) => c.done)).toEqual([false, false, true]);
    expect(spec?.sections['Acceptance Criteria']).toContain('this fenced example');
  });

  it('reads a bare file: title from the H1, id from the file name, defaults', () => {
    const { spec, problems } = parseFixture('styles', '03-metrics.md');
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({
      id: 'metrics',
      number: 3,
      title: 'Feature: Request metrics',
      status: 'ready',
      priority: 'medium',
      dependsOn: [],
      checks: [],
    });
    expect(spec?.criteria.map((c) => [c.text, c.done, c.line])).toEqual([
      ['`--stats` prints requests, retries and failures', false, 9],
      ['Counters are reset between runs', false, 10],
      ['The counter module has unit tests', true, 11],
    ]);
  });

  it('reads CRLF files with a lower-case criteria heading', () => {
    const { spec, problems } = parseFixture('styles', '04-crlf.md');
    expect(problems).toEqual([]);
    expect(spec?.dependsOn).toEqual(['project-setup', 'metrics']);
    expect(spec?.positions?.dependsOn).toEqual([
      { line: 5, column: 5 },
      { line: 6, column: 5 },
    ]);
    expect(spec?.criteria.map((c) => [c.text, c.line])).toEqual([
      ['Files with CRLF endings keep them', 12],
      ['Criteria are found', 13],
    ]);
  });

  it('ignores a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('---\ntitle: BOM\n---\n'),
    ]);
    const { spec, problems } = parseSpec('specs/05-bom.md', bytes);
    expect(problems).toEqual([]);
    expect(spec?.title).toBe('BOM');
  });

  it('accepts status spellings from the wild', () => {
    const status = (s: string) =>
      parseSpec('specs/x.md', Buffer.from(`---\ntitle: X\nstatus: ${s}\n---\n`)).spec?.status;
    expect(status('in_progress')).toBe('in-progress');
    expect(status('Completed')).toBe('done');
    expect(status('READY')).toBe('ready');
  });
});

/** Each malformed fixture and the one message it must produce (file:line:col: message). */
const CORPUS: Record<string, string> = {
  'bad-id.md': '2:5: id must be a spec id',
  'bad-yaml.md':
    '4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented',
  'both-dependency-keys.md': '4:1: use either depends_on or dependencies, not both',
  'budget-scalar.md': '3:9: budget must be a mapping such as { usd: 2, tokens: 500000 } (got 5)',
  'cel-not-boolean.md':
    '4:12: CEL expression does not type-check: the expression must be true or false, but it is of type int',
  'cel-type-error.md': '4:11: CEL expression does not type-check: no such overload: int == string',
  'check-entry-string.md':
    '4:5: checks entry must be a mapping such as "- run: npm test" (got "npm test")',
  'checks-not-a-list.md': '3:9: checks must be a list',
  'depends-on-mapping-entry.md':
    '5:5: depends_on entries must be spec ids or spec numbers (got a mapping)',
  'depends-on-scalar.md': '7:13: depends_on must be a list of spec ids',
  'duplicate-key.md': '4:1: invalid YAML: Map keys must be unique',
  'empty-run.md': '4:10: run must be a shell command (got "")',
  'empty.md': '1:1: file is empty',
  'expect-exit-negative.md': '5:18: expect_exit must be an exit code from 0 to 255 (got -1)',
  'file-contains-no-pattern.md': '4:20: file_contains needs a "pattern"',
  'file-exists-outside.md':
    '4:18: file_exists must stay inside the repository (got "../../etc/passwd")',
  'frontmatter-list.md': '2:1: frontmatter must be a mapping of keys to values',
  'invalid-cel.md': '4:31: invalid CEL expression: Unexpected token: EOF',
  'invalid-regex.md':
    '6:16: file_contains pattern is not a valid regular expression: Unterminated character class',
  'max-attempts-zero.md': '3:15: max_attempts must be a positive whole number (got 0)',
  'misspelled-priority.md':
    '3:11: priority must be one of critical, high, medium, low (got "hihg"); did you mean "high"?',
  'no-title.md':
    '4:1: spec has no title: add "title: ..." to the frontmatter or a "# Title" heading',
  'title-empty.md': '2:8: title must be a non-empty text (got "")',
  'two-kinds.md': '5:5: a check has exactly one kind, found run and expr',
  'unclosed-frontmatter.md': '1:1: frontmatter opened with --- is never closed',
  'unknown-check-kind.md': '5:5: unknown check kind "command"',
  'wrong-status.md':
    '3:9: status must be one of draft, ready, in-progress, done, failed, blocked (got "finished")',
};

describe('parseSpec: malformed corpus', () => {
  it('has an expectation for every fixture', () => {
    const files = readdirSync(`${fixtures}malformed`).filter((f) => f !== 'many-problems.md');
    expect(files.sort()).toEqual(Object.keys(CORPUS).sort());
  });

  for (const [name, expected] of Object.entries(CORPUS)) {
    it(`${name} → ${expected}`, () => {
      const { spec, problems } = parseFixture('malformed', name);
      expect(spec).toBeUndefined();
      const errors = problems.filter((p) => p.severity === 'error').map(formatProblem);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`specs/${name}:${expected}`);
    });
  }

  it('reports every problem of a file in one pass', () => {
    const { problems } = parseFixture('malformed', 'many-problems.md');
    expect(problems.map((p) => `${p.line}:${p.column}`)).toEqual([
      '3:9',
      '4:11',
      '5:13',
      '6:15',
      '8:14',
    ]);
  });

  it('points at the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([
      Buffer.from('---\ntitle: café\n---\n# x'),
      Buffer.from([0xc3, 0x28]),
    ]);
    const { spec, problems } = parseSpec('specs/latin1.md', bytes);
    expect(spec).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      'specs/latin1.md:4:4: file is not valid UTF-8 (the first invalid byte is here): save it with UTF-8 encoding',
    ]);
  });

  it('treats a whitespace-only file as empty', () => {
    expect(parseSpec('specs/blank.md', Buffer.from('\n  \n')).problems[0]?.message).toMatch(
      /^file is empty/,
    );
  });
});

describe('parseSpec: warnings', () => {
  const warnings = (text: string) =>
    parseSpec('specs/w.md', Buffer.from(text)).problems.map((p) => [p.severity, formatProblem(p)]);

  it('warns about unknown keys with a did-you-mean, and still returns the spec', () => {
    const text = '---\ntitle: W\ndepend_on: [a]\ncolour: red\n---\n';
    const result = parseSpec('specs/w.md', Buffer.from(text));
    expect(result.spec?.title).toBe('W');
    expect(warnings(text)).toEqual([
      [
        'warning',
        'specs/w.md:3:1: warning: unknown key "depend_on" (did you mean "depends_on"?); it is ignored',
      ],
      ['warning', 'specs/w.md:4:1: warning: unknown key "colour"; it is ignored'],
    ]);
  });

  it('warns about unknown check options and budget keys', () => {
    const text =
      '---\ntitle: W\nbudget: { usd: 1, tokns: 5 }\nchecks:\n  - run: make\n    expect_exti: 1\n---\n';
    expect(warnings(text)).toEqual([
      [
        'warning',
        'specs/w.md:3:19: warning: unknown key "tokns" in budget (did you mean "tokens"?); it is ignored',
      ],
      [
        'warning',
        'specs/w.md:6:5: warning: unknown key "expect_exti" in a run check (did you mean "expect_exit"?); it is ignored',
      ],
    ]);
  });

  it('warns about unknown fields of CEL variables', () => {
    const text = '---\ntitle: W\nchecks:\n  - expr: tests.fails == 0 && lint.errors == 0\n---\n';
    expect(warnings(text)).toEqual([
      [
        'warning',
        'specs/w.md:4:17: warning: tests has no field "fails" (did you mean "failed"?); its fields: ok, passed, failed, exit_code',
      ],
    ]);
  });

  it('warns about unknown CEL variables at their column', () => {
    const text =
      '---\ntitle: W\nchecks:\n  - expr: "test.failed == 0 && checks.all(c, c.ok)"\n---\n';
    expect(warnings(text)).toEqual([
      [
        'warning',
        'specs/w.md:4:12: warning: unknown variable "test" in expr (did you mean "tests"?); known: tests, lint, typecheck, build, checks',
      ],
    ]);
  });
});

describe('docs/specs.md', () => {
  it('has examples that parse without problems', () => {
    const doc = readFileSync(new URL('../../docs/specs.md', import.meta.url), 'utf8');
    const examples = [...doc.matchAll(/```markdown\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(examples.length).toBe(6);
    examples.forEach((text, i) => {
      const { spec, problems } = parseSpec(`specs/0${i + 1}-example.md`, Buffer.from(text));
      expect(problems).toEqual([]);
      expect(spec?.criteria.length).toBeGreaterThan(0);
    });
  });
});
