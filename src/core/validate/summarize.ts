import type { CheckResult } from '../run/events.js';
import type { ShellResult } from './exec.js';
import { headOf, tailOf } from './output-buffer.js';
import { parseOutput, type ParsedOutput } from './parsers/index.js';

/** Bound on CheckResult.output, characters. */
export const OUTPUT_LIMIT = 4096;

/** Counts a command produced, as the CEL variables expose them. */
export interface CommandMetrics {
  ok: boolean;
  exitCode: number;
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
}

export interface SummarizedCommand {
  result: CheckResult;
  metrics: CommandMetrics;
  parsed: ParsedOutput;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Stack frames inside the runtime or dependencies: they never tell the model what to fix. */
const NOISE = [
  /^[ \t]+at (?:.*\()?(?:node:|internal\/|.*[/\\]node_modules[/\\])/,
  /\((?:node:|internal\/)[^)]*\)[ \t]*$/,
  /^[ \t]+at \/rustc\//,
  /^[ \t]+\d+: (?:__rustc::|core::|std::|alloc::|<fn\(|<alloc::|<core::|<std::)/,
];

/** Removes stack frames inside the runtime and dependencies. */
export function dropNoise(text: string): string {
  let dropped = 0;
  const kept = text.split('\n').filter((line) => {
    const noisy = NOISE.some((re) => re.test(line));
    if (noisy) dropped++;
    return !noisy;
  });
  return dropped ? kept.join('\n') : text;
}

/**
 * The part of the output worth showing: from where the parser located the failures
 * (bounded), followed by the very end (where summaries live); else the tail.
 */
export function focusOutput(output: string, failureStart: number | undefined): string {
  if (failureStart === undefined || failureStart <= 0)
    return tailOf(dropNoise(output), OUTPUT_LIMIT);
  const region = dropNoise(output.slice(failureStart));
  if (region.trimEnd().length <= OUTPUT_LIMIT) return region.trimEnd();
  const tailBudget = Math.floor(OUTPUT_LIMIT / 4);
  return `${headOf(region, OUTPUT_LIMIT - tailBudget)}\n${tailOf(region, tailBudget)}`;
}

function exitText(shell: ShellResult, timeoutSec: number): string | undefined {
  if (shell.spawnError) return `could not start: ${shell.spawnError}`;
  if (shell.timedOut) return `timed out after ${timeoutSec}s`;
  if (shell.aborted) return 'aborted';
  if (shell.exitCode === null) return `killed by ${shell.signal ?? 'a signal'}`;
  return shell.exitCode === 0 ? undefined : `exit ${shell.exitCode}`;
}

/** "41 passed, 2 failed", "3 errors, 1 warning", "exit 2", "timed out after 60s" … */
export function summaryLine(parsed: ParsedOutput, shell: ShellResult, timeoutSec: number): string {
  const exit = exitText(shell, timeoutSec);
  const parts: string[] = [];
  if (parsed.passed !== undefined || parsed.failed !== undefined) {
    parts.push(`${parsed.passed ?? 0} passed, ${parsed.failed ?? 0} failed`);
  } else if ((parsed.errors ?? 0) > 0 || (parsed.warnings ?? 0) > 0) {
    const counts = [plural(parsed.errors ?? 0, 'error')];
    if (parsed.warnings) counts.push(plural(parsed.warnings, 'warning'));
    parts.push(counts.join(', '));
  }
  if (!exit) return parts[0] ?? 'ok';
  if (!parts.length) return exit;
  // The counts say what failed; the exit adds only what they do not (a timeout, an
  // exit with no failing test).
  const countsShowFailure = (parsed.failed ?? 0) > 0 || (parsed.errors ?? 0) > 0;
  const counts = parts[0] ?? '';
  return countsShowFailure && exit.startsWith('exit ') ? counts : `${exit} (${counts})`;
}

/**
 * Turns a finished command into its CheckResult. It passed when it exited 0 within its
 * time (and, for `run` checks, with the expected code). Counts nobody printed are derived
 * from the exit code: a failing command with no recognizable output counts 1 failure/error.
 */
export function summarizeCommand(
  name: string,
  shell: ShellResult,
  options: { timeoutSec: number; expectExit?: number },
): SummarizedCommand {
  const parsed = parseOutput(shell.output);
  const expected = options.expectExit ?? 0;
  const passed = shell.exitCode === expected && !shell.timedOut && !shell.aborted;
  const exitCode = shell.exitCode ?? -1;
  const failedByExit = exitCode === 0 ? 0 : 1;
  const hasTestCounts = parsed.passed !== undefined || parsed.failed !== undefined;
  const hasLintCounts = parsed.errors !== undefined;
  const metrics: CommandMetrics = {
    ok: passed,
    exitCode,
    passed: parsed.passed ?? 0,
    failed: hasTestCounts ? (parsed.failed ?? 0) : failedByExit,
    errors: hasLintCounts
      ? (parsed.errors ?? 0)
      : hasTestCounts
        ? (parsed.failed ?? 0)
        : failedByExit,
    warnings: parsed.warnings ?? 0,
  };
  let summary = summaryLine(parsed, shell, options.timeoutSec);
  if (options.expectExit !== undefined && options.expectExit !== 0 && shell.exitCode !== null) {
    summary = passed ? `exit ${exitCode} as expected` : `exit ${exitCode}, expected ${expected}`;
  }
  const result: CheckResult = {
    name,
    passed,
    summary,
    durationMs: shell.durationMs,
  };
  if (shell.exitCode !== null) result.exitCode = shell.exitCode;
  if (!passed) {
    if (parsed.failedTests.length) result.failedTests = parsed.failedTests;
    const output = focusOutput(shell.output, parsed.failureStart);
    if (output) result.output = output;
  }
  return { result, metrics, parsed };
}
