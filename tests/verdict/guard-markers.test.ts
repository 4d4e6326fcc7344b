import { describe, expect, it } from 'vitest';
import type { DiffFile } from '../../src/core/verdict/guard-diff.js';
import { isTestPath } from '../../src/core/verdict/guard-test-files.js';
import { addedMarkers } from '../../src/core/verdict/skip-markers.js';

function edit(path: string, added: string[], removed: string[] = []): DiffFile {
  return {
    oldPath: path,
    newPath: path,
    status: 'modified',
    binary: false,
    added: added.map((text, i) => ({ line: i + 1, text })),
    removed: removed.map((text, i) => ({ line: i + 1, text })),
  };
}

/** [test file, an added line that skips or focuses a test] per ecosystem. */
const CHEATS: [string, string][] = [
  ['src/add.test.ts', "it.skip('adds', () => {"],
  ['src/add.spec.js', "describe.only('add', () => {"],
  ['test/add.test.mjs', "test('adds', { skip: 'flaky' }, () => {"],
  ['test/add.test.mjs', "  t.skip('later');"],
  ['test/add.js', "xit('adds', () => {"],
  ['__tests__/add.js', "it.todo('adds');"],
  ['tests/test_add.py', '@pytest.mark.skip(reason="later")'],
  ['tests/test_add.py', '@pytest.mark.xfail'],
  ['tests/test_add.py', '    @unittest.skip("broken")'],
  ['tests/test_add.py', '        self.skipTest("later")'],
  ['add_test.go', '\tt.Skip("flaky")'],
  ['src/lib.rs', '    #[ignore]'],
  ['src/test/java/AddTest.java', '    @Disabled("later")'],
  ['src/test/java/AddTest.java', '    @Ignore'],
  ['Calc.Tests/AddTests.cs', '    [Fact(Skip = "later")]'],
  ['Calc.Tests/AddTests.cs', '    [Test, Ignore("later")]'],
  ['spec/add_spec.rb', '    pending'],
  ['spec/add_spec.rb', "  xit 'adds' do"],
  ['test/add_test.rb', '    skip "later"'],
  ['tests/AddTest.php', '        $this->markTestSkipped("later");'],
  ['test/add_test.exs', '  @tag :skip'],
  ['Tests/AddTests.swift', '        throw XCTSkip("later")'],
  ['test/add_test.dart', "  test('adds', () {}, skip: true);"],
  ['test/add_test.cc', 'TEST(Add, DISABLED_Adds) {'],
];

/**
 * Skips the first list missed (qa-verdicts). Checked with the real runners here: with
 * `pytestmark = pytest.mark.skip` pytest 9.0.3 exits 0 ("1 skipped"); with `//go:build
 * ignore` go 1.19 prints "[no test files]" and exits 0; a `pytest_runtest_makereport`
 * hook setting `outcome = "passed"` turns a failing test green by name, so the verdict
 * cannot see it and the guard must.
 */
const MISSED_BEFORE: [string, string][] = [
  // pytest: a module-level mark skips every test of the file; marks= skips one param.
  ['tests/test_add.py', 'pytestmark = pytest.mark.skip(reason="later")'],
  ['tests/test_add.py', '    pytest.param(1, 2, marks=pytest.mark.xfail),'],
  ['tests/test_add.py', '@mark.skipif(True, reason="later")'],
  ['tests/test_add.py', 'np = pytest.importorskip("numpy_that_is_not_installed")'],
  // conftest.py hooks and lists that change which tests run or how they end.
  ['conftest.py', 'def pytest_runtest_makereport(item, call):'],
  ['conftest.py', 'def pytest_collection_modifyitems(config, items):'],
  ['conftest.py', 'collect_ignore = ["tests/test_add.py"]'],
  ['tests/conftest.py', 'collect_ignore_glob.append("test_*.py")'],
  ['conftest.py', 'pytest_plugins = ["calc.force_pass"]'],
  // JS: bracket access and vitest's context skip.
  ['src/add.test.ts', "it['skip']('adds', () => {"],
  ['src/add.test.ts', "  test('adds', ({ skip }) => { skip();"],
  // RSpec metadata with a reason.
  ['spec/add_spec.rb', "  it 'adds', skip: 'later' do"],
  // Go: a build constraint that leaves the test file out of the package.
  ['add_test.go', '//go:build ignore'],
  ['add_test.go', '// +build ignore'],
  // JUnit assumptions and conditional execution.
  ['src/test/java/AddTest.java', '        Assumptions.assumeTrue(false);'],
  ['src/test/java/AddTest.java', '    @EnabledIf("never")'],
  // xUnit SkippableFact.
  ['Calc.Tests/AddTests.cs', '        Skip.If(true, "later");'],
  // A setup file that replaces the assertion library (not a test file by name).
  ['vitest.setup.ts', 'globalThis.expect = () => new Proxy({}, { get: () => () => {} });'],
  ['src/setupTests.js', "jest.mock('node:assert', () => ({ equal() {}, ok() {} }));"],
  ['tests/helpers/patch.py', 'unittest.TestCase.assertEqual = lambda *a, **k: None'],
];

