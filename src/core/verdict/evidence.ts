import type { CheckResult, CriterionVerdict } from '../run/events.js';
import type { Criterion } from '../specs/model.js';
import type { EvidenceReport } from '../tools/types.js';
import type { TestCase } from '../validate/test-report.js';
import { checkResultName } from './evidence-checks.js';

/**
 * Evidence per acceptance criterion: what the model reported (report_evidence) and the
 * criterion's own check, verified against the attempt's validation results. Pure.
 *
 * - verified: its check passed, or every test it named exists in the results and passed;
 * - contradicted: its check failed, or a test it named failed (the spec is not done);
 * - unverified: no evidence, or evidence mmm cannot see (a name not in the results, a
 *   runner that reports counts only, a skipped test);
 * - ticked: already ticked in the spec before the run (the user's own word).
 */
export type { CriterionStatus, CriterionVerdict } from '../run/events.js';
/** What one named test or check was found to be in the results. */
export type NameStatus = 'passed' | 'failed' | 'skipped' | 'missing' | 'unverifiable';

export interface NameMatch {
  status: NameStatus;
  /** How it was found, for the commit message: `test "…"` or `check "…"`. */
  label: string;
}

const SEPARATOR = /\s+(?:>|›)\s+|::|\s+\/\s+/;

function segments(text: string): string[] {
  return text
    .split(SEPARATOR)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

/** `q` names `t`: its id, its name, the tail of file + name, or its file. */
function names(q: string, t: TestCase): 'test' | 'file' | false {
  if (q === t.id || q === t.name) return 'test';
  const key = [...(t.file ? [t.file.replace(/^\.\//, '')] : []), ...segments(t.name)];
  const want = segments(q.replace(/^\.\//, ''));
  if (want.length === 0 || want.length > key.length) return false;
  const tail = key.slice(key.length - want.length);
  if (tail.every((s, i) => s === want[i])) return 'test';
  if (t.file && want.length === 1 && want[0] === t.file.replace(/^\.\//, '')) return 'file';
  return false;
}

function combine(found: TestCase[]): NameStatus {
  if (found.some((t) => t.status === 'failed')) return 'failed';
  if (found.some((t) => t.status === 'passed')) return 'passed';
  return 'skipped';
}

/** Where `name` is in the attempt's results, and how it fared. */
export function findName(name: string, results: readonly CheckResult[]): NameMatch {
  const q = name.trim();
  const check = results.find((r) => r.name === q || r.name === `run: ${q}`);
  if (check) return { status: check.passed ? 'passed' : 'failed', label: `check "${check.name}"` };
  const named = results.filter((r) => r.tests?.identity === 'names');
  const found = named.flatMap((r) => r.tests?.tests.filter((t) => names(q, t)) ?? []);
  if (found.length) {
    const what = found.every((t) => names(q, t) === 'file') ? 'tests of' : 'test';
    return { status: combine(found), label: `${what} "${q}"` };
  }
  const failedByName = results.some((r) =>
    (r.failedTests ?? []).some(
      (f) => f === q || f.endsWith(q) || segments(f).join(' > ').endsWith(q),
    ),
  );
  if (failedByName) return { status: 'failed', label: `test "${q}"` };
  // A test command whose runner gave counts only: the name cannot be checked either way.
  const countsOnly = results.some(
    (r) => r.tests?.identity === 'counts' || (r.name === 'test' && r.tests === undefined),
  );
  return { status: countsOnly ? 'unverifiable' : 'missing', label: `test "${q}"` };
}

const EXPLAIN: Record<Exclude<NameStatus, 'passed'>, string> = {
  failed: 'failed',
  skipped: 'was skipped',
  missing: 'is not in the results',
  unverifiable: 'cannot be verified: the test runner reports counts only, not test names',
};

export interface EvidenceInput {
  criteria: readonly Criterion[];
  reports: readonly EvidenceReport[];
  results: readonly CheckResult[];
}

export function judgeCriteria(input: EvidenceInput): CriterionVerdict[] {
  return input.criteria.map((criterion, i) => {
    const n = i + 1;
    const base = { n, text: criterion.text };
    if (criterion.done) return { ...base, status: 'ticked', evidence: [] };
    const report = input.reports.find((r) => r.criterion === n);
    const note = report?.note ? { note: report.note } : {};
    const matches: { name: string; match: NameMatch }[] = [];
    if (criterion.check) {
      const checkName = checkResultName(criterion.check);
      matches.push({ name: checkName, match: findName(checkName, input.results) });
    }
    for (const name of report?.tests ?? []) {
      matches.push({ name, match: findName(name, input.results) });
    }
    // A name reported twice (or the criterion's own check named again) is one proof.
    const evidence = [...new Set(matches.map((m) => `${m.match.label} ${m.match.status}`))];
    if (matches.length === 0) {
      return { ...base, status: 'unverified', evidence, reason: 'no evidence reported' };
    }
    const failed = matches.filter((m) => m.match.status === 'failed');
    if (failed.length) {
      return {
        ...base,
        ...note,
        status: 'contradicted',
        evidence,
        reason: failed.map((m) => `${m.match.label} failed`).join('; '),
      };
    }
    // A passing check of the criterion proves it; otherwise every named test must.
    const checkPassed = criterion.check && matches[0]?.match.status === 'passed';
    const open = matches.filter((m) => m.match.status !== 'passed');
    if (checkPassed || open.length === 0) {
      return { ...base, ...note, status: 'verified', evidence };
    }
    return {
      ...base,
      ...note,
      status: 'unverified',
      evidence,
      reason: open
        .map((m) => `${m.match.label} ${EXPLAIN[m.match.status as Exclude<NameStatus, 'passed'>]}`)
        .join('; '),
    };
  });
}

/** 0-based indices (as write-back takes them) of the criteria to tick now. */
export function verifiedIndices(verdicts: readonly CriterionVerdict[]): number[] {
  return verdicts.filter((v) => v.status === 'verified').map((v) => v.n - 1);
}

export function unverified(verdicts: readonly CriterionVerdict[]): CriterionVerdict[] {
  return verdicts.filter((v) => v.status === 'unverified');
}

/**
 * Why the attempt fails on its criteria, or undefined: a contradicted criterion always
 * fails it; an unverified one only with `requireEvidence` (config validate.require_evidence).
 */
export function evidenceFailure(
  verdicts: readonly CriterionVerdict[],
  requireEvidence: boolean,
): string | undefined {
  const contradicted = verdicts.filter((v) => v.status === 'contradicted');
  const missing = requireEvidence ? unverified(verdicts) : [];
  if (contradicted.length === 0 && missing.length === 0) return undefined;
  const lines: string[] = [];
  if (contradicted.length) {
    lines.push('Acceptance criteria contradicted by the results:');
    for (const v of contradicted) lines.push(`- criterion ${v.n} (${v.text}): ${v.reason ?? ''}`);
  }
  if (missing.length) {
    lines.push(
      'Every acceptance criterion needs verified evidence (validate.require_evidence), and these have none:',
    );
    for (const v of missing) lines.push(`- criterion ${v.n} (${v.text}): ${v.reason ?? ''}`);
    lines.push(
      'Write or name a test that proves each one, run it, and report it with report_evidence ' +
        '{"criterion": <n>, "tests": ["<test name as the runner reports it>"]} before you end your turn.',
    );
  }
  return lines.join('\n');
}

/** Stable identity of an evidence failure, for the repeated-failure check. */
export function evidenceFingerprint(verdicts: readonly CriterionVerdict[]): string {
  const keys = verdicts
    .filter((v) => v.status === 'contradicted' || v.status === 'unverified')
    .map((v) => `${v.status}:${v.n}`);
  return `evidence:${keys.join('|')}`;
}

/** The commit message's criteria block: each criterion with its evidence. */
export function criteriaBlock(verdicts: readonly CriterionVerdict[]): string {
  if (verdicts.length === 0) return '';
  const lines = ['Acceptance criteria:'];
  for (const v of verdicts) {
    const mark = v.status === 'verified' || v.status === 'ticked' ? '[x]' : '[ ]';
    const why =
      v.status === 'verified'
        ? `verified: ${v.evidence.join('; ')}`
        : v.status === 'ticked'
          ? 'ticked before this run'
          : `${v.status}: ${v.reason ?? ''}`;
    lines.push(`- ${mark} ${v.n}. ${v.text} (${why})`);
  }
  return lines.join('\n');
}
