import { pathOf, type DiffFile, type DiffLine } from './guard-diff.js';

/**
 * Markers that skip, disable or focus tests (focusing one test silently skips the rest),
 * per language. The guard looks for them in the lines an attempt ADDS to test files; a
 * marker that was already there and only moved (as many removed as added) is not new.
 */
export interface SkipMarker {
  /** Short label for feedback, e.g. "it.skip". */
  label: string;
  /** File extensions (lower case) the marker means something in. */
  languages: readonly string[];
  pattern: RegExp;
  /** Also in files that are not test files (Rust keeps unit tests beside the code). */
  anyFile?: boolean;
  /** Written as a comment (Go build constraints): comment lines are not skipped. */
  inComments?: boolean;
}

const JS = ['js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts'];
const PY = ['py'];
const JVM = ['java', 'kt', 'kts', 'scala', 'groovy'];
const DOTNET = ['cs', 'fs', 'vb'];
const CPP = ['c', 'cc', 'cpp', 'cxx', 'h', 'hpp'];

export const SKIP_MARKERS: readonly SkipMarker[] = [
  // Jest, Vitest, Mocha, Jasmine, node:test, Bun, Playwright
  {
    label: 'it.skip / test.only / describe.todo',
    languages: JS,
    pattern:
      /\b(?:it|test|describe|suite|context|specify|bench)(?:\.\w+)*\.(?:skip|only|todo|fails|failing|skipIf|runIf)\b/,
  },
  {
    label: 'xit / xdescribe',
    languages: JS,
    pattern: /(?<![.\w$])x(?:it|test|describe|context|specify|suite)\s*\(\s*['"`]/,
  },
  {
    label: 'fit / fdescribe',
    languages: JS,
    pattern: /(?<![.\w$])f(?:it|describe|test)\s*\(\s*['"`]/,
  },
  {
    label: '{ skip: true } / { todo: … } (node:test)',
    languages: JS,
    pattern: /\b(?:skip|todo)\s*:\s*(?:true\b|['"`])/,
  },
  { label: '{ only: true }', languages: JS, pattern: /\bonly\s*:\s*true\b/ },
  {
    // A setup file (vitest.setup.ts, setupTests.js: often not named as a test) that
    // replaces the assertion library makes every test pass.
    label: 'test framework replaced (expect / assert overridden or mocked)',
    languages: JS,
    pattern:
      /\b(?:globalThis|global|window|self)\.(?:expect|assert|it|test|describe)\s*=(?!=)|\b(?:vi|jest)\.(?:mock|doMock)\s*\(\s*['"`](?:vitest|@jest\/globals|node:assert(?:\/strict)?|assert|chai|expect)['"`]/,
    anyFile: true,
  },
  { label: '{ ignore: true } (Deno)', languages: JS, pattern: /\bignore\s*:\s*true\b/ },
  {
    label: 't.skip() / this.skip()',
    languages: JS,
    pattern: /\b(?:t|this|ctx|context)\.(?:skip|todo)\s*\(/,
  },
  {
    label: "it['skip'] / skip() (test context)",
    languages: JS,
    pattern:
      /\b(?:it|test|describe|suite)\s*\[\s*['"`](?:skip|only|todo)['"`]\s*\]|\{\s*skip\s*[,}][^)]*\)\s*=>|(?<![.\w$])skip\s*\(\s*\)/,
  },
  // pytest, unittest
  {
    label: '@pytest.mark.skip / xfail / pytestmark',
    languages: PY,
    pattern: /(?:\bpytest\.|@)mark\.(?:skip|skipif|xfail)\b/,
  },
  {
    label: 'pytest.skip() / importorskip()',
    languages: PY,
    pattern: /\bpytest\.(?:skip|xfail|importorskip)\s*\(/,
  },
  {
    // conftest.py: hooks that rewrite outcomes or drop tests, and the ignore lists.
    label: 'pytest hook or collect_ignore that changes which tests run or how they end',
    languages: PY,
    pattern:
      /\bdef\s+pytest_(?:runtest_\w+|collection_modifyitems|ignore_collect|pycollect_\w+|collect_file|pyfunc_call|report_teststatus|deselected)\b|\b(?:collect_ignore(?:_glob)?|pytest_plugins)\b/,
  },
  {
    label: '@unittest.skip',
    languages: PY,
    pattern: /@(?:unittest\.)?(?:skip|skipIf|skipUnless|expectedFailure)\b/,
  },
  { label: 'skipTest / SkipTest', languages: PY, pattern: /\b(?:skipTest\s*\(|SkipTest\b)/ },
  {
    label: 'test framework replaced (assertions overridden)',
    languages: PY,
    pattern:
      /\b(?:unittest\.TestCase\.assert\w*|TestCase\.assert\w*|pytest\.fail|builtins\.AssertionError)\s*=(?!=)|\bmonkeypatch\.setattr\s*\(\s*(?:unittest\.TestCase|TestCase|pytest|["'](?:unittest|pytest)\.)/,
    anyFile: true,
  },
  // Go
  { label: 't.Skip', languages: ['go'], pattern: /\.Skip(?:Now|f)?\s*\(/ },
  {
    label: '//go:build constraint (leaves the test file out)',
    languages: ['go'],
    pattern: /^\s*\/\/(?:go:build\s|\s*\+build\s)/,
    inComments: true,
  },
  // Rust
  { label: '#[ignore]', languages: ['rs'], pattern: /#\[\s*ignore\b/, anyFile: true },
  // JUnit 4/5, Spock, Kotest
  {
    label: '@Disabled / @Ignore',
    languages: JVM,
    pattern: /@(?:Disabled\w*|Enabled\w*|Ignore|PendingFeature|IgnoreIf|Requires)\b/,
  },
  {
    label: 'assumeTrue / assumeFalse (JUnit assumption)',
    languages: JVM,
    pattern: /\bassume(?:True|False|That|NotNull|NoException)\s*\(/,
  },
  // NUnit, MSTest, xUnit
  { label: '[Ignore]', languages: DOTNET, pattern: /\[\s*(?:\w+\s*,\s*)*Ignore\b/ },
  { label: 'Skip = (xUnit)', languages: DOTNET, pattern: /\bSkip\s*=/ },
  { label: 'Skip.If (xUnit)', languages: DOTNET, pattern: /\bSkip\.(?:If|IfNot)\s*\(/ },
  {
    label: 'Assert.Ignore / Inconclusive',
    languages: DOTNET,
    pattern: /\bAssert\.(?:Ignore|Inconclusive)\s*\(/,
  },
  // RSpec, minitest
  { label: 'skip / pending (Ruby)', languages: ['rb'], pattern: /^\s*(?:skip|pending)\b/ },
  {
    label: 'xit / xdescribe (RSpec)',
    languages: ['rb'],
    pattern: /(?<![.\w])[xf](?:it|describe|context|specify|feature|scenario)\b/,
  },
  {
    label: ':skip / :focus metadata (RSpec)',
    languages: ['rb'],
    pattern:
      /(?:,\s*:(?:skip|pending|focus)\b|\b(?:skip|pending|focus)\s*(?::|=>)\s*(?:true\b|['"]))/,
  },
  // PHPUnit, Pest
  {
    label: 'markTestSkipped (PHPUnit)',
    languages: ['php'],
    pattern: /\bmarkTest(?:Skipped|Incomplete)\s*\(/,
  },
  { label: '->skip() (Pest)', languages: ['php'], pattern: /->(?:skip|todo|only)\s*\(/ },
  // ExUnit
  { label: '@tag :skip (ExUnit)', languages: ['ex', 'exs'], pattern: /@(?:module)?tag\s+:?skip\b/ },
  // XCTest, swift-testing
  {
    label: 'XCTSkip / .disabled',
    languages: ['swift'],
    pattern: /\b(?:XCTSkip(?:If|Unless)?\b|\.disabled\s*\()/,
  },
  // Dart
  {
    label: 'skip: (Dart test)',
    languages: ['dart'],
    pattern: /\b(?:skip\s*:\s*(?:true\b|['"])|solo\s*:\s*true\b)/,
  },
  // GoogleTest
  { label: 'GTEST_SKIP / DISABLED_', languages: CPP, pattern: /\b(?:GTEST_SKIP\s*\(|DISABLED_\w)/ },
];

/** A marker the attempt added: where, and the line as written. */
export interface AddedMarker {
  file: string;
  line: number;
  text: string;
  marker: string;
}

function extensionOf(path: string): string {
  const name = path.split('/').at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * A comment line: it cannot skip or assert anything (Rust and PHP attributes start with
 * `#[`, so they are code).
 */
export function isComment(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('#[')) return false;
  return /^(?:\/\/|\/\*|\*|#|--)/.test(t);
}

/** The markers of `language` that `text` carries. */
export function markersIn(text: string, extension: string): SkipMarker[] {
  return SKIP_MARKERS.filter(
    (m) =>
      m.languages.includes(extension) &&
      (m.inComments === true || !isComment(text)) &&
      m.pattern.test(text),
  );
}

/**
 * Skip/only markers added by `file`'s change. `isTest` says whether the file is a test
 * file; markers count only there (except those marked `anyFile`).
 */
export function addedMarkers(file: DiffFile, isTest: boolean): AddedMarker[] {
  const path = pathOf(file);
  const ext = extensionOf(path);
  const relevant = SKIP_MARKERS.filter(
    (m) => m.languages.includes(ext) && (isTest || m.anyFile === true),
  );
  if (relevant.length === 0 || file.binary) return [];
  const out: AddedMarker[] = [];
  for (const marker of relevant) {
    const count = (lines: DiffLine[]) =>
      lines.filter(
        (l) => (marker.inComments === true || !isComment(l.text)) && marker.pattern.test(l.text),
      );
    const added = count(file.added);
    if (added.length === 0) continue;
    // Moved or re-indented, not new: as many of them were removed as added.
    if (added.length <= count(file.removed).length) continue;
    for (const l of added)
      out.push({ file: path, line: l.line, text: l.text.trim(), marker: marker.label });
  }
  // One report per line, even when two patterns see it.
  const seen = new Set<number>();
  return out
    .filter((m) => (seen.has(m.line) ? false : (seen.add(m.line), true)))
    .sort((a, b) => a.line - b.line);
}
