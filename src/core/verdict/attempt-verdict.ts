import type { CheckResult } from '../run/events.js';
import type { ProjectCommand } from '../validate/index.js';
import { referenceResults, type Baseline } from './baseline.js';
import { judge, type Verdict } from './judge.js';
import { rerunFailing, type RunCommandsOptions } from './take-baseline.js';

export interface AttemptVerdict {
  passed: boolean;
  /** The attempt's results, the re-run commands merged in. */
  results: CheckResult[];
  verdict: Verdict;
  /** Tests or commands that flipped in this attempt's re-run (to add to the state's list). */
  newlyFlaky: string[];
}

/**
 * Judges an attempt's validation against the run's reference (baseline or last accepted
 * attempt). A project command with a new failure is run once more first, and only what
 * fails both times counts (flaky tests never decide alone). Without a baseline (a run
 * started by an older mmm), every failure is the attempt's, as before.
 */
export async function judgeAttempt(args: {
  results: CheckResult[];
  commands: ProjectCommand[];
  baseline: Baseline | undefined;
  iterations: Parameters<typeof referenceResults>[1];
  options: RunCommandsOptions;
}): Promise<AttemptVerdict> {
  const projectCommands = args.commands.map((c) => c.name);
  const flaky = args.baseline?.flaky ?? [];
  const reference = args.baseline ? referenceResults(args.baseline, args.iterations) : [];
  const first = judge(reference, args.results, { projectCommands, flaky });
  const suspects = new Set(first.newFailures.map((f) => f.command));
  if (!suspects.size) {
    return { passed: first.passed, results: args.results, verdict: first, newlyFlaky: [] };
  }
  const rerun = await rerunFailing(args.commands, args.results, suspects, args.options);
  if (!rerun.flaky.length) {
    return { passed: first.passed, results: args.results, verdict: first, newlyFlaky: [] };
  }
  const verdict = judge(reference, rerun.results, {
    projectCommands,
    flaky: [...flaky, ...rerun.flaky],
  });
  return {
    passed: verdict.passed,
    results: rerun.results,
    verdict,
    newlyFlaky: rerun.flaky.filter((id) => !flaky.includes(id)),
  };
}
