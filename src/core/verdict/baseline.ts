import { InputError } from '../errors.js';
import type { CheckResult } from '../run/events.js';
import { factsOf, notRunReason } from './facts.js';

/**
 * The baseline: the project's commands run once on the untouched run branch, before any
 * model call. What fails there is pre-existing; what cannot run at all stops the run.
 * The rules here are pure (over recorded results); taking it is take-baseline.ts.
 */
export interface Baseline {
  /** The commit the commands ran on. */
  commit: string;
  /** ISO time it was taken. */
  takenAt: string;
  durationMs: number;
  /** Per command (after a re-run of the failing ones: only what failed twice fails). */
  results: CheckResult[];
  /** Test ids (or command names) that flipped between two runs. */
  flaky: string[];
  /** One line per pre-existing failure. */
  preExisting: string[];
}

/** Where a project command came from, for messages: config, or the analyzer's evidence. */
export interface CommandOrigin {
  name: string;
  command: string;
  /** e.g. "set in the configuration (commands.test)", "detected from package.json scripts.test". */
  origin: string;
}

/** The baseline stops the run (exit 2): a command cannot run, or require-green found failures. */
export class BaselineError extends InputError {}

export type BaselineMode = 'tolerate' | 'require-green';

const FIRST_LINES = 8;

export function firstLines(text: string | undefined, n = FIRST_LINES): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .slice(0, n);
}

/**
 * Whether the test command crashed before running any test: it failed, and the counts it
 * printed (or its report) show no test at all.
 */
function ranNoTest(result: CheckResult): boolean {
  if (result.passed || result.name !== 'test') return false;
  if (result.tests) return result.tests.passed + result.tests.failed + result.tests.skipped === 0;
  const m = /\b(\d+) passed, (\d+) failed\b/.exec(result.summary);
  return m !== null && Number(m[1]) + Number(m[2]) === 0;
}

/** Output of a command the shell or a package manager could not find. */
const MISSING =
  /command not found|: not found\b|No such file or directory|Missing script|ENOENT|Cannot find module|is not recognized as|Unknown command|no such command/i;

/** Why a baseline result shows the command cannot run at all, or undefined. */
export function cannotRun(result: CheckResult): string | undefined {
  const notRun = notRunReason(result);
  if (notRun) return notRun;
  if (result.passed) return undefined;
  if (ranNoTest(result))
    return `it failed (exit ${result.exitCode ?? '?'}) before running any test`;
  const hasCounts = result.tests !== undefined || /\b\d+ (?:passed|errors?)\b/.test(result.summary);
  if (!hasCounts && MISSING.test(firstLines(result.output, 20).join('\n'))) {
    return `it failed (exit ${result.exitCode ?? '?'}): a program or script it needs is missing`;
  }
  return undefined;
}

function originOf(origins: readonly CommandOrigin[], name: string): CommandOrigin | undefined {
  return origins.find((o) => o.name === name);
}

/**
 * Stops the run (exit 2, before any model call) when a command cannot run at all, or,
 * with `require-green`, when anything fails at baseline. Names the command, its output's
 * first lines, where it came from, and the fix.
 */
export function assertBaselineUsable(
  baseline: Baseline,
  origins: readonly CommandOrigin[],
  mode: BaselineMode,
): void {
  const broken = baseline.results.flatMap((r) => {
    const why = cannotRun(r);
    return why ? [{ result: r, why }] : [];
  });
  if (broken.length) {
    const problems: string[] = [];
    for (const { result, why } of broken) {
      const o = originOf(origins, result.name);
      problems.push(
        `${result.name}: \`${o?.command ?? result.name}\` cannot run: ${why}`,
        `  where it came from: ${o?.origin ?? 'unknown'}`,
      );
      const lines = firstLines(result.output);
      if (lines.length) problems.push('  its output began:', ...lines.map((l) => `    ${l}`));
    }
    const first = broken[0]?.result.name ?? 'test';
    throw new BaselineError(
      `${broken.length === 1 ? `the ${first} command cannot` : `${broken.length} validation commands cannot`} run on the untouched run branch (baseline), so no attempt could be judged; nothing was spent`,
      {
        problems,
        hint: `fix the command in .mmm/config.toml: commands.${first} = "<a command that runs>", or commands.${first} = "" to disable it`,
      },
    );
  }
  if (mode === 'require-green') {
    const failing = baseline.results.filter((r) => !r.passed);
    if (failing.length) {
      throw new BaselineError(
        `validate.baseline = "require-green", and the untouched run branch is not green: ${failing.map((r) => `${r.name} (${r.summary})`).join(', ')}; nothing was spent`,
        {
          problems: baseline.preExisting,
          hint: 'fix these failures first, or set validate.baseline = "tolerate" to treat them as pre-existing',
        },
      );
    }
  }
}

/** The baseline record from its (re-run merged) results. */
export function baselineOf(args: {
  commit: string;
  takenAt: string;
  durationMs: number;
  results: CheckResult[];
  flaky: string[];
}): Baseline {
  return { ...args, preExisting: preExistingAtBaseline(args.results) };
}

/**
 * The results an attempt is compared with: those of the latest accepted attempt when it
 * is newer than the baseline (a test added by an earlier spec must keep passing too), else
 * the baseline's. Spec checks in an accepted attempt's results are ignored by the rules.
 */
export function referenceResults(
  baseline: Pick<Baseline, 'results' | 'takenAt'>,
  iterations: readonly {
    outcome?: string | undefined;
    endedAt?: string | undefined;
    validation?: CheckResult[] | undefined;
  }[],
): CheckResult[] {
  for (let i = iterations.length - 1; i >= 0; i--) {
    const it = iterations[i];
    if (it?.outcome !== 'passed' || !it.validation?.length) continue;
    if ((it.endedAt ?? '') < baseline.takenAt) break;
    return it.validation;
  }
  return baseline.results;
}

/**
 * What the baseline itself reports as pre-existing: every failing test, lint or type
 * error and failing command, as one line each (shown up front, kept in the state).
 */
export function preExistingAtBaseline(results: readonly CheckResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.passed) continue;
    const f = factsOf(r);
    if (f.failedNames.length) {
      for (const id of f.failedNames) lines.push(`${r.name}: test \`${id}\` fails`);
      const more = (f.counts?.failed ?? 0) - f.failedNames.length;
      if (more > 0) lines.push(`${r.name}: ${more} more failing test${more === 1 ? '' : 's'}`);
    } else if (f.diagnostics?.size) {
      for (const [id, d] of f.diagnostics) lines.push(`${r.name}: \`${id}\` ${d.message}`);
    } else {
      lines.push(`${r.name}: ${r.summary}`);
    }
  }
  return lines;
}
