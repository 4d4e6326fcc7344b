import { lstat, readdir, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { git } from './exec.js';
import { addInfoExcludes } from './repo.js';

/**
 * Installed dependencies are git-ignored, so a fresh worktree has none and the project's
 * tests cannot run there. mmm links them from the main checkout instead of reinstalling:
 * every directory with one of these names that git ignores in the main checkout (at the
 * top or in workspace packages, up to three levels deep) gets a symlink at the same place
 * in the worktree. The links are added to the repository's `info/exclude`, so they are
 * never committed (a `node_modules/` rule in .gitignore matches directories, not links).
 *
 * Build outputs (target/, dist/) are not linked: each worktree builds its own.
 */
export const DEPENDENCY_DIRS = ['node_modules', '.venv', 'venv', 'vendor', 'deps', '.bundle'];
const MAX_DEPTH = 3;
const SKIP = new Set(['.git', '.mmm', ...DEPENDENCY_DIRS]);

async function isDir(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Candidate dependency directories of the main checkout, relative, forward slashes. */
async function findCandidates(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (DEPENDENCY_DIRS.includes(entry.name))
        found.push(relative(root, path).split('\\').join('/'));
      else if (depth < MAX_DEPTH && !SKIP.has(entry.name) && !entry.name.startsWith('.')) {
        await walk(path, depth + 1);
      }
    }
  }
  await walk(root, 1);
  return found;
}

/** Which of `paths` git ignores in `root` (one `git check-ignore` call). */
async function ignoredPaths(root: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const result = await git(root, ['check-ignore', '--stdin', '-z'], {
    input: paths.map((p) => `${p}/`).join('\0') + '\0',
    okCodes: [1],
  });
  return new Set(
    result.stdout
      .split('\0')
      .filter(Boolean)
      .map((p) => p.replace(/\/$/, '')),
  );
}

/**
 * Links the main checkout's ignored dependency directories into `worktree`.
 * Returns the relative paths linked. Never replaces anything that exists in the worktree.
 */
export async function linkDependencyDirs(mainRoot: string, worktree: string): Promise<string[]> {
  const candidates = await findCandidates(mainRoot);
  const ignored = await ignoredPaths(mainRoot, candidates);
  const linked: string[] = [];
  for (const rel of candidates) {
    if (!ignored.has(rel)) continue;
    const target = join(worktree, rel);
    if (await exists(target)) continue;
    if (!(await isDir(dirname(target)))) continue; // the package is not in this tree
    await symlink(join(mainRoot, rel), target, 'dir');
    linked.push(rel);
  }
  if (linked.length > 0) {
    const patterns = linked.map((rel) => `/${rel}`);
    await addInfoExcludes(mainRoot, patterns, 'dependency links in mmm worktrees (added by mmm)');
  }
  return linked;
}
