import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listFiles, runGit, type FileListing } from './files.js';
import { ANALYSIS_VERSION, type Analysis } from './types.js';

/**
 * The analysis cache, `<root>/.mmm/cache/analysis.json`, keyed by the tree state.
 *
 * Inside git the key is one `git status --porcelain=v2 --branch` (HEAD, every
 * staged, modified and untracked path — git checks the worktree against its index
 * stat cache in C) plus the size and mtime of those few dirty paths, so editing an
 * already-modified file still invalidates it. Outside git it is the listing plus
 * every file's size and mtime. `.mmm/cache/.gitignore` keeps the cache out of
 * `git status` even before `mmm init`.
 */
const CACHE_FORMAT = 3;

let version: string | undefined;

/** mmm's own version: a new mmm may detect differently, so it is part of the key. */
function mmmVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(
        readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as { version?: string };
      version = pkg.version ?? '0';
    } catch {
      version = '0';
    }
  }
  return version;
}

export function cachePath(root: string): string {
  return join(root, '.mmm', 'cache', 'analysis.json');
}

/** The directory holding `.git` (a directory, or a file in worktrees), if any. */
export function findGitTop(root: string): string | null {
  let dir = root;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export interface TreeState {
  key: string;
  /** Set when computing the key already listed the files (outside git). */
  listing?: FileListing;
}

function stamp(path: string): string {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? `${st.size}:${st.mtimeMs}` : '-';
  } catch {
    return 'unreadable';
  }
}

/** Paths in `git status --porcelain=v2 -z` output (relative to the repository top). */
export function statusPaths(out: string): string[] {
  const paths: string[] = [];
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] ?? '';
    const fields = e[0] === '1' ? 8 : e[0] === '2' ? 9 : e[0] === 'u' ? 10 : e[0] === '?' ? 1 : -1;
    if (fields < 0) continue;
    paths.push(e.split(' ').slice(fields).join(' '));
    if (e[0] === '2') i++; // a rename's original path follows
  }
  return paths;
}

export async function treeState(root: string): Promise<TreeState> {
  const hash = createHash('sha1');
  hash.update(`v${ANALYSIS_VERSION}.${CACHE_FORMAT}\0mmm ${mmmVersion()}\0${root}\n`);
  const top = findGitTop(root);
  if (top) {
    const status = await runGit(root, [
      'status',
      '--porcelain=v2',
      '--branch',
      '-z',
      '--untracked-files=all',
      '--',
      '.',
    ]);
    if (status.ok) {
      hash.update(status.stdout);
      for (const path of statusPaths(status.stdout))
        hash.update(`${path}\0${stamp(join(top, path))}\n`);
      return { key: hash.digest('hex') };
    }
  }
  const listing = await listFiles(root);
  for (const path of listing.files) hash.update(`${path}\0${stamp(join(root, path))}\n`);
  return { key: hash.digest('hex'), listing };
}

interface CacheFile {
  format: number;
  key: string;
  analysis: Analysis;
}

export async function readCache(root: string, key: string): Promise<Analysis | null> {
  try {
    const parsed = JSON.parse(await readFile(cachePath(root), 'utf8')) as Partial<CacheFile>;
    if (parsed.format !== CACHE_FORMAT || parsed.key !== key || !parsed.analysis) return null;
    if (parsed.analysis.version !== ANALYSIS_VERSION) return null;
    return parsed.analysis;
  } catch {
    // Missing or corrupt cache: analyze again and overwrite it.
    return null;
  }
}

/** Returns a warning when the cache could not be written (read-only checkout, …). */
export async function writeCache(
  root: string,
  key: string,
  analysis: Analysis,
): Promise<string | null> {
  const dir = join(root, '.mmm', 'cache');
  try {
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '# mmm analysis cache: never commit\n*\n');
    const body: CacheFile = { format: CACHE_FORMAT, key, analysis };
    await writeFileAtomic(cachePath(root), JSON.stringify(body));
    return null;
  } catch (error) {
    const code =
      error && typeof error === 'object' && 'code' in error ? String(error.code) : String(error);
    return `analysis cache not written to ${dir}: ${code}`;
  }
}
