import type { CheckResult } from '../run/events.js';
import { factsOf, type CommandFacts, type Identity } from './facts.js';

/**
 * The verdict rules: an attempt passes when it introduces no new failure compared with the
 * reference (the baseline, or the last accepted attempt of the run) and the spec's own
 * checks pass. Failures the reference already had are pre-existing: reported, never the
 * attempt's fault. Pure: reads recorded CheckResults only (tested without processes).
 */

export type FindingKind =
  | 'now-fails' // a test that passed fails
  | 'vanished' // a test that passed is missing
  | 'now-skipped' // a test that passed is skipped
  | 'new-failing' // a test that was not failing before fails (a new test, or one that was skipped)
  | 'passing-dropped' // fewer passing tests
  | 'failures-grew' // more failing tests (counts only)
  | 'errors-grew' // more lint/type errors
  | 'new-error' // a lint/type error with a new file:line identity
  | 'exit' // the command passed before and now fails (exit code only)
  | 'not-run' // the command could not run to the end
  | 'pre-existing'; // failing before the attempt, still failing

export interface Finding {
  /** The command (CheckResult name): "test", "lint" … */
  command: string;
  kind: FindingKind;
  /** The test or diagnostic id, when the finding is about one. */
  id?: string;
  /** One sentence for the model and the user. */
  text: string;
  /** How the command was compared. */
  identity: Identity;
}

export interface Verdict {
  passed: boolean;
  /** What this attempt broke. */
  newFailures: Finding[];
  /** What was already failing before the attempt and still fails. */
  preExisting: Finding[];
  /** The spec's own checks (run:, file_exists:, expr …) that failed. */
  specFailures: CheckResult[];
  /** Tests or commands whose change was not counted because they are flaky. */
  flakyIgnored: string[];
}

export interface JudgeOptions {
  /** Names of the project commands (build/test/lint/typecheck) among the results. */
  projectCommands: readonly string[];
  /** Test ids (and command names) known to be flaky: they never decide alone. */
  flaky?: readonly string[];
}

function quote(id: string): string {
  return `\`${id}\``;
}

function compareTests(
  ref: CommandFacts,
  att: CommandFacts,
  flaky: Set<string>,
  out: Verdict,
): void {
  const name = att.name;
  const before = ref.tests;
  const after = att.tests;
  const push = (kind: FindingKind, id: string | undefined, text: string, identity: Identity) => {
    if (id !== undefined && flaky.has(id)) {
      out.flakyIgnored.push(id);
      return;
    }
    (kind === 'pre-existing' ? out.preExisting : out.newFailures).push({
      command: name,
      kind,
      ...(id !== undefined ? { id } : {}),
      text,
      identity,
    });
  };
  const found = out.newFailures.length;
  if (before && after) {
    for (const [id, status] of before) {
      if (status !== 'passed') continue;
      const now = after.get(id);
      if (now === undefined)
        push(
          'vanished',
          id,
          `test ${quote(id)} passed before this attempt and now is missing`,
          'names',
        );
      else if (now === 'failed')
        push(
          'now-fails',
          id,
          `test ${quote(id)} passed before this attempt and now fails`,
          'names',
        );
      else if (now === 'skipped')
        push(
          'now-skipped',
          id,
          `test ${quote(id)} passed before this attempt and now is skipped`,
          'names',
        );
    }
    for (const [id, status] of after) {
      if (status !== 'failed') continue;
      const was = before.get(id);
      if (was === 'failed')
        push(
          'pre-existing',
          id,
          `test ${quote(id)} was already failing before this attempt`,
          'names',
        );
      else if (was !== 'passed')
        push(
          'new-failing',
          id,
          `test ${quote(id)} fails${was === 'skipped' ? ' (it was skipped before this attempt)' : ' (a test that did not exist before this attempt)'}`,
          'names',
        );
    }
  } else {
    // Counts on at least one side: the failing names printed, then the counts.
    const wasFailing = new Set(ref.failedNames);
    for (const id of att.failedNames) {
      if (wasFailing.has(id))
        push(
          'pre-existing',
          id,
          `test ${quote(id)} was already failing before this attempt`,
          'counts',
        );
      else
        push(
          'new-failing',
          id,
          `test ${quote(id)} fails and was not failing before this attempt`,
          'counts',
        );
    }
    const r = ref.counts;
    const a = att.counts;
    if (r && a && a.failed > r.failed && out.newFailures.length === found) {
      push(
        'failures-grew',
        undefined,
        `${quote(name)}: ${a.failed} failing tests, ${r.failed} before this attempt (compared by counts: the runner's output does not name every test)`,
        'counts',
      );
    }
  }
  // Flaky tests do not count on either side.
  const flakyPassing = (tests: Map<string, string> | undefined) =>
    tests ? [...tests].filter(([id, st]) => st === 'passed' && flaky.has(id)).length : 0;
  const r = ref.counts && { passed: ref.counts.passed - flakyPassing(before) };
  const a = att.counts && { passed: att.counts.passed - flakyPassing(after) };
  if (r && a && a.passed < r.passed && out.newFailures.length === found) {
    const by =
      before && after ? '' : " (compared by counts: the runner's output does not name every test)";
    push(
      'passing-dropped',
      undefined,
      `${quote(name)}: passing tests dropped from ${r.passed} to ${a.passed}${by}`,
      before && after ? 'names' : 'counts',
    );
  }
}

