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

/** Every process below `pid` (read from /proc), children before grandchildren. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift() as number;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${next}/task/${next}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number);
    } catch {
      // Gone already.
    }
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Who gets the first, polite signal. Inside bubblewrap the child is bwrap, which a SIGINT
 * kills outright (and with it, at once, everything in its PID namespace): the SIGINT goes
 * to the processes bwrap runs instead, so that Claude Code ends its turn itself.
 */
function politeTargets(child: ChildProcess, sandboxed: boolean): number[] {
  if (!child.pid) return [];
  if (!sandboxed) return [child.pid];
  const inside = descendants(child.pid).filter((pid) => commandName(pid) !== 'bwrap');
  return inside.length ? inside.slice(0, 1) : [child.pid];
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
  /** The file is bwrap, running claude in a PID namespace. */
  sandboxed: boolean;
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
          if (signal === 'SIGINT') {
            for (const pid of politeTargets(child, args.sandboxed)) process.kill(pid, signal);
          } else child.kill(signal);
        } catch {
          // Already gone: the wait below returns at once.
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
