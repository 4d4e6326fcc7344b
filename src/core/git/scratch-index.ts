import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { git, gitLine } from './exec.js';
import { clearIndexFlags } from './agent-state.js';

/**
 * A private index and a private object directory, for reading "what `git add -A` would
 * stage" without touching the real index or writing a single object into the repository:
 * new blobs go to a temporary object directory (the repository's objects stay readable as
 * an alternate) and vanish with it. So a secret in a file that mmm only inspects — a
 * rejected attempt's patch, the secret scan, the integrity guard — never lands in
 * `.git/objects`.
 */
export interface ScratchIndex {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function scratchIndex(dir: string): Promise<ScratchIndex> {
  const [indexRel, objectsRel] = (
    await gitLine(dir, ['rev-parse', '--git-path', 'index', '--git-path', 'objects'])
  ).split('\n');
  const indexPath = resolve(dir, indexRel ?? '');
  const objects = resolve(dir, objectsRel ?? '');
  const tmp = await mkdtemp(join(tmpdir(), 'mmm-index-'));
  const tmpIndex = join(tmp, 'index');
  await mkdir(join(tmp, 'objects'), { recursive: true });
  try {
    // Copying keeps the stat cache, so `add -A` only hashes files that changed.
    await copyFile(indexPath, tmpIndex);
  } catch {
    // No index yet: git builds one.
  }
  return {
    env: {
      GIT_INDEX_FILE: tmpIndex,
      GIT_OBJECT_DIRECTORY: join(tmp, 'objects'),
      GIT_ALTERNATE_OBJECT_DIRECTORIES: objects,
    },
    dispose: () => rm(tmp, { recursive: true, force: true }),
  };
}

/** `git diff --cached` that runs no program the repository configures. */
export const CACHED_DIFF = ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-textconv'];

/**
 * Runs `use` with the environment of a scratch index that holds everything `git add -A`
 * would stage in `dir` (untracked files included, ignored ones not); then removes it.
 */
export async function withStagedScratch<T>(
  dir: string,
  use: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const scratch = await scratchIndex(dir);
  try {
    await clearIndexFlags(dir, scratch.env);
    await git(dir, ['add', '-A'], { env: scratch.env });
    return await use(scratch.env);
  } finally {
    await scratch.dispose();
  }
}
