import { describe, expect, it } from 'vitest';
import type { DiffFile } from '../../src/core/verdict/guard-diff.js';
import { TestFiles } from '../../src/core/verdict/guard-test-files.js';
import {
  describeViolation,
  guardViolations,
  type GuardViolation,
} from '../../src/core/verdict/guard.js';

/**
 * Checks weakened in place (qa-verdicts): each of these edits ran green here with the real
 * tool (eslint 10.15 with `no-unused-vars: error`, tsc with `strict`, node --test 20.20)
 * and the verdict accepted it, because the finding was silenced or the assertion could no
 * longer fail. The guard reads them from the diff.
 */
function edit(path: string, added: string[], removed: string[] = []): DiffFile {
  return {
    oldPath: path,
    newPath: path,
    status: 'modified',
    binary: false,
    added: added.map((text, i) => ({ line: i + 10, text })),
    removed: removed.map((text, i) => ({ line: i + 10, text })),
  };
}

function violations(...files: DiffFile[]): GuardViolation[] {
  return guardViolations({
    files,
    testFiles: new TestFiles(),
    rules: [],
    allowEdit: [],
    contentAfter: new Map(),
  });
}

const kinds = (v: GuardViolation[]) => v.map((x) => `${x.kind}:${x.file}`);

describe('lint and type-check suppressions', () => {
  const SUPPRESSED: [string, string][] = [
    ['src/a.js', '// eslint-disable-next-line no-unused-vars'],
    ['src/a.js', '/* eslint-disable */'],
    ['src/a.ts', '// @ts-ignore'],
    ['src/a.ts', '// @ts-expect-error wrong type on purpose'],
    ['src/a.ts', '// @ts-nocheck'],
    ['src/a.ts', '// biome-ignore lint/style: later'],
    ['app/a.py', 'import os  # noqa: F401'],
    ['app/a.py', 'x: int = "a"  # type: ignore[assignment]'],
    ['app/a.py', '# ruff: noqa'],
    ['app/a.py', '# pylint: disable=unused-import'],
    ['src/lib.rs', '#[allow(dead_code)]'],
    ['src/lib.rs', '#![allow(clippy::all)]'],
    ['pkg/a.go', 'x := 1 //nolint:ineffassign'],
    ['lib/a.rb', '# rubocop:disable Metrics/AbcSize'],
    ['src/main/java/A.java', '@SuppressWarnings("unchecked")'],
    ['src/A.cs', '#pragma warning disable CS0168'],
    ['src/A.php', '/** @phpstan-ignore-next-line */'],
    ['Sources/A.swift', '// swiftlint:disable force_cast'],
  ];
  it.each(SUPPRESSED)('%s: %s', (path, line) => {
    const v = violations(edit(path, ['const a = 1;', line]));
    expect(kinds(v)).toEqual([`suppression:${path}`]);
    expect(describeViolation(v[0]!)).toContain(`lint/type-check suppression added: ${path}:11:`);
    expect(describeViolation(v[0]!)).toContain('fix the finding instead of silencing it');
  });

  it('does not count a suppression that only moved, or text that is not code', () => {
    const moved = edit(
      'src/a.js',
      ['  // eslint-disable-next-line no-console'],
      ['// eslint-disable-next-line no-console'],
    );
    expect(violations(moved)).toEqual([]);
    expect(
      violations(edit('docs/lint.md', ['Use `// eslint-disable-next-line` sparingly.'])),
    ).toEqual([]);
    expect(violations(edit('src/a.ts', ['const ignore = true; // not a directive']))).toEqual([]);
  });
});

