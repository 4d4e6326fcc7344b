import { stat, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { findGitTop, readCache, treeState, writeCache } from './cache.js';
import type { GitStarted } from './compute.js';
import { errorCode, listFiles } from './files.js';
import type { Analysis } from './types.js';

export type { Analysis } from './types.js';
export { summarizeAnalysis } from './summary.js';

export interface AnalyzeOptions {
  /** Read and write `.mmm/cache/analysis.json` (default true). */
  cache?: boolean;
}

/**
 * Analyze the project at `root`: languages, package managers, frameworks, the
 * commands to build/test/lint/typecheck/format it, CI, tests, TODOs, git facts.
 * Throws InputError when `root` is missing or not a directory; every other
 * problem degrades into `warnings`.
 */
export async function analyzeProject(
  root: string,
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const dir = await checkRoot(root);
  const useCache = options.cache !== false;
  const state = useCache ? await treeState(dir) : undefined;
  if (state) {
    const hit = await readCache(dir, state.key);
    if (hit) return { ...hit, cached: true };
  }
  // Everything that waits on another process or on module loading starts at once: the
  // listing (git ls-files), git's facts (five more git processes, the slowest counting
  // commits) and the detectors' modules; the file statistics then run while git works.
  const listingP = state?.listing ? Promise.resolve(state.listing) : listFiles(dir);
  const computeP = import('./compute.js');
  let git: GitStarted | undefined;
  if (findGitTop(dir)) {
    const { gitFacts } = await import('./git-facts.js');
    const warnings: string[] = [];
    git = { facts: gitFacts(dir, warnings), warnings };
  }
  const listing = await listingP;
  const { computeAnalysis } = await computeP;
  const analysis = await computeAnalysis(dir, listing, git);
  if (state) {
    const problem = await writeCache(dir, state.key, analysis);
    if (problem) analysis.warnings.push(problem);
  }
  return analysis;
}

async function checkRoot(root: string): Promise<string> {
  const abs = resolve(root);
  try {
    const st = await stat(abs);
    if (!st.isDirectory()) {
      throw new InputError(`${abs} is not a directory`, {
        hint: 'pass the project directory, e.g. mmm analyze .',
      });
    }
    return await realpath(abs);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError(`${abs} does not exist`, { hint: 'pass an existing project directory' });
    }
    throw new InputError(`cannot open ${abs}: ${code}`, { cause: error });
  }
}
