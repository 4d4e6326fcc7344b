import { isMmmError, ExitCode, InputError } from '../core/errors.js';
import { isDebug } from '../core/log.js';
import { redact } from '../core/secrets/redact.js';
import { paint } from '../ui/colors.js';

/**
 * The one place that turns errors into exit codes. Every command action is wrapped
 * by `action`; user errors print one clear message without a stack.
 */
export function reportError(error: unknown): number {
  // Every line printed here passes the redaction layer: messages can quote anything.
  const stderr = { write: (text: string) => process.stderr.write(redact(text)) };
  if (isMmmError(error)) {
    stderr.write(`${paint.red('mmm:')} ${error.message}\n`);
    if (error instanceof InputError) {
      for (const problem of error.problems) stderr.write(`  ${problem}\n`);
    }
    if (error.hint) stderr.write(`${paint.dim('hint:')} ${error.hint}\n`);
    if (isDebug() && error.stack) stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  stderr.write(`${paint.red('mmm: internal error:')} ${err.message}\n`);
  if (isDebug()) stderr.write(`${err.stack ?? ''}\n`);
  else stderr.write(`${paint.dim('Run again with --debug for details.')}\n`);
  return ExitCode.WorkFailed;
}

export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
