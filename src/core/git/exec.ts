import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { isSecretName } from '../tools/shell-env.js';
import { findExecutable } from '../tools/sandbox-probe.js';
import { pinOf, assertPinnedIdentity, pinEnv } from './pin.js';

/**
 * The one way mmm runs git. Never interactive: no terminal prompts, no editor, no pager,
 * stdin closed unless input is given. Output is read verbatim (no trimming) so callers
 * that parse NUL-separated formats see every byte.
 *
 * Hardened against what an agent may plant in the repository: every call runs with
 * `core.hooksPath` pointing at an empty directory mmm owns (no hook of the repository ever
 * runs inside mmm's own git commands), `core.fsmonitor=false` (no configured monitor
 * program), and an environment without secrets (ANTHROPIC_*, tokens, …). A call in a
 * pinned work tree (a run's worktree, see pin.ts) gets that tree's own GIT_DIR and
 * GIT_WORK_TREE, so a deleted or rewritten `.git` file can never send mmm's git into
 * another checkout; commands that change things there first check the run's identity.
 */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | undefined;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | undefined, stderr: string, cwd: string) {
    const detail = stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${exitCode ?? '?'}`;
    super(`git ${args.join(' ')} failed in ${cwd}: ${detail}`);
    this.name = 'GitError';
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitOptions {
  /** Text written to git's stdin. */
  input?: string;
  /** Extra environment (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 for `merge-base --is-ancestor`). */
  okCodes?: number[];
  /** Skip the identity check of a pinned work tree (only the repair itself uses this). */
  unchecked?: boolean;
}

const QUIET_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  GIT_SEQUENCE_EDITOR: 'true',
  GIT_PAGER: 'cat',
  GIT_ASKPASS: 'echo',
  GIT_OPTIONAL_LOCKS: '0',
  LC_ALL: 'C',
};

/** Git's own identity variables match the secret patterns (AUTHOR ⊃ AUTH) but are not secret. */
const KEEP_PREFIXES = ['GIT_AUTHOR_', 'GIT_COMMITTER_'];

/** Variables that would point git somewhere else than the directory mmm names. */
const LOCATION_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
];

/** mmm's environment without secrets: what every git process of mmm's gets. */
export function gitBaseEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (isSecretName(name) && !KEEP_PREFIXES.some((p) => name.startsWith(p))) continue;
    if (LOCATION_VARS.includes(name)) continue;
    env[name] = value;
  }
  if (env.PATH !== undefined) env.PATH = absolutePath(env.PATH);
  return env;
}

/**
 * PATH without its relative entries (`node_modules/.bin`, `.`, empty). A program started
 * in a work tree resolves those inside it, where the agent writes: git would run the
 * agent's `ssh` or `sh`, and the lookup of git itself would find a planted `./git`.
 */
export function absolutePath(pathVar: string): string {
  return pathVar
    .split(delimiter)
    .filter((dir) => isAbsolute(dir))
    .join(delimiter);
}

let gitPath: string | undefined;

/**
 * The git program every git call of mmm runs: looked up once, in PATH's absolute
 * entries, at the first call (before any agent works). A `git` planted later in a
 * directory on PATH — one the agent can write, or a relative entry resolved in the work
 * tree — is never run by mmm, outside the sandbox and with mmm as its parent process.
 */
export function gitProgram(): string {
  gitPath ??= findExecutable('git', process.env.PATH) ?? 'git';
  return gitPath;
}

let hooksDir: string | undefined;

/**
 * An empty directory owned by this process, used as `core.hooksPath`. Checked (and
 * emptied) before every git call: something written into it would otherwise run as a hook.
 */
export function emptyHooksDir(): string {
  if (hooksDir === undefined || !existsSync(hooksDir)) {
    hooksDir = mkdtempSync(join(tmpdir(), 'mmm-no-hooks-'));
    const dir = hooksDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  } else if (readdirSync(hooksDir).length > 0) {
    rmSync(hooksDir, { recursive: true, force: true });
    mkdirSync(hooksDir, { mode: 0o700 });
  }
  return hooksDir;
}

/**
 * `-c` options every call starts with: no hooks, no fsmonitor program, no look into
 * nested repositories, and no automatic `git maintenance`/`gc` after mmm's commits (a process per commit, and housekeeping of
 * the user's repository is the user's to schedule).
 */
export function hardeningArgs(): string[] {
  return [
    '-c',
    `core.hooksPath=${emptyHooksDir()}`,
    '-c',
    'core.fsmonitor=false',
    '-c',
    'maintenance.auto=false',
    '-c',
    'gc.auto=0',
    // Never look into a nested repository's work tree (a gitlink the agent staged): git
    // would run `git status` there, under that repository's own config and filters.
    '-c',
    'diff.ignoreSubmodules=dirty',
    '-c',
    'submodule.recurse=false',
  ];
}

/** Subcommands that change the work tree, the index or the branch. */
const MUTATING = new Set([
  'add',
  'commit',
  'reset',
  'clean',
  'checkout',
  'switch',
  'restore',
  'merge',
  'rm',
  'mv',
  'stash',
  'apply',
  'cherry-pick',
]);

function subcommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-c' || a === '-C') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Run git in `cwd`; throws GitError unless it exits 0 (or with one of `okCodes`). */
export async function git(
  cwd: string,
  args: string[],
  options: GitOptions = {},
): Promise<GitResult> {
  const pin = pinOf(resolve(cwd));
  if (pin) {
    const sub = subcommand(args);
    const mutating = sub !== undefined && MUTATING.has(sub);
    if (!options.unchecked && (mutating || !existsSync(pin.workTree))) assertPinnedIdentity(pin);
  }
  const result = await execa(gitProgram(), [...hardeningArgs(), ...args], {
    cwd,
    reject: false,
    stripFinalNewline: false,
    extendEnv: false,
    env: { ...gitBaseEnv(), ...QUIET_ENV, ...(pin ? pinEnv(pin) : {}), ...options.env },
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    maxBuffer: 512 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (exitCode !== 0 && !(options.okCodes ?? []).includes(exitCode)) {
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      const missing = !existsSync(cwd);
      throw new GitError(
        args,
        undefined,
        missing ? `the directory ${cwd} does not exist` : 'git is not installed or not on PATH',
        cwd,
      );
    }
    throw new GitError(args, result.exitCode, stderr || (result.message ?? ''), cwd);
  }
  return { stdout, stderr, exitCode };
}

/** Trimmed stdout of a git command that must succeed. */
export async function gitLine(cwd: string, args: string[], options?: GitOptions): Promise<string> {
  return (await git(cwd, args, options)).stdout.trim();
}

/** True when git exits 0, false when it exits 1 (the usual yes/no answer). */
export async function gitTest(cwd: string, args: string[]): Promise<boolean> {
  return (await git(cwd, args, { okCodes: [1] })).exitCode === 0;
}
