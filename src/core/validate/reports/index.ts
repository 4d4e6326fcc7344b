import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShellResult } from '../exec.js';
import type { TestReport } from '../test-report.js';
import { consoleOutput, readReports, testReport, type ConsoleFacts } from './collect.js';
import { instrumentTestCommand } from './instrument.js';
import type { InstrumentedCommand } from './types.js';

export { diagnosticReport, MAX_DIAGNOSTICS } from './diagnostics.js';
export { instrumentTestCommand, runnerOf } from './instrument.js';
export { readReports, testReport, junitFilesSince, type ConsoleFacts } from './collect.js';
export type { InstrumentedCommand, ReportFile, ReportFormat } from './types.js';

/** A test command made ready to report per-test results (see instrument.ts, collect.ts). */
export interface PreparedTestRun {
  /** The report directory: the runner must be able to write there (a sandbox binds it). */
  dir: string;
  /** What to run instead of the project's command text. */
  command: string;
  /** Extra environment for it. */
  env: Record<string, string>;
  instrumented: InstrumentedCommand;
  /** The console as mmm should summarize it (go test -json's stream rebuilt as text). */
  console(output: string): Promise<string>;
  /** Reads the reports (or the console) into the command's TestReport. */
  report(facts: ConsoleFacts): Promise<TestReport>;
  /**
   * True when the runner rejected the flags mmm added (an unknown option, as an old
   * runner version says) and left no report: the command should run again as written.
   */
  refused(shell: ShellResult): Promise<boolean>;
  /** The command runs again as written: its console alone is read. */
  asWritten(): void;
  /** Removes the report directory. */
  dispose(): Promise<void>;
}

const UNKNOWN_OPTION =
  /unknown (?:option|argument|flag)|unrecognized (?:option|argument)|bad option|flag provided but not defined|unexpected argument|no such option|invalid option/i;

/**
 * Prepares one run of a test command: a fresh report directory outside the checkout (so
 * nothing lands in the attempt's diff), the instrumented command, and the readers.
 */
export async function prepareTestRun(
  command: string,
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PreparedTestRun> {
  const dir = await mkdtemp(join(tmpdir(), 'mmm-tests-'));
  const startedAt = Date.now();
  const instrumented = await instrumentTestCommand(command, root, dir, env);
  return {
    dir,
    command: instrumented.command,
    env: instrumented.env,
    instrumented,
    console: (output) => consoleOutput(instrumented, output),
    report: async (facts) =>
      testReport(
        instrumented,
        await readReports(instrumented, root, startedAt, facts.output),
        facts,
      ),
    refused: async (shell) => {
      if (instrumented.command === command || shell.exitCode === 0 || shell.timedOut) return false;
      if (!UNKNOWN_OPTION.test(shell.output)) return false;
      // Nothing but mmm's own node reporter module (and empty files, as a redirect leaves).
      for (const f of await readdir(dir).catch(() => [] as string[])) {
        if (f === 'mmm-node-reporter.mjs') continue;
        if (((await stat(join(dir, f)).catch(() => undefined))?.size ?? 0) > 0) return false;
      }
      return true;
    },
    asWritten: () => {
      Object.assign(instrumented, { command, env: {}, reportFiles: [] });
      delete instrumented.stdoutReport;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
