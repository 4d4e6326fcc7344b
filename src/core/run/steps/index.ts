import type { Step } from '../../workflow/model.js';
import type { RunEventBody, RunStep } from '../events.js';
import { agentStepKind } from './agent.js';
import { commitStepKind } from './commit.js';
import { goalSeekStepKind } from './goal-seek.js';
import { shellStepKind } from './shell.js';
import type { StepEnv, StepResult } from './types.js';
import { validateStepKind } from './validate.js';

export type { StepEnv, StepResult, Failure } from './types.js';

/**
 * What recovery does with the work tree when a step was cut off (run/lifecycle/recover.ts): an
 * agent's half-done work is redone from the attempt's checkpoint; the changes a shell or
 * validate step runs on are kept and the step runs again; a commit is recognised by its
 * trailers.
 */
export function recoveryOf(step: Step): RunStep {
  switch (step.kind) {
    case 'agent':
    case 'workflow':
      return 'agent';
    case 'goal_seek':
      return 'goal_seek';
    case 'shell':
      return 'shell';
    case 'validate':
      return 'validate';
    case 'commit':
      return 'commit';
  }
}

/** Run one step of the item (the `workflow` kind is expanded before the run starts). */
export async function* runStep(env: StepEnv, step: Step): AsyncGenerator<RunEventBody, StepResult> {
  switch (step.kind) {
    case 'agent':
      return yield* agentStepKind(env, step);
    case 'shell':
      return yield* shellStepKind(env, step);
    case 'validate':
      return yield* validateStepKind(env, step);
    case 'commit':
      return yield* commitStepKind(env, step);
    case 'goal_seek':
      return yield* goalSeekStepKind(env, step);
    case 'workflow':
      throw new Error(`step ${step.id}: workflow steps are expanded before the run starts`);
  }
}
