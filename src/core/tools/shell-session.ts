import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadTailBuffer } from './output-buffer.js';
import type { Sandbox } from './sandbox.js';
import { agentEnv, worktreeCeiling } from './shell-env.js';

/**
 * A shell that behaves as persistent for working directory and exported variables,
 * built from one `bash --noprofile --norc` process per command: each command runs in
 * its own process group with the saved cwd and environment, and an EXIT trap writes
 * the new exit code, cwd and environment to a state file for the next command.
 * This keeps every command isolated: a hang, a kill or a broken shell state cannot
 * poison the next one, and killing the process group takes background children too.
 *
 * With a sandbox, each command runs inside it (src/core/tools/sandbox.ts): the state
 * directory is bound writable, and a directory of the session serves as /tmp, so files
 * the agent puts in /tmp are there for its next command but nowhere else.
 */
export interface ShellResult {
  output: string;
  /** Exit code, or null when killed. */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  /** The cwd after the command (may have been reset to the root). */
  cwd: string;
  /** Note for the model, e.g. the cwd vanished and was reset. */
  note?: string;
}

export interface RunOptions {
  timeoutMs: number;
  outputLimit: number;
  signal?: AbortSignal;
}

/** Variables bash sets itself; they are not carried between commands. */
const VOLATILE = new Set(['_', 'SHLVL', 'PWD', 'BASHOPTS', 'SHELLOPTS', 'BASH_EXECUTION_STRING']);
const KILL_GRACE_MS = 300;
const CLOSE_DRAIN_MS = 1000;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run before the command: an EXIT trap that saves exit code, cwd and exported variables
 * (as NUL-separated `NAME=value`, with builtins only — no extra process per command;
 * `env -0` where `compgen` is missing), then stdin from /dev/null and stderr into stdout.
 */
function initScript(stateFile: string): string {
  const state = shellQuote(stateFile);
  const names = shellQuote(`${stateFile}.names`);
  return [
    'unset BASH_ENV',
    '__mmm_exit() {',
    '  __mmm_ec=$?',
    '  {',
    `    printf '%s\\0%s\\0' "$__mmm_ec" "$PWD"`,
    `    if compgen -e > ${names} 2>/dev/null; then`,
    `      while IFS= read -r __mmm_n; do printf '%s=%s\\0' "$__mmm_n" "\${!__mmm_n}"; done < ${names}`,
    '    else env -0; fi',
    `  } > ${state} 2>/dev/null`,
    '}',
    'trap __mmm_exit EXIT',
    'exec 2>&1 </dev/null',
    '',
  ].join('\n');
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class ShellSession {
  private cwd: string;
  private env: Record<string, string>;
  private stateDir: string | undefined;
  private running = new Set<number>();
  private counter = 0;

  constructor(
    private readonly root: string,
    private readonly sandbox?: Sandbox,
  ) {
    this.cwd = root;
    this.env = { ...agentEnv(), ...worktreeCeiling(root) };
  }

  /** Back to the root directory and the initial environment. */
  reset(): void {
    this.cwd = this.root;
    this.env = { ...agentEnv(), ...worktreeCeiling(this.root) };
  }

  get workingDirectory(): string {
    return this.cwd;
  }

  get environment(): Readonly<Record<string, string>> {
    return this.env;
  }

  async run(command: string, options: RunOptions): Promise<ShellResult> {
    let note: string | undefined;
    this.stateDir ??= mkdtempSync(join(tmpdir(), 'mmm-shell-'));
    const stateDir = join(this.stateDir, 'state');
    const privateTmp = join(this.stateDir, 'tmp');
    mkdirSync(stateDir, { recursive: true });
    if (this.sandbox) mkdirSync(privateTmp, { recursive: true });
    const hostCwd = this.sandbox
      ? this.sandbox.hostPath(this.cwd, { writable: [stateDir], tmp: privateTmp })
      : this.cwd;
    if (!existsSync(hostCwd) || !statSync(hostCwd).isDirectory()) {
      note = `The previous working directory ${this.cwd} no longer exists; the command ran in the project root ${this.root}.`;
      this.cwd = this.root;
    }
    const stateFile = join(stateDir, `state-${++this.counter}`);
    rmSync(stateFile, { force: true });
    const initFile = join(stateDir, `init-${this.counter}.sh`);
    // Sourced through BASH_ENV before the command, so the command's own line numbers
    // are what bash reports in its error messages.
    writeFileSync(initFile, initScript(stateFile));
    const out = new HeadTailBuffer(options.outputLimit);
    const argv = ['bash', '--noprofile', '--norc', '-c', command];
    const { file, args } = this.sandbox
      ? this.sandbox.wrap(argv, { cwd: this.cwd, writable: [stateDir], tmp: privateTmp })
      : { file: 'bash', args: argv.slice(1) };
    const child = spawn(file, args, {
      cwd: this.sandbox ? this.root : this.cwd,
      env: { ...this.env, PWD: this.cwd, BASH_ENV: initFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = child.pid;
    if (pid === undefined) {
      return await new Promise<ShellResult>((resolve) => {
        child.once('error', (error) =>
          resolve({
            output: `could not start bash: ${error.message}`,
            exitCode: null,
            timedOut: false,
            aborted: false,
            cwd: this.cwd,
          }),
        );
      });
    }
    this.running.add(pid);
    child.on('error', () => undefined); // exit/close still follow
    child.stdout.on('data', (c: Buffer) => out.write(c));
    child.stderr.on('data', (c: Buffer) => out.write(c));

    let timedOut = false;
    let aborted = false;
    const terminate = (): void => {
      killGroup(pid, 'SIGTERM');
      setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      terminate();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        // The shell is done: anything it left running in its group goes with it, which
        // also closes the output pipes those children were holding open.
        killGroup(pid, 'SIGKILL');
        resolve(code);
      });
    });
    await new Promise<void>((resolve) => {
      if (child.stdout.readableEnded && child.stderr.readableEnded) return resolve();
      // A process that left the group (setsid) may still hold the pipes open: stop
      // reading after a short drain instead of waiting for it.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve();
      }, CLOSE_DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drain);
        resolve();
      });
    });
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
    this.running.delete(pid);

    if (!timedOut && !aborted) this.loadState(stateFile);
    for (const f of [stateFile, `${stateFile}.names`, initFile]) rmSync(f, { force: true });
    return {
      output: out.text(),
      exitCode: timedOut || aborted ? null : exitCode,
      timedOut,
      aborted,
      cwd: this.cwd,
      ...(note ? { note } : {}),
    };
  }

  private loadState(stateFile: string): void {
    let raw: string;
    try {
      raw = readFileSync(stateFile, 'utf8');
    } catch {
      return; // The command replaced the shell (exec) or the trap could not write.
    }
    const parts = raw.split('\0');
    const cwd = parts[1];
    if (cwd) this.cwd = cwd;
    const env: Record<string, string> = {};
    for (const entry of parts.slice(2)) {
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const name = entry.slice(0, eq);
      if (VOLATILE.has(name) || name.startsWith('BASH_FUNC_')) continue;
      env[name] = entry.slice(eq + 1);
    }
    if (Object.keys(env).length > 0) this.env = env;
  }

  /** Kills whatever is still running and removes the state directory. */
  dispose(): void {
    for (const pid of this.running) killGroup(pid, 'SIGKILL');
    this.running.clear();
    if (this.stateDir) rmSync(this.stateDir, { recursive: true, force: true });
    this.stateDir = undefined;
  }
}
