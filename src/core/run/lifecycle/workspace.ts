import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../errors.js';
import { git, gitLine } from '../../git/exec.js';
import { commitAll, diffPatch, hasChanges } from '../../git/index.js';
import { redact } from '../../secrets/redact.js';
import { listSpecFiles } from '../../specs/load.js';
import type { SpecDirSetting } from '../../specs/spec-dir.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * The git chores of a run that are about its work tree rather than git itself: putting
 * the checkout on the run branch (--in-place), bringing uncommitted spec files into a
 * fresh worktree, and keeping the diff of a rolled-back or interrupted attempt.
 */

/** `--in-place`: create the run branch at HEAD and switch the (clean) checkout to it. */
export async function createInPlaceBranch(root: string, branch: string): Promise<void> {
  const exists =
    (await git(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { okCodes: [1] }))
      .exitCode === 0;
  if (exists) {
    throw new InputError(`branch ${branch} already exists`, {
      hint: `delete it (git branch -D ${branch}) or start a new run`,
    });
  }
  await git(root, ['checkout', '--quiet', '-b', branch]);
}

/** `--in-place` resume: the checkout must be on the run branch (switched if clean). */
export async function ensureOnBranch(root: string, branch: string): Promise<void> {
  const current = (
    await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1] })
  ).stdout.trim();
  if (current === branch) return;
  if (await hasChanges(root)) {
    throw new InputError(
      `this in-place run works on branch ${branch}, but the checkout is on ${current || 'a detached HEAD'} with uncommitted changes`,
      { hint: `commit or stash them, then: git switch ${branch} && mmm improve --resume` },
    );
  }
  await git(root, ['checkout', '--quiet', branch]);
}

async function sameContent(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([readFile(a), readFile(b)]);
    return x.equals(y);
  } catch {
    return false;
  }
}

/**
 * Spec files the user has written or edited but not committed exist only in their
 * checkout, not in a worktree made from HEAD. Copy every spec source of every spec
 * directory that differs — flat
 * spec files, the files of feature folders (spec-kit, `.kiro/specs/`), a task-master
 * tasks.json — into the worktree (the checkout is only read; links and other non-regular
 * files are left for the loader to report) and commit them as the run's first commit, so
 * the run works on the specs the user sees.
 * Returns the copied paths (repository-relative); empty when there was nothing to do.
 */
export async function importUncommittedSpecs(
  checkoutRoot: string,
  workDir: string,
  specDir: SpecDirSetting,
  trailers: Record<string, string>,
): Promise<string[]> {
  let files: string[];
  try {
    files = await listSpecFiles(checkoutRoot, specDir);
  } catch (error) {
    if (error instanceof InputError) return []; // no spec directory: nothing to bring
    throw error;
  }
  const copied: string[] = [];
  for (const absolute of files) {
    const file = relative(checkoutRoot, absolute);
    if (isAbsolute(file) || file.split(sep).includes('..')) continue;
    const from = join(checkoutRoot, file);
    const to = join(workDir, file);
    if (!(await isRegularFile(from)) || (await sameContent(from, to))) continue;
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
    copied.push(file.split(sep).join('/'));
  }
  // Also commits copies left uncommitted by a run that died right here.
  if (await hasChanges(workDir)) {
    await commitAll(workDir, 'mmm: use the uncommitted spec files of the checkout', trailers);
  }
  return copied;
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Save every change in `workDir` (untracked files included) as a binary patch at
 * `file`. Returns the path, or undefined when there was nothing to save.
 */
export async function savePatch(workDir: string, file: string): Promise<string | undefined> {
  if (!(await hasChanges(workDir))) return undefined;
  const patch = await diffPatch(workDir);
  if (patch.trim() === '') return undefined;
  await mkdir(resolve(file, '..'), { recursive: true });
  // Saved patches are run data like any other: secret values redacted (a redacted hunk
  // no longer applies; binary hunks are base85 and kept as they are).
  await writeFileAtomic(file, redact(patch));
  return file;
}

/** A file name that does not exist yet: `base.patch`, else `base-2.patch`, … */
export function freePatchPath(dir: string, base: string): string {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_');
  let candidate = join(dir, `${safe}.patch`);
  for (let n = 2; existsSync(candidate); n++) candidate = join(dir, `${safe}-${n}.patch`);
  return candidate;
}

export interface HeadCommitInfo {
  sha: string;
  parent: string | null;
  trailers: Record<string, string>;
}

/** HEAD's sha, first parent and trailers (to recognise a commit made just before a crash). */
export async function describeHead(dir: string): Promise<HeadCommitInfo> {
  const out = await gitLine(dir, [
    'log',
    '-1',
    '--no-color',
    '--format=%H%x00%P%x00%(trailers:only=true,unfold=true)',
    'HEAD',
  ]);
  const [sha = '', parents = '', trailerBlock = ''] = out.split('\0');
  const trailers: Record<string, string> = {};
  for (const line of trailerBlock.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { sha: sha.trim(), parent: parents.trim().split(' ')[0] || null, trailers };
}
