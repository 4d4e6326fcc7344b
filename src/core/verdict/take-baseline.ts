import type { Sandbox } from '../tools/sandbox.js';
import { headCommit } from '../git/index.js';
import type { CheckResult } from '../run/events.js';
import { validateAttempt, type ProjectCommand } from '../validate/index.js';
import { baselineOf, type Baseline } from './baseline.js';
import { mergeRerun, worthRerun } from './flaky.js';

export interface RunCommandsOptions {
  root: string;
  timeoutSec: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The run's sandbox: the baseline and re-runs run exactly where attempts are validated. */
  sandbox?: Sandbox | undefined;
}

/**
 * Runs the given project commands exactly as an attempt's validation does (same runner,
 * same parsers, same environment), so the baseline and the attempts are comparable.
 */
export async function runCommands(
  commands: ProjectCommand[],
  options: RunCommandsOptions,
): Promise<CheckResult[]> {
  if (!commands.length) return [];
  const { results } = await validateAttempt({
    root: options.root,
    commands,
    checks: [],
    timeoutSec: options.timeoutSec,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
    sandbox: options.sandbox,
  });
  return results;
}

/**
 * Runs once more the commands among `names` that failed, and keeps only what failed
 * both times (flaky.ts). Returns the merged results and what flipped.
 */
export async function rerunFailing(
  commands: ProjectCommand[],
  results: CheckResult[],
  names: ReadonlySet<string>,
  options: RunCommandsOptions,
): Promise<{ results: CheckResult[]; flaky: string[] }> {
  const again = commands.filter((c) => {
    const r = results.find((x) => x.name === c.name);
    return names.has(c.name) && r !== undefined && worthRerun(r);
  });
  if (!again.length) return { results, flaky: [] };
  const second = await runCommands(again, options);
  const flaky: string[] = [];
  const merged = results.map((r) => {
    const next = second.find((x) => x.name === r.name);
    if (!next) return r;
    const m = mergeRerun(r, next);
    flaky.push(...m.flaky);
    return m.result;
  });
  return { results: merged, flaky };
}

/**
 * The baseline of a run: the project's commands on the untouched run branch in `root`,
 * the failing ones run once more. Before any model call (setup, and resume when the run
 * branch moved).
 */
export async function takeBaseline(
  commands: ProjectCommand[],
  options: RunCommandsOptions,
): Promise<Baseline> {
  const started = Date.now();
  const takenAt = new Date(started).toISOString();
  const commit = await headCommit(options.root);
  const first = await runCommands(commands, options);
  const { results, flaky } = await rerunFailing(
    commands,
    first,
    new Set(commands.map((c) => c.name)),
    options,
  );
  return baselineOf({ commit, takenAt, durationMs: Date.now() - started, results, flaky });
}
