import { git, gitLine } from '../../git/exec.js';
import { commitAllAs, headCommit, resetTo } from '../../git/index.js';
import { laneTipRef, readRef, runTipRef, setRef, specRef } from '../../git/run-refs.js';
import type { ValidateStep, Workflow } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import type { ItemRef } from '../interpreter/context.js';
import { refreshTotals } from '../interpreter/limits.js';
import { saveRunState, type RunSession } from '../session.js';
import type { Lane } from '../store/state.js';
import { validateStepKind } from '../steps/validate.js';
import { lastPassed, reattempt, specsMergedBetween, type MergeEnd } from './merge-retry.js';
import type { StepResult } from '../steps/types.js';
import type { TreeLock } from './lane-git.js';
import { lanesInOrder, parallelOf } from './lane-state.js';

/**
 * Bringing accepted lanes' work onto the run branch (issue 11), one batch at a time: each
 * lane's commits since it started are applied to the run branch as it is now and committed
 * with the lane commit's message, then validated there like an attempt (the project's
 * commands against the run's baseline, the specs' checks, the integrity guard against the
 * run branch before the batch). Only then is the spec done. A conflict or a failure is
 * not a success: the run branch is put back, and the spec is re-attempted in a fresh lane
 * from the run branch with the conflict or the failure as feedback (a new attempt).
 * `state.parallel.merging` records a merge under way; a resume puts the branch back and
 * merges again (undoInterruptedMerge), so the result is the same as without the crash.
 */

const MERGE_CHECK: ValidateStep = {
  kind: 'validate',
  id: 'merge',
  commands: true,
  checks: true,
  pos: { line: 0, col: 0 },
};

function queueAfter(session: RunSession, merging: string[]): string[] {
  return lanesInOrder(session.state)
    .filter((l) => l.phase === 'accepted' && !merging.includes(l.specId))
    .map((l) => l.specId);
}

export interface MergeItem {
  lane: Lane;
  item: ItemRef;
}

/**
 * Merge `batch` — the accepted lanes at the head of the queue, in spec order — onto the
 * run branch: each lane's commits are applied and committed in turn, then the result is
 * validated once. One lane on the base it was validated on needs no second validation
 * (the tree is the one its lane judged). A conflict at the first lane re-attempts it; at a
 * later one, the batch stops before it (it merges alone next, and meets its conflict
 * then). A batch of several that fails validation is undone whole: the runner then merges
 * one lane at a time to find the culprit.
 */
