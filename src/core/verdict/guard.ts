import type { DiffFile, DiffLine } from './guard-diff.js';
import { isTestName, type TestFiles } from './guard-test-files.js';
import { changedCheckSections, type ConfigChange } from './check-config.js';
import {
  CHECK_CONFIG_WHY,
  globMatcher,
  protectedChanges,
  type ProtectedRule,
} from './protected-paths.js';
import { addedMarkers } from './skip-markers.js';
import { addedSuppressions, weakenedAssertions } from './weakened-checks.js';

/**
 * The integrity guard's rules over an attempt's diff: a test file may not be deleted or
 * emptied, no skip/only marker may be added to a test, a test's assertions may not be
 * removed or made trivial, no lint/type suppression may be added, no protected path may change.
 * Pure functions; guard-git.ts gathers the diff and the facts they need.
 */
export type GuardViolation =
  | { kind: 'test_deleted'; file: string; removed: DiffLine[]; movedTo?: string }
  | { kind: 'test_emptied'; file: string; removed: DiffLine[] }
  | { kind: 'skip_marker'; file: string; line: number; text: string; marker: string }
  | { kind: 'suppression'; file: string; line: number; text: string; marker: string }
  | { kind: 'trivial_assertion'; file: string; line: number; text: string }
  | { kind: 'assertions_removed'; file: string; removed: DiffLine[] }
  | { kind: 'protected'; file: string; pattern: string; why: string }
  | ({ kind: 'check_config' } & ConfigChange);

export interface GuardInput {
  files: readonly DiffFile[];
  testFiles: TestFiles;
  rules: readonly ProtectedRule[];
  /** The spec's `allow_edit:` globs. */
  allowEdit: readonly string[];
  /** Text after the attempt of the test files `emptiedCandidates` named. */
  contentAfter: ReadonlyMap<string, string>;
  /** The commands the validation runs (their package scripts and make targets are guarded). */
  checkCommands?: readonly string[];
  /** Text before and after the attempt of the changed shared files (isSharedCheckConfig). */
  configTexts?: ReadonlyMap<string, { before?: string; after?: string }>;
  /** Directories of added files that held no tracked file before the attempt. */
  newDirs?: ReadonlySet<string>;
}

/** The directory of a repository path ('' at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Modified test files that lost lines: their text after the attempt decides "emptied". */
export function emptiedCandidates(files: readonly DiffFile[], testFiles: TestFiles): string[] {
  return files
    .filter(
      (f) =>
        (f.status === 'modified' || f.status === 'renamed') &&
        f.newPath !== null &&
        f.removed.length > 0 &&
        !f.binary &&
        testFiles.has(f.newPath),
    )
    .map((f) => f.newPath as string);
}

