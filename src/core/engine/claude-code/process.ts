import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `claude` child of one step. It runs in mmm's process group (a Ctrl-C in the
 * terminal reaches it too) and, when mmm has its bubblewrap sandbox, inside it with
 * --die-with-parent and a PID namespace: a kill -9 of mmm takes it and every process
 * it started down with it. Without the sandbox its pid is recorded in the run
 * directory, and the next mmm process for the run (--resume) ends a leftover one.
 */

const PID_FILE = 'claude-code.pid';

/** SIGINT first (Claude Code stops its turn), then SIGTERM, then SIGKILL. */
export const STOP_GRACE_MS = 3000;

interface PidRecord {
  pid: number;
  /** The process's start time (field 22 of /proc/<pid>/stat), so a reused pid is not killed. */
  start: string;
}

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Ends a `claude` left running by an mmm process that died (kill -9): true when one was. */
export function reapLeftover(runDir: string): boolean {
  const file = join(runDir, PID_FILE);
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  if (!record.pid || startTime(record.pid) !== record.start) return false;
  try {
    process.kill(record.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

export interface ClaudeChild {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB of its stderr. */
  stderr(): string;
  /** SIGINT, then SIGTERM and SIGKILL if it does not exit; resolves when it is gone. */
  stop(hard?: boolean): Promise<void>;
}

export function spawnClaude(args: {
  file: string;
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input: string;
  runDir: string;
}): ClaudeChild {
  const child = spawn(args.file, args.argv, {
    cwd: args.cwd,
    env: args.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pidFile = join(args.runDir, PID_FILE);
  const start = child.pid ? startTime(child.pid) : undefined;
  if (child.pid && start) {
    try {
      writeFileSync(pidFile, JSON.stringify({ pid: child.pid, start } satisfies PidRecord));
    } catch {
      // The run directory is gone; nothing to reap later either.
    }
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (error) => {
      stderr = `${stderr}${error.message}\n`.slice(-4000);
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => rmSync(pidFile, { force: true }));
  child.stdin?.on('error', () => undefined); // it may exit before reading its prompt
  child.stdin?.end(args.input);

  let stopping: Promise<void> | undefined;
  const stop = (hard = false): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    stopping ??= (async () => {
      const steps: NodeJS.Signals[] = hard
        ? ['SIGTERM', 'SIGKILL']
        : ['SIGINT', 'SIGTERM', 'SIGKILL'];
      for (const signal of steps) {
        try {
          child.kill(signal);
        } catch {
          return;
        }
        const gone = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS).unref()),
        ]);
        if (gone) return;
      }
    })();
    return stopping;
  };
  return { child, exited, stderr: () => stderr, stop };
}
