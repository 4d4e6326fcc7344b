import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Sandbox } from '../tools/sandbox.js';
import { agentEnv, worktreeCeiling } from '../tools/shell-env.js';
import { HeadTailBuffer, cleanOutput } from './output-buffer.js';

/** What one shell command did. */
export interface ShellResult {
  /** The exit code, or null when the process was ended by a signal (timeout, abort). */
  exitCode: number | null;
  /** The signal that ended it, when one did. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** stdout and stderr interleaved, ANSI-stripped, head+tail bounded. */
  output: string;
  durationMs: number;
  /** Set when the shell itself could not be started. */
  spawnError?: string;
}

export interface ShellOptions {
  cwd: string;
  timeoutSec: number;
  signal?: AbortSignal;
  /** Merged over the non-interactive defaults, which are merged over process.env. */
  env?: NodeJS.ProcessEnv;
  /** Grace between SIGTERM and SIGKILL, milliseconds. */
  killGraceMs?: number;
  /** Run inside this sandbox (tools.sandbox), with a private /tmp per command. */
  sandbox?: Sandbox;
  /** More paths the command may write inside the sandbox (e.g. a test report directory). */
  writable?: string[];
}

/**
 * Variables that keep tools from waiting for a human or painting a terminal:
 * nobody is there to answer a prompt during validation.
 */
export const NON_INTERACTIVE_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CARGO_TERM_COLOR: 'never',
  PY_COLORS: '0',
  TERM: 'dumb',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GIT_TERMINAL_PROMPT: '0',
  DEBIAN_FRONTEND: 'noninteractive',
  PIP_NO_INPUT: '1',
  npm_config_yes: 'true',
  HUSKY: '0',
};

/**
 * Runs `command` with `bash -c` in `cwd`, stdin closed, in its own process group, so a
 * timeout or an abort kills the command and everything it started (test workers, dev
 * servers). Never rejects for the command's own failure: a non-zero exit, a timeout or a
 * missing shell is reported in the result. In a sandbox, the command's PID namespace also
 * ends every process it started, those that left the process group (setsid) included.
 */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const started = Date.now();
  const buffer = new HeadTailBuffer();
  // The agent's shell environment (no secrets, non-interactive): a check script the model
  // edited can no more read the API key than the model's own commands.
  const env: NodeJS.ProcessEnv = {
    ...agentEnv(process.env),
    ...worktreeCeiling(options.cwd),
    ...NON_INTERACTIVE_ENV,
    ...options.env,
  };
  if (!existsSync(options.cwd)) {
    return Promise.resolve({
      exitCode: null,
      signal: null,
      timedOut: false,
      aborted: false,
      output: '',
      durationMs: 0,
      spawnError: `working directory does not exist: ${options.cwd}`,
    });
  }
  return new Promise<ShellResult>((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const { file, args } = options.sandbox
      ? options.sandbox.wrap(['bash', '-c', command], {
          cwd: options.cwd,
          ...(options.writable ? { writable: options.writable } : {}),
        })
      : { file: 'bash', args: ['-c', command] };
    const child = spawn(file, args, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => buffer.push(chunk));
    child.stderr.on('data', (chunk: string) => buffer.push(chunk));

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const terminate = (): void => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 2000);
      killTimer.unref();
    };

    const timer = setTimeout(
      () => {
        timedOut = true;
        terminate();
      },
      Math.max(1, options.timeoutSec * 1000),
    );
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (
      result: Omit<ShellResult, 'output' | 'durationMs' | 'timedOut' | 'aborted'>,
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Descendants that outlived the shell (a background server) must not survive it.
      killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      if (drainTimer) clearTimeout(drainTimer);
      resolve({
        ...result,
        timedOut,
        aborted,
        output: cleanOutput(buffer.toString()),
        durationMs: Date.now() - started,
      });
    };

    child.on('error', (error) => {
      finish({ exitCode: null, signal: null, spawnError: error.message });
    });
    // 'close' waits for the pipes to drain. A background grandchild may hold them open
    // after the shell exited: give the pipes a moment, then end the group. One that left
    // the group (setsid; only possible without a sandbox) may still hold them: stop
    // reading then, so the command never hangs on it.
    child.on('exit', () => {
      drainTimer = setTimeout(() => {
        killGroup('SIGKILL');
        drainTimer = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 500);
      }, 500);
    });
    child.on('close', (code, sig) => {
      finish({ exitCode: code, signal: sig });
    });
  });
}