export async function* mergeLanes(
  session: RunSession,
  workflow: Workflow,
  batch: MergeItem[],
  trees: TreeLock,
): AsyncGenerator<RunEventBody, MergeEnd> {
  const { state, repoRoot } = session;
  const parallel = parallelOf(state);
  const dir = session.workDir;
  const first = batch[0] as MergeItem;
  const before = await headCommit(dir);
  const tips: string[] = [];
  for (const { lane } of batch) {
    const tip = (await readRef(repoRoot, laneTipRef(state.runId, lane.specId))) ?? lane.base;
    // Recorded with the merge: a re-attempt replaces the lane's branch and tip ref before
    // its checkpoint, so a resume needs this to put the accepted work back.
    lane.commit = tip;
    tips.push(tip);
  }
  parallel.merging = { specId: first.lane.specId, before };
  await saveRunState(session);
  const ids = batch.map((b) => b.lane.specId);
  const applied: { merge: MergeItem; commit: string | undefined }[] = [];
  for (const [i, merge] of batch.entries()) {
    const { lane } = merge;
    yield {
      type: 'lane',
      specId: lane.specId,
      phase: 'merging',
      queue: queueAfter(session, ids.slice(0, i + 1)),
    };
    const tip = tips[i] as string;
    if (tip === lane.base) {
      applied.push({ merge, commit: undefined });
      continue;
    }
    const head = await headCommit(dir);
    const picked = await git(dir, ['cherry-pick', '--no-commit', `${lane.base}..${tip}`], {
      okCodes: [1],
    });
    if (picked.exitCode !== 0) {
      const files = (await gitLine(dir, ['diff', '--name-only', '--diff-filter=U'])).split('\n');
      await git(dir, ['cherry-pick', '--abort'], { okCodes: [128] });
      await resetTo(dir, head);
      if (i > 0) break;
      const others = await specsMergedBetween(dir, lane.base, before);
      const where = files.filter(Boolean).join(', ') || 'the files it changed';
      const reason = `merge conflict in ${where}`;
      const feedback =
        `mmm could not bring this spec's accepted work onto the run branch: it conflicts, in ${where}, ` +
        `with work merged since the attempt started${others.length ? ` (specs ${others.join(', ')})` : ''}. ` +
        'That attempt was discarded. The work tree now holds the run branch with their changes: do the task ' +
        'again on top of them, keeping what they did.';
      return yield* reattempt(session, workflow, lane, 'conflict', reason, feedback, before, trees);
    }
    const message = await git(dir, ['log', '-1', '--no-color', '--format=%B', tip]);
    applied.push({ merge, commit: await commitAllAs(dir, message.stdout) });
  }
  const alone = applied.length === 1 && before === first.lane.base;
  if (!alone && applied.some((a) => a.commit)) {
    const checked = yield* validateMerged(
      session,
      workflow,
      applied.map((a) => a.merge.item),
      before,
    );
    if (checked.kind !== 'ok') {
      await resetTo(dir, before);
      await setRef(repoRoot, runTipRef(state.runId), before);
      if (checked.kind === 'stop') {
        // Interrupted while validating: the merge is done again on resume.
        return { kind: 'stopped' };
      }
      if (applied.length > 1) {
        parallel.merging = null;
        await saveRunState(session);
        return { kind: 'batch_failed' };
      }
      const { lane } = first;
      const others = await specsMergedBetween(dir, lane.base, before);
      const reason = `failed on the run branch after merging: ${checked.failure.feedback.trim().split('\n')[0] ?? ''}`;
      const feedback =
        `This spec's work passed in its own worktree but failed on the run branch once merged with the work ` +
        `of the specs merged since the attempt started${others.length ? ` (${others.join(', ')})` : ''}. ` +
        'That attempt was discarded; the work tree now holds the run branch. Do the task again so that it ' +
        `passes together with their changes.\n\n${checked.failure.feedback}`;
      return yield* reattempt(
        session,
        workflow,
        lane,
        'merge_failed',
        reason,
        feedback,
        before,
        trees,
      );
    }
  }
  for (const { merge, commit } of applied) {
    const id = merge.lane.specId;
    if (commit) await setRef(repoRoot, specRef(state.runId, id), commit);
    const s = state.specs[id];
    if (s) state.specs[id] = { ...s, status: 'done', ...(commit ? { commit } : {}) };
    const passed = lastPassed(session, id);
    if (passed && commit) passed.commit = commit;
    delete parallel.lanes[id];
  }
  const last = applied.findLast((a) => a.commit)?.commit;
  if (last) await setRef(repoRoot, runTipRef(state.runId), last);
  parallel.merging = null;
  refreshTotals(state);
  await saveRunState(session);
  for (const { merge, commit } of applied) {
    const id = merge.lane.specId;
    yield {
      type: 'lane',
      specId: id,
      phase: 'merged',
      ...(commit ? { commit } : {}),
      queue: queueAfter(session, []),
    };
    yield { type: 'spec_status', specId: id, status: 'done' };
  }
  yield { type: 'totals', totals: state.totals, limits: state.limits };
  return { kind: 'merged', lanes: applied.map((a) => a.merge.lane) };
}

/**
 * The merged work on the run branch, judged like an attempt's against the run branch
 * before the merge: the project's commands, every merged spec's checks, the guard.
 */
async function* validateMerged(
  session: RunSession,
  workflow: Workflow,
  items: ItemRef[],
  before: string,
): AsyncGenerator<RunEventBody, StepResult> {
  const item = items.length === 1 ? (items[0] as ItemRef) : combined(items);
  const attempt = session.state.specs[item.key]?.attempts ?? 1;
  const env = {
    session,
    workflow,
    item,
    cursor: {
      item: item.key,
      attempt,
      start: 'merge',
      step: 'merge',
      checkpoint: before,
      steps: {},
    },
    iteration: undefined,
    notes: {},
    merging: true,
    context: () => ({}),
  };
  return yield* validateStepKind(env, MERGE_CHECK);
}

/** Several merged specs as one item: all their checks, all their protect/allow_edit globs. */
function combined(items: ItemRef[]): ItemRef {
  const head = items[0] as ItemRef;
  const specs = items.flatMap((i) => (i.spec ? [i.spec] : []));
  if (!head.spec) return head;
  return {
    ...head,
    spec: {
      ...head.spec,
      checks: specs.flatMap((s) => s.checks),
      protect: specs.flatMap((s) => s.protect ?? []),
      allowEdit: specs.flatMap((s) => s.allowEdit ?? []),
      criteria: [],
    },
  };
}

export type { MergeEnd, TreeLock };
