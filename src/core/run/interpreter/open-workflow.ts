import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import { loadWorkflow } from '../../workflow/load.js';
import { sha256 } from '../../workflow/parse.js';
import { expandWorkflowSteps } from './expand.js';
import type { Step, Workflow } from '../../workflow/model.js';
import type { RunState } from '../store/state.js';
import { recoveryOf } from '../steps/index.js';

/**
 * The workflow of a run that is resumed: the file it started with, unchanged (its sha256
 * is recorded), unless `--force`. A run from before workflows gets the built-in it
 * implied (`specs` or `review`) and its cursor is derived from the step it was in.
 */
export async function reopenWorkflow(
  state: RunState,
  repoRoot: string,
  force: boolean,
): Promise<{ workflow: Workflow; warnings: string[] }> {
  const recorded = state.workflowRun;
  if (!recorded) {
    const workflow = await expandWorkflowSteps(
      await loadWorkflow(repoRoot, state.workflow),
      repoRoot,
    );
    state.workflowRun = {
      name: workflow.name,
      path: workflow.source.path,
      origin: workflow.source.origin,
      hash: workflow.source.hash,
      vars: { ...workflow.vars, ...(state.plan?.focus ? { focus: state.plan.focus } : {}) },
      cursor: null,
    };
    return { workflow, warnings: [] };
  }
  let text: Buffer;
  try {
    text = await readFile(recorded.path);
  } catch {
    throw new InputError(`the workflow file of run ${state.runId} is gone: ${recorded.path}`, {
      hint: 'restore it (the run needs the steps it started with), or start a new run',
    });
  }
  const hash = sha256(text);
  const warnings: string[] = [];
  if (hash !== recorded.hash) {
    if (!force) {
      throw new InputError(
        `the workflow ${recorded.name} changed since run ${state.runId} started (${recorded.path})`,
        {
          hint: 'restore the file to resume the run as it was started, or resume with --force to continue with the changed steps',
        },
      );
    }
    warnings.push(
      `--force: the workflow ${recorded.path} changed since the run started; continuing with the changed file`,
    );
  }
  const workflow = await expandWorkflowSteps(await loadWorkflow(repoRoot, recorded.path), repoRoot);
  if (hash !== recorded.hash) {
    recorded.hash = hash;
    const cursor = recorded.cursor;
    // A cursor on a step that no longer exists: the item starts over.
    if (cursor && !workflow.steps.some((s) => s.id === cursor.step)) {
      recorded.cursor = null;
      state.current = null;
    }
  }
  return { workflow, warnings };
}

/**
 * A run from before workflows, resumed at its validate or commit step (recovery kept the
 * agent's changes): the cursor of the built-in workflow at the step of that kind.
 */
export function cursorFromOldStep(state: RunState, workflow: Workflow): void {
  const current = state.current;
  const run = state.workflowRun;
  if (!current || current.stepId || !run || run.cursor) return;
  if (current.step !== 'validate' && current.step !== 'commit') {
    state.current = null;
    return;
  }
  const step = workflow.steps.find((s) => recoveryOf(s) === current.step) as Step | undefined;
  const first = workflow.steps[0];
  if (!step || !first) {
    state.current = null;
    return;
  }
  current.stepId = step.id;
  run.cursor = {
    item: current.specId,
    attempt: current.attempt,
    start: first.id,
    step: step.id,
    checkpoint: current.checkpoint,
    steps: {},
  };
}
