import { readFile, appendFile, mkdir } from 'node:fs/promises';
import { CACHED_DIFF, withStagedScratch } from './scratch-index.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { git, gitLine, GitError } from './exec.js';

/** What mmm needs to know about the repository it was started in. */
export interface RepoInfo {
  /** Top of the working tree mmm was started in. */
  root: string;
  /** This working tree's git dir (`.git`, or `.git/worktrees/<name>` inside a worktree). */
  gitDir: string;
  /** The git dir shared by all worktrees (holds refs, `info/exclude`). */
  commonDir: string;
  /** Top of the main working tree, where `.mmm/` lives (equals `root` outside worktrees). */
  mainRoot: string;
  /** null: the repository has no commits yet. */
  head: string | null;
  /** null: detached HEAD. */
  branch: string | null;
  /** Paths with uncommitted changes or untracked (not ignored) files. */
  dirty: string[];
}

/**
 * Open the repository containing `cwd`; not a git repository → InputError (exit 2).
 * `dirty: false` skips `git status` (listing commands on big repositories); `dirty` is [].
 */
export async function openRepo(cwd: string, options: { dirty?: boolean } = {}): Promise<RepoInfo> {
  let lines: string[];
  try {
    const out = await gitLine(cwd, [
      'rev-parse',
      '--show-toplevel',
      '--absolute-git-dir',
      '--git-common-dir',
    ]);
    lines = out.split('\n');
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr)) {
      throw new InputError(`${resolve(cwd)} is not a git repository`, {
        hint: 'mmm works on git repositories: run `git init` and commit your code first',
        cause: error,
      });
    }
    if (
      error instanceof GitError &&
      /must be run in a work tree|bare repository/i.test(error.stderr)
    ) {
      throw new InputError(`${resolve(cwd)} is not inside a git working tree (bare repository?)`, {
        hint: 'run mmm inside a checkout of the repository',
        cause: error,
      });
    }
    throw error;
  }
  const [root = '', gitDir = '', commonRaw = ''] = lines;
  const commonDir = isAbsolute(commonRaw) ? commonRaw : resolve(root, commonRaw);
  const [head, branch, dirty, mainRoot] = await Promise.all([
    headOrNull(root),
    currentBranch(root),
    options.dirty === false ? Promise.resolve([]) : dirtyPaths(root),
    mainWorktreeRoot(root, commonDir),
  ]);
  return { root, gitDir, commonDir, mainRoot, head, branch, dirty };
}

async function headOrNull(dir: string): Promise<string | null> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    okCodes: [1, 128],
  });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

async function currentBranch(dir: string): Promise<string | null> {
  const r = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1] });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

async function mainWorktreeRoot(root: string, commonDir: string): Promise<string> {
  // The first entry of `worktree list` is always the main working tree.
  const out = (await git(root, ['worktree', 'list', '--porcelain', '-z'])).stdout;
  const first = out.split('\0').find((f) => f.startsWith('worktree '));
  if (first) return first.slice('worktree '.length);
  return dirname(commonDir);
}

/** Paths `git status` reports (tracked changes and untracked files, not ignored ones). */
export async function dirtyPaths(dir: string): Promise<string[]> {
  const out = (
    await git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--no-renames'])
  ).stdout;
  const paths: string[] = [];
  for (const entry of out.split('\0')) {
    if (entry.length > 3) paths.push(entry.slice(3));
  }
  return paths;
}

/** The commit checked out in `dir`. */
export async function headCommit(dir: string): Promise<string> {
  return gitLine(dir, ['rev-parse', '--verify', 'HEAD^{commit}']);
}

/** Anything to commit in `dir`: tracked changes or untracked files that are not ignored. */
export async function hasChanges(dir: string): Promise<boolean> {
  return (await dirtyPaths(dir)).length > 0;
}

/**
 * Every change in `dir` against HEAD, untracked files included, as a binary-safe patch
 * that `git apply` accepts. Uses a throwaway copy of the index, so nothing is staged.
 */
export async function diffPatch(dir: string): Promise<string> {
  return withStagedScratch(dir, async (env) => {
    const head = await headOrNull(dir);
    const base =
      head ?? (await gitLine(dir, ['hash-object', '-t', 'tree', '--stdin'], { input: '' }));
    return (await git(dir, [...CACHED_DIFF, '--binary', base], { env })).stdout;
  });
}

const EXCLUDES = ['/.mmm/runs/', '/.mmm/worktrees/', '/.mmm/run.lock', '/.mmm/run.lock.*'];

/**
 * Keep mmm's own files (.mmm/runs, .mmm/worktrees, the lock) out of `git status` without
 * touching the user's .gitignore: they are added to the repository's `info/exclude`.
 */
export async function excludeMmmFiles(repoRoot: string): Promise<void> {
  await addInfoExcludes(repoRoot, EXCLUDES, 'mmm run state (added by mmm)');
}

/**
 * Appends the `patterns` missing from the repository's `info/exclude` (shared by all its
 * worktrees) under a `# comment` line. Idempotent.
 */
export async function addInfoExcludes(
  repoRoot: string,
  patterns: readonly string[],
  comment: string,
): Promise<void> {
  const commonRaw = await gitLine(repoRoot, ['rev-parse', '--git-common-dir']);
  const commonDir = isAbsolute(commonRaw) ? commonRaw : resolve(repoRoot, commonRaw);
  const file = join(commonDir, 'info', 'exclude');
  let current = '';
  try {
    current = await readFile(file, 'utf8');
  } catch {
    await mkdir(dirname(file), { recursive: true });
  }
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = patterns.filter((e) => !have.has(e));
  if (missing.length === 0) return;
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# ${comment}\n${missing.join('\n')}\n`);
}
