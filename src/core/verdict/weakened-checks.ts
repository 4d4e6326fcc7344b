import { pathOf, type DiffFile, type DiffLine } from './guard-diff.js';
import { isCodeFile } from './guard-test-files.js';
import { isComment } from './skip-markers.js';

/**
 * Two ways to pass a check without making the code better, read from an attempt's diff:
 * a lint/type-check suppression comment added (the finding is silenced, not fixed), and a
 * test's assertions removed or replaced by ones that cannot fail. Like the skip markers,
 * only added lines count, and a line that merely moved (as many removed as added) is not new.
 * Pure: the diff comes from guard-git.ts.
 */

/** A suppression marker: what it silences, and its pattern. */
interface Suppression {
  label: string;
  pattern: RegExp;
}

/**
 * Comments and attributes that switch a linter or type checker off for a line, a block or
 * a file. Languages are not told apart: the markers are specific enough on their own.
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  { label: 'eslint-disable', pattern: /\beslint-disable(?:-next-line|-line)?\b/ },
  { label: '@ts-ignore / @ts-nocheck', pattern: /@ts-(?:ignore|nocheck|expect-error)\b/ },
  { label: 'biome-ignore / deno-lint-ignore', pattern: /\b(?:biome|deno-lint|oxlint)-ignore\b/ },
  { label: '# noqa', pattern: /#\s*(?:noqa\b|flake8:\s*noqa\b|ruff:\s*noqa\b)/i },
  {
    label: '# type: ignore / pyright: ignore',
    pattern: /#\s*(?:type:\s*ignore|pyright:\s*(?:ignore|basic)|mypy:\s*ignore-errors)\b/,
  },
  { label: '# pylint: disable', pattern: /#\s*pylint:\s*disable\b/ },
  { label: '#[allow(…)] (Rust)', pattern: /#!?\[\s*allow\s*\(/ },
  { label: '//nolint (Go)', pattern: /\/\/\s*(?:nolint\b|lint:ignore\b)/ },
  { label: '# rubocop:disable', pattern: /#\s*rubocop:\s*(?:disable|todo)\b/ },
  { label: '@SuppressWarnings / @Suppress', pattern: /@Suppress(?:Warnings|Lint)?\s*\(/ },
  {
    label: '#pragma warning disable / [SuppressMessage]',
    pattern: /#pragma\s+warning\s+disable\b|\[\s*(?:assembly:\s*)?SuppressMessage\b/,
  },
  {
    label: '@phpstan-ignore / @psalm-suppress / phpcs:ignore',
    pattern: /@phpstan-ignore|@psalm-suppress\b|\bphpcs:(?:ignore|disable)\b/,
  },
  { label: 'swiftlint:disable', pattern: /\bswiftlint:disable\b/ },
];

/** An added line that weakens a check. */
export interface WeakenedLine {
  file: string;
  line: number;
  text: string;
  /** What it is, for feedback: "eslint-disable", "expect(true)". */
  label: string;
}

/** Lines of `lines` that `pattern` matches. */
function matching(lines: readonly DiffLine[], pattern: RegExp): DiffLine[] {
  return lines.filter((l) => pattern.test(l.text));
}