describe('assertions weakened in a test file', () => {
  const TRIVIAL: [string, string, string][] = [
    ['test/add.test.js', '  expect(add(1, 2)).toBe(3);', '  expect(true).toBe(true);'],
    ['test/add.test.js', '  assert.equal(add(2, 3), 5);', '  assert.ok(true);'],
    ['test/add.test.js', '  assert.equal(add(2, 3), 5);', '  assert.equal(add(2, 3), add(2, 3));'],
    ['test/add.test.js', '  expect(add(1, 2)).toBe(3);', '  expect(add(1, 2)).toEqual(add(1, 2));'],
    ['tests/test_add.py', '    assert add(2, 3) == 5', '    assert True'],
    ['tests/test_add.py', '    self.assertEqual(add(2, 3), 5)', '        self.assertTrue(True)'],
    ['tests/test_add.py', '    assert add(2, 3) == 5', '    assert add(2, 3) == add(2, 3)'],
    ['tests/adds.rs', '    assert_eq!(add(2, 3), 5);', '    assert!(true);'],
    ['src/test/java/AddTest.java', '    assertEquals(5, add(2, 3));', '    assertEquals(1, 1);'],
    ['spec/add_spec.rb', '    expect(add(2, 3)).to eq(5)', '    expect(true).to eq(true)'],
  ];
  it.each(TRIVIAL)('%s: %s → %s', (path, before, after) => {
    const v = violations(edit(path, [after], [before]));
    expect(kinds(v)).toEqual([`trivial_assertion:${path}`]);
    expect(describeViolation(v[0]!)).toBe(
      `assertion that cannot fail added: ${path}:10: \`${after.trim()}\`; assert on the value the code under test computes`,
    );
  });

  it('names a trivial assertion in a new test file too (it would prove no criterion)', () => {
    const added: DiffFile = {
      ...edit('test/sub.test.js', ["test('subtracts', () => {", '  expect(1).toBe(1);', '});']),
      oldPath: null,
      status: 'added',
    };
    expect(kinds(violations(added))).toEqual(['trivial_assertion:test/sub.test.js']);
    // One that only moved within a file is not new.
    const moved = edit(
      'test/a.test.js',
      ['    expect(true).toBe(true);'],
      ['  expect(true).toBe(true);'],
    );
    expect(violations(moved)).toEqual([]);
  });

  it('names the assertions removed from a test whose other lines stay', () => {
    const v = violations(
      edit(
        'test/add.test.js',
        ['  // expect(add(-1, 1)).toBe(0);'],
        ['  expect(add(-1, 1)).toBe(0);', '  expect(add(0, 0)).toBe(0);'],
      ),
    );
    expect(kinds(v)).toEqual(['assertions_removed:test/add.test.js']);
    expect(describeViolation(v[0]!)).toBe(
      'assertions removed from test file test/add.test.js (more removed than added); the removed ones:\n' +
        '    10:   expect(add(-1, 1)).toBe(0);\n    11:   expect(add(0, 0)).toBe(0);',
    );
    const go = violations(
      edit(
        'calc/add_test.go',
        ['\t_ = got'],
        ['\tif got != 5 {', '\t\tt.Errorf("got %d", got)', '\t}'],
      ),
    );
    expect(kinds(go)).toEqual(['assertions_removed:calc/add_test.go']);
  });

  it('accepts honest test edits: a changed expectation, a new assertion, a rewrite that keeps them', () => {
    const honest = [
      edit('test/add.test.js', ['  expect(add(1, 2)).toBe(4);'], ['  expect(add(1, 2)).toBe(3);']),
      edit('test/add.test.js', ['  assert.equal(sub(5, 3), 2);']),
      edit(
        'tests/test_add.py',
        ['    assert add(2, 3) == 5, "adds"'],
        ['    assert add(2, 3) == 5'],
      ),
      edit(
        'src/test/java/AddTest.java',
        ['    assertEquals(5, add(2, 3));'],
        ['    assertEquals(add(2, 3), 5);'],
      ),
      edit('test/add.test.js', ['  expect(1 + add(1, 2)).toBe(4);']),
    ];
    for (const f of honest) expect(violations(f), JSON.stringify(f.added)).toEqual([]);
    // Assertions in code that is not a test are not the guard's business.
    expect(violations(edit('src/add.js', ['  return a + b;'], ['  assert(a >= 0);']))).toEqual([]);
  });
});

describe("a person's allow_edit opens its files to the content rules", () => {
  function opened(allowEdit: string[], ...files: DiffFile[]): GuardViolation[] {
    return guardViolations({
      files,
      testFiles: new TestFiles(),
      rules: [],
      allowEdit,
      contentAfter: new Map(),
    });
  }

  it('lets a spec that lists the files suppress, quarantine or retire them; others stay guarded', () => {
    const suppressed = edit('src/legacy/a.ts', ['// @ts-expect-error untyped legacy module']);
    const outside = edit('src/a.ts', ['// @ts-ignore']);
    const retired: DiffFile = {
      oldPath: 'tests/legacy.test.ts',
      newPath: null,
      status: 'deleted',
      binary: false,
      added: [],
      removed: [{ line: 1, text: "it('works', () => expect(f()).toBe(1));" }],
    };
    const v = opened(['src/legacy', 'tests/legacy.test.ts'], suppressed, outside, retired);
    expect(kinds(v)).toEqual(['suppression:src/a.ts']);
    // Without allow_edit the same diff is refused on all three.
    expect(kinds(violations(suppressed, outside, retired))).toEqual([
      'suppression:src/legacy/a.ts',
      'suppression:src/a.ts',
      'test_deleted:tests/legacy.test.ts',
    ]);
  });
});
