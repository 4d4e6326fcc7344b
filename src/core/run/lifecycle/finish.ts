import { ExitCode } from '../../errors.js';
import { commitsSince, fastForward, headCommit, removeWorktree } from '../../git/index.js';
import { logger } from '../../log.js';
import { recordProjectRun } from '../../projects/registry.js';
import type { RunEndStatus, RunEventBody } from '../events.js';
import { raiseHint } from '../interpreter/limits.js';
import type { LoopEnd } from '../interpreter/run-workflow.js';
import { specSummaries } from '../interpreter/plan.js';
import { removeLaneWorktrees } from '../parallel/lane-git.js';
import { saveRunState, type RunSession } from '../session.js';

const log = logger('improve');

export const EXIT_CODES: Record<RunEndStatus, ExitCode> = {
  completed: ExitCode.Ok,
  failed: ExitCode.WorkFailed,
  limit: ExitCode.LimitReached,
  provider_error: ExitCode.Provider,
  interrupted: ExitCode.Interrupted,
};

function shellQuote(value: string): string {
  return /^[\w./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What to run next, for the end of the run. */
async function nextSteps(session: RunSession, end: LoopEnd, merged: boolean): Promise<string[]> {
  const { state } = session;
  const branch = shellQuote(state.branch);
  const base = state.baseBranch ? shellQuote(state.baseBranch) : state.baseCommit.slice(0, 12);
  const next: string[] = [];
  if (end.status === 'limit' || end.status === 'interrupted' || end.status === 'provider_error') {
    const raise = end.status === 'limit' ? raiseHint(end.reason) : '';
    next.push(`mmm improve --resume ${state.runId}${raise ? ` ${raise}` : ''}`);
  }
  let commits = 0;
  try {
    commits = (await commitsSince(session.workDir, state.baseCommit)).length;
  } catch (error) {
    log.warn('could not count the commits', { error: String(error) });
  }
  if (commits > 0) {
    next.push(`git log --stat ${base}..${branch}`);
    if (merged) next.push(`merged: ${base} now points at ${branch}`);
    else if (state.baseBranch) {
      next.push(
        state.inPlace
          ? `git switch ${base} && git merge --ff-only ${branch}`
          : `git merge --ff-only ${branch}`,
      );
    } else next.push(`git merge ${branch}`);
  }
  if (state.iterations.some((it) => it.patch)) {
    next.push(`ls ${session.paths.attempts}   # patches of rolled-back attempts`);
  }
  return next;
}

/**
 * End the run: record its final status (resumable ones keep their current step), merge
 * when asked and everything passed, register the run with the project, and describe
 * it in the run_end event. The lock is released by the caller.
 */
export async function finishRun(
  session: RunSession,
  end: LoopEnd,
): Promise<{ events: RunEventBody[]; exitCode: number }> {
  const { state } = session;
  const events: RunEventBody[] = [];
  state.status = end.status;
  state.stopReason = end.reason;
  await saveRunState(session);

  let merged = false;
  if (end.status === 'completed' && state.plan?.merge) {
    if (!state.baseBranch) {
      events.push({
        type: 'warning',
        message: '--merge: the run started on a detached HEAD, so there is no branch to merge into',
      });
    } else {
      const head = await headCommit(session.workDir);
      if (head !== state.baseCommit) {
        merged = await fastForward(state.repoRoot, state.baseBranch, head);
        if (!merged) {
          events.push({
            type: 'warning',
            message: `--merge: ${state.baseBranch} could not be fast-forwarded to ${state.branch} (it moved on, or its checkout has conflicting changes); merge it yourself`,
          });
        }
      }
    }
  }
  try {
    await recordProjectRun(state.repoRoot, {
      runId: state.runId,
      status: state.status,
      at: state.updatedAt,
    });
  } catch (error) {
    log.warn('could not record the run in the project registry', { error: String(error) });
  }
  const exitCode = EXIT_CODES[end.status];
  const next = await nextSteps(session, end, merged);
  await removeFinishedWorktree(session, end);
  events.push({
    type: 'run_end',
    status: end.status,
    reason: end.reason,
    exitCode,
    branch: state.branch,
    specs: specSummaries(state, session.specs),
    totals: state.totals,
    next,
  });
  return { events, exitCode };
}

/**
 * A run that cannot be resumed (completed or failed) no longer needs its worktree: the
 * branch holds the work and the run directory the rejected attempts. Removing it keeps
 * test runners of the checkout (vitest, jest) from finding a second copy of the project's
 * tests under .mmm/worktrees. Resumable runs keep theirs.
 */
async function removeFinishedWorktree(session: RunSession, end: LoopEnd): Promise<void> {
  const { state } = session;
  if (state.inPlace || (end.status !== 'completed' && end.status !== 'failed')) return;
  try {
    await removeWorktree(state.repoRoot, state.worktree);
    await removeLaneWorktrees(state.repoRoot, state.runId);
  } catch (error) {
    log.warn('could not remove the finished worktree', { error: String(error) });
  }
}
