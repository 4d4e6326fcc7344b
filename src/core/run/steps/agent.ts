import type { AgentStep } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { expandTemplate, TemplateError } from '../interpreter/context.js';
import { runAgentTask } from './agent-task.js';
import { failed, type StepEnv, type StepResult } from './types.js';

/**
 * `agent:` — the model works on the item with the file and shell tools; its summary is
 * the step's output. mmm, not the model, decides success: a later validate step judges
 * the work, and an agent that stops early (a repeated tool call, a refusal, tampering
 * with git) fails the step.
 */
export async function* agentStepKind(
  env: StepEnv,
  step: AgentStep,
): AsyncGenerator<RunEventBody, StepResult> {
  let prompt: string;
  try {
    prompt = expandTemplate(step.prompt, env.context()).trim();
  } catch (error) {
    if (error instanceof TemplateError) return failed(error.message, 'template');
    throw error;
  }
  yield { type: 'step', specId: env.item.key, attempt: env.cursor.attempt, step: 'agent' };
  const result = yield* runAgentTask(env, {
    prompt,
    ...(step.maxTurns !== undefined ? { maxTurns: step.maxTurns } : {}),
    ...(step.model !== undefined ? { model: step.model } : {}),
    ...(step.budget ? { budget: step.budget } : {}),
  });
  if (result.kind !== 'ok') return result;
  return { kind: 'ok', output: result.output ?? '' };
}
