import { rm } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import { git } from '../git/exec.js';
import { removeWorktree } from '../git/index.js';
import { logger } from '../log.js';
import type { RunEventBody } from '../run/events.js';
import type { RunPaths } from '../run/store/paths.js';
import type { RunSession } from '../run/session.js';
import { describeHead } from '../run/lifecycle/workspace.js';
import type { RunState } from '../run/store/state.js';
import type { ProjectCommand } from '../validate/index.js';
import { assertBaselineUsable, type Baseline, type CommandOrigin } from './baseline.js';
import { takeBaseline, type RunCommandsOptions } from './take-baseline.js';

const log = logger('verdict');

export type BaselineEvent = Extract<RunEventBody, { type: 'baseline' }>;

/** Where each project command came from: the configuration, or the analyzer and its evidence. */
export function commandOrigins(
  commands: readonly ProjectCommand[],
  config: Config,
  sources: Partial<Record<string, { source: string } | null>>,
): CommandOrigin[] {
  return commands.map(({ name, command }) => ({
    name,
    command,
    origin:
      config.commands[name] !== undefined
        ? `set in the configuration (commands.${name})`
        : `detected by the analyzer from ${sources[name]?.source ?? 'the project files'}`,
  }));
}

export function baselineEvent(baseline: Baseline, source: BaselineEvent['source']): BaselineEvent {
  return {
    type: 'baseline',
    commit: baseline.commit,
    durationMs: baseline.durationMs,
    checks: baseline.results,
    preExisting: baseline.preExisting,
    flaky: baseline.flaky,
    source,
  };
}

/**
 * How the run's project commands are run for the verdict (baseline, flaky re-runs): in the
 * work tree, with the validation timeout, in the run's sandbox — exactly as an attempt's
 * validation runs them, so the results compare.
 */
export function sessionRunOptions(session: RunSession, signal: AbortSignal): RunCommandsOptions {
  return {
    root: session.workDir,
    timeoutSec: session.config.validate.timeout,
    signal,
    sandbox: session.tools.sandbox,
  };
}

/**
 * Takes the baseline in the session's work tree (untouched run branch), stops the run
 * (exit 2) when a command cannot run or `require-green` finds failures, else records it
 * in the state and queues its event. Before any model call.
 */
export async function establishBaseline(
  session: RunSession,
  origins: readonly CommandOrigin[],
  source: 'taken' | 'retaken',
): Promise<Baseline> {
  const baseline = await takeBaseline(
    session.commands,
    sessionRunOptions(session, session.stopper.signal),
  );
  log.info('baseline taken', {
    commit: baseline.commit,
    durationMs: baseline.durationMs,
    preExisting: baseline.preExisting.length,
    flaky: baseline.flaky,
  });
  assertBaselineUsable(baseline, origins, session.config.validate.baseline);
  session.state.baseline = baseline;
  session.baselineEvent = baselineEvent(baseline, source);
  return baseline;
}

/**
 * At --resume: whether the run branch moved since the baseline, other than by this
 * run's own commits (which the verdict follows on its own): then it is taken again.
 * Only between attempts, when the tree is the branch head untouched.
 */
export async function baselineStale(session: RunSession): Promise<boolean> {
  const { state } = session;
  if (state.current) return false;
  if (!state.baseline) return true;
  const head = await describeHead(session.workDir);
  if (head.sha === state.baseline.commit) return false;
  return head.trailers['Mmm-Run'] !== state.runId;
}

/**
 * A new run stopped by its baseline leaves nothing behind: its worktree, branch and run
 * directory are removed (an in-place run's checkout goes back to where it was).
 */
export async function discardNewRun(state: RunState, paths: RunPaths): Promise<void> {
  try {
    if (state.inPlace) {
      const back = state.baseBranch ?? state.baseCommit;
      await git(state.repoRoot, ['-c', 'core.hooksPath=/dev/null', 'checkout', '--quiet', back]);
    } else {
      await removeWorktree(state.repoRoot, paths.worktree);
    }
    await git(state.repoRoot, ['branch', '-D', state.branch], { okCodes: [1] });
  } catch (error) {
    log.warn('could not remove the run branch or worktree', { error: String(error) });
  }
  await rm(paths.dir, { recursive: true, force: true });
}
