import { runShell } from '../../validate/index.js';
import type { GoalSeekStep } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { expandTemplate, TemplateError } from '../interpreter/context.js';
import type { RunSession } from '../session.js';
import { runAgentTask } from './agent-task.js';
import { failed, interrupted, type StepEnv, type StepResult } from './types.js';

/** The last number a score command printed (`87.5%` → 87.5); undefined when none. */
export function lastNumber(output: string): number | undefined {
  const all = output.match(/-?\d+(?:\.\d+)?/g);
  const last = all?.at(-1);
  return last === undefined ? undefined : Number(last);
}

async function score(
  session: RunSession,
  command: string,
  timeoutSec: number,
): Promise<{ value?: number; output: string; aborted: boolean }> {
  const scope = session.stopper.stepSignal();
  try {
    const run = await runShell(command, {
      cwd: session.workDir,
      timeoutSec,
      signal: scope.signal,
      ...(session.tools.sandbox ? { sandbox: session.tools.sandbox } : {}),
    });
    const value = run.exitCode === 0 ? lastNumber(run.output) : undefined;
    return { ...(value !== undefined ? { value } : {}), output: run.output, aborted: run.aborted };
  } finally {
    scope.dispose();
  }
}

/**
 * `goal_seek:` — measure with the score command; while the target is not reached, run
 * the agent (told the score and the target) and measure again, at most `max_attempts`
 * agent runs. The output is the last score. The changes accumulate; a validate step
 * after it judges them like any other.
 */
export async function* goalSeekStepKind(
  env: StepEnv,
  step: GoalSeekStep,
): AsyncGenerator<RunEventBody, StepResult> {
  const { session, item, cursor } = env;
  let prompt: string;
  let command: string;
  try {
    prompt = expandTemplate(step.prompt, env.context()).trim();
    command = expandTemplate(step.score, env.context());
  } catch (error) {
    if (error instanceof TemplateError) return failed(error.message, 'template');
    throw error;
  }
  const timeout = step.timeout ?? session.config.validate.timeout;
  // `target: "${vars.x}"`: the variable's value now (`--var x=95` sets it).
  const vars = env.context().vars as Record<string, string>;
  const target = step.targetVar !== undefined ? Number(vars[step.targetVar]) : step.target;
  if (!Number.isFinite(target)) {
    return failed(
      `target: vars.${step.targetVar ?? ''} is ${JSON.stringify(vars[step.targetVar ?? ''])}, not a number`,
      `goal_seek:${step.id}:target`,
    );
  }
  const reached = (v: number) => (step.direction === 'down' ? v <= target : v >= target);
  const goal = `${step.direction === 'down' ? 'at most' : 'at least'} ${target}`;
  for (let runs = 0; ; runs++) {
    const measured = await score(session, command, timeout);
    if (session.stopper.stopping) return interrupted();
    if (measured.value === undefined) {
      return failed(
        `The score command \`${command}\` printed no number (or failed):\n${measured.output.trim().slice(-2000)}`,
        `goal_seek:${step.id}:no_score`,
      );
    }
    if (reached(measured.value)) return { kind: 'ok', output: String(measured.value) };
    if (runs >= step.maxAttempts) {
      return failed(
        `The score is ${measured.value}, the target ${goal} was not reached after ${runs} agent run${runs === 1 ? '' : 's'}.`,
        `goal_seek:${step.id}:${measured.value}`,
      );
    }
    yield { type: 'step', specId: item.key, attempt: cursor.attempt, step: 'goal_seek' };
    const result = yield* runAgentTask(env, {
      prompt: `${prompt}\n\nThe score command \`${command}\` prints ${measured.value} now; the target is ${goal}. mmm measures again when you end your turn.`,
      ...(step.maxTurns !== undefined ? { maxTurns: step.maxTurns } : {}),
      ...(step.model !== undefined ? { model: step.model } : {}),
      ...(step.model !== undefined ? { model: step.model } : {}),
      ...(step.budget ? { budget: step.budget } : {}),
    });
    if (result.kind !== 'ok') return result;
  }
}
