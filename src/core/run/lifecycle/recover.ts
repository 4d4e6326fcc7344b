import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gitLine } from '../../git/exec.js';
import { InputError } from '../../errors.js';
import { hasChanges, headCommit, resetTo } from '../../git/index.js';
import { refreshTotals } from '../interpreter/limits.js';
import type { RunSession } from '../session.js';
import { saveRunState } from '../session.js';
import type { Iteration } from '../store/state.js';
import { describeHead, freePatchPath, savePatch } from './workspace.js';
import { commitTrailers, isStepCommit } from '../steps/commit.js';

/**
 * Bring the work tree of a resumed run back to a state the loop can continue from,
 * whatever instant the previous process died at:
 * - between steps: stray changes are saved as a patch and the tree reset to HEAD;
 * - in the agent or review step: the half-done changes are saved as a patch, the tree is
 *   reset to the attempt's checkpoint and the attempt will be redone (same number);
 * - after the agent finished (validate, commit): the changes are kept and the loop
 *   validates or commits them, unless the worktree had to be re-created;
 * - rolling back: the rollback is finished;
 * - formatting: a format commit already made is kept, otherwise the step is redone.
 * Returns notes for the user.
 */
export async function recoverWorkTree(session: RunSession, recreated: boolean): Promise<string[]> {
  const { state, workDir } = session;
  const notes: string[] = [];
  if (!state.inPlace) await removeStaleIndexLock(workDir, notes);
  const current = state.current ?? null;
  const keepInterrupted = async (label: string): Promise<void> => {
    const file = freePatchPath(session.paths.attempts, `${label}-interrupted`);
    const saved = await savePatch(workDir, file);
    if (saved) notes.push(`the interrupted work was saved as ${saved}`);
  };

  if (!current) {
    if (state.inPlace && (await hasChanges(workDir))) {
      // Between steps an in-place run leaves the checkout clean: these changes are yours.
      throw notTheRunsChanges();
    }
    await keepInterrupted('between-steps');
    await resetTo(workDir, await headCommit(workDir));
    return notes;
  }
  const iteration = openIteration(state.iterations, current.specId, current.attempt);
  const head = await describeHead(workDir);
  const redo = async (): Promise<void> => {
    await keepInterrupted(`${current.specId}-${current.attempt}`);
    await resetTo(workDir, current.checkpoint);
    if (iteration && (iteration.outcome === undefined || iteration.outcome === 'stopped')) {
      iteration.outcome = 'stopped';
      iteration.endedAt ??= new Date().toISOString();
    }
    state.current = null;
  };

  // A workflow step (stepId) may run with no open iteration (after the item's commit).
  const inStep = current.stepId !== undefined;
  switch (current.step) {
    case 'agent':
    case 'review':
    case 'goal_seek':
      await redo();
      break;
    case 'validate':
    case 'shell':
      if (recreated || head.sha !== current.checkpoint || (!iteration && !inStep)) await redo();
      break;
    case 'commit': {
      const committed =
        head.sha !== current.checkpoint &&
        isStepCommit(
          head,
          current.checkpoint,
          commitTrailers(state.runId, current.specId, current.attempt, current.stepId ?? 'commit'),
        );
      if (
        (!iteration && !inStep) ||
        (!committed && (recreated || head.sha !== current.checkpoint))
      ) {
        await redo();
      } else if (!committed) {
        await removeTempCopies(workDir, state.specs[current.specId]?.file);
      }
      break;
    }
    case 'rollback': {
      const it = lastIteration(state.iterations, current.specId, current.attempt);
      if (it && it.outcome !== 'passed' && !it.patch && head.sha === current.checkpoint) {
        const saved = await savePatch(
          workDir,
          join(session.paths.attempts, `${current.specId}-${current.attempt}.patch`),
        );
        if (saved) it.patch = saved;
      } else if (it?.outcome === 'passed' && head.sha === current.checkpoint) {
        // A failure after the item's commit: what came after it is kept as a patch.
        await keepInterrupted(`${current.specId}-${current.stepId ?? 'step'}`);
      }
      await resetTo(workDir, current.checkpoint);
      state.current = null;
      break;
    }
    case 'fix': {
      const formatted =
        head.parent === current.checkpoint &&
        head.trailers['Mmm-Run'] === state.runId &&
        head.trailers['Mmm-Step'] === 'format';
      if (formatted) {
        await resetTo(workDir, head.sha);
        state.current = null;
      } else {
        await keepInterrupted(`${current.specId}-format`);
        await resetTo(workDir, current.checkpoint);
      }
      break;
    }
  }
  refreshTotals(state);
  await saveRunState(session);
  return notes;
}

/**
 * A run that died during its setup (worktree creation, copying the specs, analysis): its
 * tree may be half checked out or hold uncopied files. Back to the branch head; the setup
 * is then simply done again.
 */
export async function resetForSetup(session: RunSession): Promise<void> {
  if (session.state.inPlace) {
    // In place, setup changes nothing in the checkout: changes there are the user's.
    if (await hasChanges(session.workDir)) throw notTheRunsChanges();
    return;
  }
  await removeStaleIndexLock(session.workDir, []);
  await resetTo(session.workDir, await headCommit(session.workDir));
}

function notTheRunsChanges(): InputError {
  return new InputError(
    `this in-place run works in your checkout, which has uncommitted changes that are not the run's`,
    { hint: 'commit or stash them, then resume again' },
  );
}

function openIteration(
  iterations: Iteration[],
  specId: string,
  attempt: number,
): Iteration | undefined {
  const it = lastIteration(iterations, specId, attempt);
  return it && (it.outcome === undefined || it.outcome === 'stopped') ? it : undefined;
}

function lastIteration(
  iterations: Iteration[],
  specId: string,
  attempt: number,
): Iteration | undefined {
  for (let i = iterations.length - 1; i >= 0; i--) {
    const it = iterations[i] as Iteration;
    if (it.specId === specId && it.attempt === attempt) return it;
  }
  return undefined;
}

/**
 * A git command killed with the run (kill -9 of the process group) leaves the worktree's
 * `index.lock` behind, and every later git command there would fail. The run lock is
 * ours, so nothing else works in this worktree: the lock file is stale.
 */
async function removeStaleIndexLock(workDir: string, notes: string[]): Promise<void> {
  const gitDir = await gitLine(workDir, ['rev-parse', '--absolute-git-dir']);
  const lock = join(gitDir, 'index.lock');
  if (!existsSync(lock)) return;
  await rm(lock, { force: true });
  notes.push(`removed a stale ${lock} left by an interrupted git command`);
}

/**
 * The spec file is rewritten atomically (temp file `<name>.<number>`, then rename) just
 * before the commit: a crash in between leaves that temp file, which must not be committed.
 */
async function removeTempCopies(workDir: string, specFile: string | undefined): Promise<void> {
  if (!specFile) return;
  const path = join(workDir, specFile);
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.startsWith(`${name}.`) && /^\d+$/.test(entry.slice(name.length + 1))) {
      await rm(join(dir, entry), { force: true });
    }
  }
}
