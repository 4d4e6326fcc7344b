import { hasChanges } from '../../git/index.js';
import { redact } from '../../secrets/redact.js';
import { runShell } from '../../validate/index.js';
import type { ShellStep } from '../../workflow/model.js';
import type { RunEventBody } from '../events.js';
import { expandTemplate, TemplateError } from '../interpreter/context.js';
import { failed, interrupted, type StepEnv, type StepResult } from './types.js';

/** Output kept as `steps.<id>.output` (the tail: what a failing command says last). */
export const OUTPUT_LIMIT = 8000;

function tail(text: string): string {
  // Trailing newlines dropped: `${steps.count.output}` reads as the value it printed.
  const clean = redact(text).replace(/\s+$/, '');
  return clean.length > OUTPUT_LIMIT ? `[…]\n${clean.slice(-OUTPUT_LIMIT)}` : clean;
}

/**
 * `shell:` — a command of the workflow's author, run in the work tree (in the sandbox
 * when there is one, with the agent's secret-free environment). Its exit code must be
 * `expect_exit`; its output is captured. Redone on resume when it was cut off.
 */
export async function* shellStepKind(
  env: StepEnv,
  step: ShellStep,
): AsyncGenerator<RunEventBody, StepResult> {
  const { session, item, cursor } = env;
  const { stopper } = session;
  let command: string;
  try {
    command = expandTemplate(step.command, env.context());
  } catch (error) {
    if (error instanceof TemplateError) return failed(error.message, 'template');
    throw error;
  }
  if (command.trim() === '') {
    // e.g. `${vars.test}` defaulting to the project's test command when none is configured.
    return failed(
      `step ${step.id}: \`${step.command}\` is an empty command here: set the command with --var, or the project's command in .mmm/config.toml ([commands])`,
      'empty-command',
    );
  }
  yield { type: 'step', specId: item.key, attempt: cursor.attempt, step: 'shell' };
  const scope = stopper.stepSignal();
  try {
    const shell = await runShell(command, {
      cwd: session.workDir,
      timeoutSec: step.timeout ?? session.config.validate.timeout,
      signal: scope.signal,
      ...(session.tools.sandbox ? { sandbox: session.tools.sandbox } : {}),
    });
    if (stopper.stopping) return interrupted();
    const output = tail(shell.output);
    const changed = await hasChanges(session.workDir);
    const exitCode = shell.exitCode ?? -1;
    if (shell.exitCode !== step.expectExit) {
      const how = shell.timedOut
        ? `timed out after ${step.timeout ?? session.config.validate.timeout}s`
        : shell.spawnError
          ? `could not start: ${shell.spawnError}`
          : shell.exitCode === null
            ? `was killed by ${shell.signal ?? 'a signal'}`
            : `exited with ${shell.exitCode}`;
      return {
        kind: 'failed',
        failure: {
          outcome: 'failed',
          feedback: `\`${command}\` ${how} (expected exit ${step.expectExit}).${output.trim() ? `\n${output.trim()}` : ''}`,
          fingerprint: `shell:${step.id}:${exitCode}`,
          results: [],
        },
        output,
        exitCode,
        changed,
      };
    }
    return { kind: 'ok', output, exitCode, changed };
  } catch (error) {
    if (stopper.stopping) return interrupted();
    throw error;
  } finally {
    scope.dispose();
  }
}
