import { InterruptedError } from '../errors.js';
import { logger } from '../log.js';
import type { CheckResult } from '../run/events.js';
import type { SpecCheck } from '../specs/model.js';
import type { Sandbox } from '../tools/sandbox.js';
import type { PolicyConfig } from '../tools/command-policy.js';
import { evaluateExpression, type CelBindings } from './cel.js';
import { refusedCheck } from './check-policy.js';
import { runShell } from './exec.js';
import { checkFileContains, checkFileExists } from './file-checks.js';
import { summarizeProjectCommand } from './reports/attach.js';
import { prepareTestRun } from './reports/index.js';
import { summarizeCommand, type CommandMetrics } from './summarize.js';

const log = logger('validate');

export type ProjectCommandKind = 'build' | 'test' | 'lint' | 'typecheck';

export interface ProjectCommand {
  name: ProjectCommandKind;
  command: string;
}

export interface ValidateOptions {
  /** The worktree the attempt changed. */
  root: string;
  /** Run first, in this order (see projectCommandsToRun). */
  commands: ProjectCommand[];
  /** The spec's checks; `expr` checks are evaluated last, over all other results. */
  checks: SpecCheck[];
  /** Per project command, and per `run` check without its own `timeout`. Seconds. */
  timeoutSec: number;
  /** Aborting kills the running command's process group; validateAttempt then rejects. */
  signal?: AbortSignal;
  /** Extra environment for every command. */
  env?: NodeJS.ProcessEnv;
  /** Run every command in this sandbox (the run's tools.sandbox); undefined: none. */
  sandbox?: Sandbox | undefined;
  /** Command policy for the spec's `run` checks (config tools.allow/deny); defaults apply without. */
  policy?: PolicyConfig;
}

export interface ValidationOutcome {
  passed: boolean;
  results: CheckResult[];
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError('Validation interrupted');
}

function bindCommand(bindings: CelBindings, kind: ProjectCommandKind, m: CommandMetrics): void {
  switch (kind) {
    case 'test':
      bindings.tests = { ok: m.ok, passed: m.passed, failed: m.failed, exit_code: m.exitCode };
      break;
    case 'lint':
      bindings.lint = { ok: m.ok, errors: m.errors, warnings: m.warnings, exit_code: m.exitCode };
      break;
    case 'typecheck':
      bindings.typecheck = { ok: m.ok, errors: m.errors, exit_code: m.exitCode };
      break;
    case 'build':
      bindings.build = { ok: m.ok, exit_code: m.exitCode };
      break;
  }
}

/**
 * Validates an attempt: runs the project's commands in order, then the spec's `run`,
 * `file_exists` and `file_contains` checks in spec order, then its `expr` checks over
 * all of those results. Every command runs even when an earlier one failed, so the
 * feedback lists every problem at once. Passed when every result passed.
 */
export async function validateAttempt(options: ValidateOptions): Promise<ValidationOutcome> {
  const { root, signal, env } = options;
  const sandbox = options.sandbox ? { sandbox: options.sandbox } : {};
  const results: CheckResult[] = [];
  const bindings: CelBindings = { checks: [] };

  for (const { name, command } of options.commands) {
    throwIfAborted(signal);
    // A test command is prepared to leave a per-test report (validate/reports).
    const prepared =
      name === 'test' ? await prepareTestRun(command, root, { ...process.env, ...env }) : undefined;
    const run = (text: string, extraEnv?: Record<string, string>) => {
      const commandEnv = extraEnv ? { ...env, ...extraEnv } : env;
      return runShell(text, {
        cwd: root,
        timeoutSec: options.timeoutSec,
        ...(signal ? { signal } : {}),
        ...(commandEnv ? { env: commandEnv } : {}),
        ...sandbox,
        ...(prepared ? { writable: [prepared.dir] } : {}),
      });
    };
    let shell = await run(prepared?.command ?? command, prepared?.env);
    if (prepared && !signal?.aborted && (await prepared.refused(shell))) {
      // The runner did not take mmm's reporter flags (an old version): run it as written.
      prepared.asWritten();
      shell = await run(command);
    }
    if (signal?.aborted) await prepared?.dispose();
    throwIfAborted(signal);
    const summarized = await summarizeProjectCommand(name, shell, {
      timeoutSec: options.timeoutSec,
      root,
      prepared,
    });
    log.debug('command done', {
      name,
      command,
      exitCode: shell.exitCode,
      parser: summarized.parsed.tool,
      tests: summarized.result.tests?.identity,
      summary: summarized.result.summary,
    });
    results.push(summarized.result);
    bindCommand(bindings, name, summarized.metrics);
  }

  for (const check of options.checks) {
    throwIfAborted(signal);
    let result: CheckResult;
    let exitCode: number;
    const refused = check.kind === 'run' ? refusedCheck(check.run, options.policy) : undefined;
    if (refused) {
      result = refused;
      exitCode = refused.exitCode ?? 126;
    } else if (check.kind === 'run') {
      const timeoutSec = check.timeout ?? options.timeoutSec;
      const shell = await runShell(check.run, {
        cwd: root,
        timeoutSec,
        ...(signal ? { signal } : {}),
        ...(env ? { env } : {}),
        ...sandbox,
      });
      throwIfAborted(signal);
      const summarized = summarizeCommand(`run: ${check.run}`, shell, {
        timeoutSec,
        expectExit: check.expectExit,
      });
      result = summarized.result;
      exitCode = summarized.metrics.exitCode;
    } else if (check.kind === 'file_exists') {
      result = await checkFileExists(root, check.path);
      exitCode = result.passed ? 0 : 1;
    } else if (check.kind === 'file_contains') {
      result = await checkFileContains(root, check.path, check.pattern);
      exitCode = result.passed ? 0 : 1;
    } else {
      continue;
    }
    results.push(result);
    bindings.checks.push({ name: result.name, ok: result.passed, exit_code: exitCode });
  }

  for (const check of options.checks) {
    if (check.kind !== 'expr') continue;
    const started = Date.now();
    const outcome = evaluateExpression(check.expr, bindings);
    const name = `expr: ${check.expr}`;
    if (outcome.ok) {
      results.push({
        name,
        passed: outcome.value,
        summary: outcome.value ? 'true' : `false (${describeBindings(check.expr, bindings)})`,
        durationMs: Date.now() - started,
      });
    } else {
      results.push({
        name,
        passed: false,
        summary: outcome.message,
        durationMs: Date.now() - started,
      });
    }
  }

  return { passed: results.every((r) => r.passed), results };
}

/** The values an expression read, so "false" comes with the actual numbers. */
function describeBindings(expr: string, bindings: CelBindings): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(bindings)) {
    if (name === 'checks' || value === undefined) continue;
    if (!new RegExp(`\\b${name}\\b`).test(expr)) continue;
    const fields = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    parts.push(`${name}: ${fields}`);
  }
  if (/\bchecks\b/.test(expr)) {
    const failing = bindings.checks.filter((c) => !c.ok).map((c) => c.name);
    parts.push(failing.length ? `failing checks: ${failing.join('; ')}` : 'all checks ok');
  }
  return parts.join('; ') || 'no values read';
}