function compareDiagnostics(ref: CommandFacts, att: CommandFacts, out: Verdict): void {
  const name = att.name;
  const found = out.newFailures.length;
  if (ref.diagnostics && att.diagnostics) {
    for (const [id, d] of att.diagnostics) {
      const was = ref.diagnostics.get(id)?.count ?? 0;
      if (d.count > was) {
        out.newFailures.push({
          command: name,
          kind: 'new-error',
          id,
          text: `${quote(name)}: new error ${quote(id)}: ${d.message}`,
          identity: 'names',
        });
      }
    }
  }
  if (ref.errors !== undefined && att.errors !== undefined) {
    if (att.errors > ref.errors && out.newFailures.length === found) {
      out.newFailures.push({
        command: name,
        kind: 'errors-grew',
        text: `${quote(name)}: ${att.errors} errors, ${ref.errors} before this attempt${att.diagnostics ? '' : ' (compared by counts)'}`,
        identity: att.diagnostics ? 'names' : 'counts',
      });
    }
    if (att.errors > 0 && ref.errors > 0 && !att.passed) {
      out.preExisting.push({
        command: name,
        kind: 'pre-existing',
        text: `${quote(name)}: ${Math.min(att.errors, ref.errors)} error${Math.min(att.errors, ref.errors) === 1 ? '' : 's'} already there before this attempt`,
        identity: att.diagnostics ? 'names' : 'counts',
      });
    }
  }
}

/** One project command: its attempt result against the reference's. */
function compareCommand(
  ref: CheckResult | undefined,
  att: CheckResult,
  flaky: Set<string>,
  out: Verdict,
): void {
  const a = factsOf(att);
  if (a.notRun) {
    out.newFailures.push({
      command: att.name,
      kind: 'not-run',
      text: `${quote(att.name)} could not run to the end: ${a.notRun}`,
      identity: 'exit',
    });
    return;
  }
  if (!ref) {
    if (!att.passed) {
      out.newFailures.push({
        command: att.name,
        kind: 'exit',
        text: `${quote(att.name)} fails: ${att.summary}`,
        identity: 'exit',
      });
    }
    return;
  }
  const r = factsOf(ref);
  if (!att.passed && r.counts && r.counts.passed > 0 && !a.counts) {
    // The runner reported tests before and now reports none: it crashed, or its output
    // changed so that nothing can be compared. Never read that as "still failing".
    out.newFailures.push({
      command: att.name,
      kind: 'passing-dropped',
      text: `${quote(att.name)}: ${r.counts.passed} test${r.counts.passed === 1 ? '' : 's'} passed before this attempt; now it fails without reporting any test (${att.summary})`,
      identity: 'exit',
    });
    return;
  }
  if (!att.passed && r.errors !== undefined && a.errors === undefined && !a.counts) {
    out.newFailures.push({
      command: att.name,
      kind: 'errors-grew',
      text: `${quote(att.name)}: reported ${r.errors} error${r.errors === 1 ? '' : 's'} before this attempt; now it fails without a countable report (${att.summary})`,
      identity: 'exit',
    });
    return;
  }
  const before = out.newFailures.length;
  const preBefore = out.preExisting.length;
  compareTests(r, a, flaky, out);
  compareDiagnostics(r, a, out);
  const judged = out.newFailures.length > before || out.preExisting.length > preBefore;
  if (att.passed || judged) return;
  // Nothing more precise to go on: the exit code decides.
  if (flaky.has(att.name)) {
    out.flakyIgnored.push(att.name);
  } else if (ref.passed) {
    out.newFailures.push({
      command: att.name,
      kind: 'exit',
      text: `${quote(att.name)} passed before this attempt and now fails (${att.summary})`,
      identity: a.identity,
    });
  } else {
    out.preExisting.push({
      command: att.name,
      kind: 'pre-existing',
      text: `${quote(att.name)} was already failing before this attempt (${ref.summary})`,
      identity: a.identity,
    });
  }
}

export function judge(
  reference: readonly CheckResult[],
  attempt: readonly CheckResult[],
  options: JudgeOptions,
): Verdict {
  const flaky = new Set(options.flaky ?? []);
  const project = new Set(options.projectCommands);
  const out: Verdict = {
    passed: false,
    newFailures: [],
    preExisting: [],
    specFailures: [],
    flakyIgnored: [],
  };
  for (const result of attempt) {
    if (project.has(result.name)) {
      compareCommand(
        reference.find((r) => r.name === result.name),
        result,
        flaky,
        out,
      );
    } else if (!result.passed) {
      out.specFailures.push(result);
    }
  }
  out.flakyIgnored = [...new Set(out.flakyIgnored)];
  out.passed = out.newFailures.length === 0 && out.specFailures.length === 0;
  return out;
}
