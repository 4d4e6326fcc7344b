/**
 * The few error classes mmm uses. Each carries the process exit code it maps to;
 * only the CLI entry point (src/cli/run-command.ts) turns them into an exit.
 */
export const ExitCode = {
  Ok: 0,
  WorkFailed: 1,
  BadInput: 2,
  LimitReached: 3,
  Provider: 4,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Each exit code in a few words, as `mmm --help` lists them (src/cli/exit-codes-help.ts);
 * docs/exit-codes.md says the same at length, and a test keeps the two in step.
 */
export const EXIT_CODE_MEANING: Record<ExitCode, string> = {
  [ExitCode.Ok]: 'ok',
  [ExitCode.WorkFailed]: 'some work failed',
  [ExitCode.BadInput]: 'bad input',
  [ExitCode.LimitReached]: 'limit reached (resumable)',
  [ExitCode.Provider]: 'provider/auth error',
  [ExitCode.Interrupted]: 'interrupted (resumable)',
};

export class MmmError extends Error {
  readonly exitCode: ExitCode;
  /** One line telling the user how to fix it, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options?.hint;
  }
}

/** Usage, config, spec, not-a-git-repository, lock held: exit 2, nothing changed. */
export class InputError extends MmmError {
  /** Every problem found, each already formatted as `file:line:col: message`. */
  readonly problems: readonly string[];
  constructor(message: string, options?: { hint?: string; problems?: string[]; cause?: unknown }) {
    super(message, ExitCode.BadInput, options);
    this.problems = options?.problems ?? [];
  }
}

/** The run finished but some work failed: exit 1. */
export class WorkFailedError extends MmmError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, ExitCode.WorkFailed, options);
  }
}

/** Iterations, cost, tokens, time or stagnation limit: exit 3, resumable. */
export class LimitReachedError extends MmmError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, ExitCode.LimitReached, options);
  }
}

/** No key, authentication, retries exhausted: exit 4. */
export class ProviderError extends MmmError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, ExitCode.Provider, options);
  }
}

/** Stopped by SIGINT/SIGTERM: exit 130, resumable. */
export class InterruptedError extends MmmError {
  constructor(message = 'Interrupted', options?: { hint?: string; cause?: unknown }) {
    super(message, ExitCode.Interrupted, options);
  }
}

export function isMmmError(error: unknown): error is MmmError {
  return error instanceof MmmError;
}
