import { execa } from 'execa';

/**
 * The one way mmm runs git. Never interactive: no terminal prompts, no editor, no pager,
 * stdin closed unless input is given. Output is read verbatim (no trimming) so callers
 * that parse NUL-separated formats see every byte.
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

/** Run git in `cwd`; throws GitError unless it exits 0 (or with one of `okCodes`). */
export async function git(
  cwd: string,
  args: string[],
  options: GitOptions = {},
): Promise<GitResult> {
  const result = await execa('git', args, {
    cwd,
    reject: false,
    stripFinalNewline: false,
    env: { ...QUIET_ENV, ...options.env },
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    maxBuffer: 512 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (exitCode !== 0 && !(options.okCodes ?? []).includes(exitCode)) {
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new GitError(args, undefined, 'git is not installed or not on PATH', cwd);
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