/** New lint/type suppressions in `file` (any code file: code anywhere can be linted). */
export function addedSuppressions(file: DiffFile): WeakenedLine[] {
  const path = pathOf(file);
  if (file.binary || file.added.length === 0 || !isCodeFile(path)) return [];
  const out: WeakenedLine[] = [];
  const seen = new Set<number>();
  for (const s of SUPPRESSIONS) {
    const added = matching(file.added, s.pattern);
    if (added.length === 0 || added.length <= matching(file.removed, s.pattern).length) continue;
    for (const l of added) {
      if (seen.has(l.line)) continue;
      seen.add(l.line);
      out.push({ file: path, line: l.line, text: l.text.trim(), label: s.label });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Calls that assert, in the test frameworks mmm knows: expect(…), assert…(…), assert.x(…),
 * Assert.X(…), assertThat, require.X (testify), $this->assertX, Python's `assert`,
 * Rust's assert!/assert_eq!, Go's t.Error/t.Fatal, RSpec's expect { }.
 */
const ASSERTION =
  /(?<![\w$])(?:expect|assert\w*|assert\.\w+|Assert\.\w+|require\.\w+|should)\s*[({!]|^\s*assert\s|\b[tb]\.(?:Errorf?|Fatalf?|Fail(?:Now)?)\s*\(/g;

/** Literals: a value no code under test computed. */
const LIT = String.raw`(?:true|false|True|False|None|null|nil|undefined|-?\d+(?:\.\d+)?|'[^'\\]*'|"[^"\\]*")`;

/**
 * Assertions that cannot fail: a literal checked against a literal or against nothing
 * (`expect(true).toBe(true)`, `assert True`, `assertTrue(true)`, `assert!(true)`), or a value
 * compared with itself (`expect(x).toBe(x)`, `assert.equal(x, x)`, `assert x == x`).
 */
const TRIVIAL: RegExp[] = [
  new RegExp(String.raw`(?<![\w$])expect\s*\(\s*${LIT}\s*\)`),
  new RegExp(
    String.raw`(?<![\w$])(?:assert\w*|assert\.\w+|Assert\.\w+|require\.\w+)\s*!?\(\s*${LIT}\s*(?:\)|,\s*${LIT}\s*[,)])`,
  ),
  new RegExp(String.raw`^\s*assert\s+(?:not\s+)?${LIT}\s*(?:(?:==|is|!=)\s*${LIT}\s*)?(?:,|$)`),
  /(?<![\w$])expect\s*\(\s*([\w$.]+(?:\([^()]*\))?)\s*\)\s*\.(?:to\w*|eq)\s*\(\s*\1\s*\)/,
  /(?<![\w$])(?:assert\w*|assert\.\w+|Assert\.\w+)\s*!?\(\s*([\w$.]+(?:\([^()]*\))?)\s*,\s*\1\s*[,)]/,
  /^\s*assert\s+([\w.]+(?:\([^()]*\))?)\s*==\s*\1\s*$/,
];

function assertionCount(lines: readonly DiffLine[]): number {
  let n = 0;
  for (const l of lines) if (!isComment(l.text)) n += l.text.match(ASSERTION)?.length ?? 0;
  return n;
}

export interface WeakenedAssertions {
  /** Assertions that cannot fail, added. */
  trivial: WeakenedLine[];
  /** More assertions removed than added: the removed assertion lines. */
  removed: DiffLine[];
}

/**
 * How `file`'s change (a test file) weakens its assertions: trivial ones added (in a new
 * test too: a test that cannot fail proves no criterion), and, for a file changed in
 * place, more assertions removed than added. Moved lines are not new.
 */
export function weakenedAssertions(file: DiffFile): WeakenedAssertions {
  const none = { trivial: [], removed: [] };
  if (file.binary || file.status === 'deleted') return none;
  const path = pathOf(file);
  const isTrivial = (l: DiffLine) => !isComment(l.text) && TRIVIAL.some((re) => re.test(l.text));
  const added = file.added.filter(isTrivial);
  const trivial =
    added.length > file.removed.filter(isTrivial).length
      ? added.map((l) => ({
          file: path,
          line: l.line,
          text: l.text.trim(),
          label: 'assertion that cannot fail',
        }))
      : [];
  if (file.status === 'added') return { trivial, removed: [] };
  const lost = assertionCount(file.removed) - assertionCount(file.added);
  const removed =
    lost > 0
      ? file.removed.filter((l) => !isComment(l.text) && (l.text.match(ASSERTION)?.length ?? 0) > 0)
      : [];
  return { trivial, removed };
}