/** Nothing but blank lines and comments is left. */
export function isEffectivelyEmpty(text: string): boolean {
  return text
    .split('\n')
    .map((l) => l.trim())
    .every(
      (l) =>
        l === '' ||
        (/^(?:\/\/|\/\*|\*|#(?!\[)|--|<!--)/.test(l) && !/^#\s*include\b/.test(l)) ||
        l === '*/' ||
        l === '"""' ||
        l === "'''",
    );
}

export function guardViolations(input: GuardInput): GuardViolation[] {
  const { testFiles } = input;
  const out: GuardViolation[] = [];
  const changed = new Set<string>();
  // A person's `allow_edit:` opens its files to every rule below (a spec that retires a
  // module and its tests, or quarantines a flaky suite); the verdict still needs every test
  // that passed at the baseline to pass. Review proposals cannot carry allow_edit.
  const opened = input.allowEdit.map(globMatcher);
  const isOpen = (p: string | null): boolean => p !== null && opened.some((m) => m(p));
  for (const f of input.files) {
    if (f.oldPath) changed.add(f.oldPath);
    if (f.newPath) changed.add(f.newPath);
    if (isOpen(f.oldPath) || isOpen(f.newPath)) continue;
    const oldIsTest = f.oldPath !== null && testFiles.has(f.oldPath);
    if (f.status === 'deleted' && oldIsTest) {
      out.push({ kind: 'test_deleted', file: f.oldPath as string, removed: f.removed });
      continue;
    }
    // Renamed to a path that is not a test, or out of the naming convention that made it one
    // (`tests/test_calc.py` → `tests/calc_cases.py`: pytest no longer collects it).
    const leftSuite =
      f.status === 'renamed' &&
      oldIsTest &&
      f.newPath !== null &&
      (!testFiles.has(f.newPath) ||
        (isTestName(f.oldPath as string) && !isTestName(f.newPath) && !testFiles.named(f.newPath)));
    if (leftSuite) {
      out.push({
        kind: 'test_deleted',
        file: f.oldPath as string,
        removed: f.removed,
        movedTo: f.newPath as string,
      });
    }
    if (f.newPath === null) continue;
    const after = input.contentAfter.get(f.newPath);
    const emptied = after !== undefined && testFiles.has(f.newPath) && isEffectivelyEmpty(after);
    if (emptied) out.push({ kind: 'test_emptied', file: f.newPath, removed: f.removed });
    for (const m of addedMarkers(f, testFiles.has(f.newPath)))
      out.push({ kind: 'skip_marker', ...m });
    for (const s of addedSuppressions(f))
      out.push({ kind: 'suppression', file: s.file, line: s.line, text: s.text, marker: s.label });
    if (emptied || !testFiles.has(f.newPath)) continue;
    const weak = weakenedAssertions(f);
    for (const t of weak.trivial)
      out.push({ kind: 'trivial_assertion', file: t.file, line: t.line, text: t.text });
    if (weak.removed.length)
      out.push({ kind: 'assertions_removed', file: f.newPath, removed: weak.removed });
  }
  const added = new Set(input.files.filter((f) => f.status === 'added').map((f) => f.newPath));
  for (const c of protectedChanges([...changed].sort(), input.rules, input.allowEdit)) {
    // A new package's own config (packages/new/tsconfig.json) governs only the new code
    // beside it: what the task creates, not a check loosened.
    const newPackage =
      c.rule.why === CHECK_CONFIG_WHY && added.has(c.path) && input.newDirs?.has(dirOf(c.path));
    if (newPackage) continue;
    out.push({ kind: 'protected', file: c.path, pattern: c.rule.pattern, why: c.rule.why });
  }
  for (const [path, t] of input.configTexts ?? []) {
    if (opened.some((m) => m(path))) continue;
    for (const c of changedCheckSections(path, t.before, t.after, input.checkCommands ?? []))
      out.push({ kind: 'check_config', ...c });
  }
  return out;
}

/** Lines of a removed file shown in feedback, per file. */
const SHOWN_LINES = 20;

function removedLines(removed: DiffLine[]): string {
  const shown = removed.slice(0, SHOWN_LINES).map((l) => `    ${l.line}: ${l.text}`);
  if (removed.length > SHOWN_LINES) shown.push(`    … ${removed.length - SHOWN_LINES} more lines`);
  return shown.join('\n');
}

/** A config section's text on one line, cut short. */
function shown(text: string | undefined): string {
  if (text === undefined) return '(absent)';
  const one = text.trim().replace(/\s*\n\s*/g, '; ');
  return `\`${one.length > 120 ? `${one.slice(0, 117)}…` : one}\``;
}

export function describeViolation(v: GuardViolation): string {
  switch (v.kind) {
    case 'test_deleted':
      return v.movedTo
        ? `test file moved out of the test suite: ${v.file} → ${v.movedTo}`
        : `test file deleted: ${v.file}${v.removed.length ? `; its deleted lines:\n${removedLines(v.removed)}` : ''}`;
    case 'test_emptied':
      return `test file emptied: ${v.file}; its deleted lines:\n${removedLines(v.removed)}`;
    case 'skip_marker':
      return `skip/only marker added: ${v.file}:${v.line}: ${v.text} (${v.marker})`;
    case 'suppression':
      return `lint/type-check suppression added: ${v.file}:${v.line}: \`${v.text}\` (${v.marker}); fix the finding instead of silencing it`;
    case 'trivial_assertion':
      return `assertion that cannot fail added: ${v.file}:${v.line}: \`${v.text}\`; assert on the value the code under test computes`;
    case 'assertions_removed':
      return `assertions removed from test file ${v.file} (more removed than added); the removed ones:\n${removedLines(v.removed)}`;
    case 'check_config':
      return `check configuration changed: ${v.file} ${v.section}: ${shown(v.before)} → ${shown(v.after)}; it decides how a check runs or what it reports, so restore it (if the task needs it changed, say so in your summary; a spec opens the file with allow_edit:)`;
    case 'protected':
      return `protected path changed: ${v.file} (${v.why}${v.pattern !== v.file ? `; protected by ${v.pattern}` : ''})`;
  }
}

/** What the next attempt is told. */
export function formatGuardFeedback(violations: readonly GuardViolation[]): string {
  const lines = violations.map((v) => `- ${describeViolation(v)}`);
  return [
    'Integrity guard: this attempt was rolled back because it weakens the checks it is judged by.',
    ...lines,
    'Do not delete, empty or skip tests, do not remove or weaken assertions, do not silence lint or type errors and do not edit protected files: make the code pass the checks as they are. ' +
      'If a test is wrong, say so in your summary instead of changing it.',
  ].join('\n');
}

/** Stable identity of the violations, for the repeated-failure check. */
export function guardFingerprint(violations: readonly GuardViolation[]): string {
  const keys = violations.map((v) =>
    v.kind === 'skip_marker' || v.kind === 'suppression' || v.kind === 'trivial_assertion'
      ? `${v.kind}:${v.file}:${v.text}`
      : v.kind === 'check_config'
        ? `${v.kind}:${v.file}:${v.section}`
        : `${v.kind}:${v.file}`,
  );
  return `guard:${[...new Set(keys)].sort().join('|')}`;
}