describe('skip/only markers', () => {
  it.each(CHEATS)('%s: %s', (path, line) => {
    expect(isTestPath(path) || path.endsWith('.rs')).toBe(true);
    const found = addedMarkers(edit(path, [line]), isTestPath(path));
    expect(found.map((m) => `${m.file}:${m.line}`)).toEqual([`${path}:1`]);
  });

  it.each(MISSED_BEFORE)('%s: %s (missed before)', (path, line) => {
    const found = addedMarkers(edit(path, [line]), isTestPath(path));
    expect(found.map((m) => `${m.file}:${m.line}`)).toEqual([`${path}:1`]);
  });

  it('does not flag ordinary code in tests', () => {
    const honest: [string, string][] = [
      ['test/page.test.js', 'expect(db.find({ skip: 10, take: 5 })).toEqual([]);'],
      ['test/page.test.js', 'const model = fit(data);'],
      ['test/page.test.js', 'model.fit(x);'],
      ['tests/test_io.py', 'reader.skip(3)'],
      ['add_test.go', 'skip := 3'],
      ['spec/page_spec.rb', 'expect(page.skip).to eq(3)'],
      ['test/page.test.js', '// it.only is forbidden here'],
      ['test/page.test.js', 'const rows = list.skip(2);'],
      ['add_test.go', '// build the fixture first'],
      ['src/test/java/AddTest.java', '        assertTrue(sum > 0);'],
      ['tests/test_add.py', 'def pytest_configure(config):'],
      ['test/page.test.js', 'const expected = globalThis.expectedTotal;'],
      ['test/page.test.js', "vi.mock('./db.js', () => ({ find: () => [] }));"],
    ];
    for (const [path, line] of honest) {
      expect(addedMarkers(edit(path, [line]), true), `${path}: ${line}`).toEqual([]);
    }
  });

  it('counts markers only in test files (Rust attributes anywhere), and new ones only', () => {
    expect(addedMarkers(edit('src/list.js', ["it.skip('x')"]), false)).toEqual([]);
    expect(addedMarkers(edit('src/lib.rs', ['#[ignore]']), false)).toHaveLength(1);
    // Moved: as many removed as added.
    expect(addedMarkers(edit('a.test.js', ["it.skip('x')"], ["  it.skip('x')"]), true)).toEqual([]);
    expect(
      addedMarkers(edit('a.test.js', ["it.skip('x')", "it.skip('y')"], ["it.skip('x')"]), true),
    ).toHaveLength(2);
  });

  it('knows test files by ecosystem convention', () => {
    const tests = [
      'src/a.test.ts',
      'a.spec.tsx',
      'tests/test_a.py',
      'pkg/a_test.py',
      'conftest.py',
      'a_test.go',
      'tests/integration.rs',
      'spec/models/user_spec.rb',
      'test/user_test.rb',
      'src/test/java/com/x/UserTest.java',
      'src/test/kotlin/UserSpec.kt',
      'Calc.Tests/Calc.cs',
      'CalcTests.cs',
      'tests/Unit/UserTest.php',
      'test/user_test.exs',
      'Tests/CalcTests/CalcTests.swift',
      '__tests__/a.js',
      'test/a.bats',
    ];
    const notTests = [
      'src/a.ts',
      'specs/01-add.md',
      'tests/README.md',
      'tests/fixtures/data.json',
      'node_modules/x/a.test.js',
      'src/latest.java',
      'src/Contest.java',
    ];
    for (const p of tests) expect(isTestPath(p), p).toBe(true);
    for (const p of notTests) expect(isTestPath(p), p).toBe(false);
  });
});
