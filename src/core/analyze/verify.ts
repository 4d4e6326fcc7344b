import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { git } from '../git/exec.js';
import { linkDependencyDirs } from '../git/dependency-links.js';
import { removeWorktree } from '../git/worktree.js';
import { runShell } from '../validate/exec.js';
import { summarizeProjectCommand } from '../validate/reports/attach.js';
import { prepareTestRun } from '../validate/reports/index.js';
import { findGitTop } from './cache.js';
import { cannotRun } from './install-hints.js';
import type { Analysis, CommandName, Verification } from './types.js';

/**
 * `mmm analyze --verify`: runs each detected command, with a timeout, in a temporary
 * worktree of HEAD (the user's checkout is never touched; its installed dependencies are
 * linked in, as for a run), and records what happened: runs and passes, runs and fails
 * (with the failure count a per-test report or the console gave), or cannot run (exit
 * 126/127, a missing tool — with an install hint). Format runs last: it edits files.
 */
export const VERIFY_ORDER: readonly CommandName[] = [
  'build',
  'typecheck',
  'lint',
  'test',
  'format',
];
const TAIL = 1000;

export interface VerifyOptions {
  /** Seconds per command. */
  timeoutSec: number;
  signal?: AbortSignal;
  /** Called before each command runs and after it finished (for progress output). */
  onProgress?(event: { name: CommandName; command: string; result?: Verification }): void;
}

export async function verifyCommands(
  analysis: Analysis,
  options: VerifyOptions,
): Promise<Analysis> {
  const top = findGitTop(analysis.root);
  if (!top) {
    throw new InputError(`cannot verify commands in ${analysis.root}: not a git repository`, {
      hint: 'commands are verified in a temporary worktree of HEAD; run `git init` and commit first',
    });
  }
  const head = analysis.git?.head ?? null;
  if (!head) {
    throw new InputError(
      `cannot verify commands in ${analysis.root}: the repository has no commits`,
      {
        hint: 'commit the project first: commands are verified in a temporary worktree of HEAD',
      },
    );
  }
  const base = await mkdtemp(join(tmpdir(), 'mmm-verify-'));
  const worktree = join(base, 'tree');
  try {
    await git(top, ['worktree', 'add', '--detach', '--quiet', worktree, head]);
    await linkDependencyDirs(top, worktree);
    const cwd = join(worktree, relative(top, analysis.root));
    const seen = new Map<string, Verification>();
    for (const name of VERIFY_ORDER) {
      const src = analysis.commandSources[name];
      const command = analysis.commands[name];
      if (!src || !command) continue;
      if (options.signal?.aborted) break;
      options.onProgress?.({ name, command });
      // lint and typecheck are often the same command (`go vet ./...`): run it once.
      const result = seen.get(command) ?? (await runOne(name, command, cwd, options));
      seen.set(command, result);
      src.verification = result;
      if (result.status === 'passes' || result.status === 'fails') src.confidence = 'verified';
      if (result.status === 'cannot-run') {
        src.confidence = 'guess';
        src.sure = false;
      }
      options.onProgress?.({ name, command, result });
    }
    analysis.verified = { at: new Date().toISOString(), head, timeoutSec: options.timeoutSec };
    return analysis;
  } finally {
    await removeWorktree(top, worktree).catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  }
}

async function runOne(
  name: CommandName,
  command: string,
  cwd: string,
  options: VerifyOptions,
): Promise<Verification> {
  const prepared = name === 'test' ? await prepareTestRun(command, cwd) : undefined;
  // npx must not download a tool the project does not have: that is "cannot run".
  const env = { npm_config_yes: 'false', npm_config_offline: 'true' };
  const run = (text: string, extra?: Record<string, string>) =>
    runShell(text, {
      cwd,
      timeoutSec: options.timeoutSec,
      env: { ...env, ...extra },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(prepared ? { writable: [prepared.dir] } : {}),
    });
  let shell = await run(prepared?.command ?? command, prepared?.env);
  if (prepared && (await prepared.refused(shell))) {
    prepared.asWritten();
    shell = await run(command);
  }
  const summarized = await summarizeProjectCommand(name, shell, {
    timeoutSec: options.timeoutSec,
    root: cwd,
    prepared,
  });
  const tail = shell.output.length > TAIL ? shell.output.slice(-TAIL) : shell.output;
  const base = { exitCode: shell.exitCode, durationMs: shell.durationMs, tail };
  if (shell.timedOut) return { status: 'timed-out', ...base };
  const missing = cannotRun(command, shell.exitCode, shell.output, shell.spawnError);
  if (missing) return { status: 'cannot-run', ...base, hint: missing };
  const tests = summarized.result.tests;
  const counts =
    tests && tests.passed + tests.failed > 0
      ? { tests: tests.passed + tests.failed + tests.skipped, failures: tests.failed }
      : summarized.result.diagnostics && shell.exitCode !== 0
        ? { failures: summarized.result.diagnostics.errors }
        : {};
  return { status: shell.exitCode === 0 ? 'passes' : 'fails', ...base, ...counts };
}
