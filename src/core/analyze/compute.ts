import { detectCi } from './ci.js';
import { detectorContext } from './context.js';
import { detectAll } from './detect.js';
import type { FileListing } from './files.js';
import { gitFacts } from './git-facts.js';
import { computeStats, HUGE_FILE_BYTES } from './stats.js';
import { fillFromSubprojects } from './subprojects.js';
import { ANALYSIS_VERSION, type Analysis, type GitFacts } from './types.js';

/**
 * The full (uncached) analysis of a listed tree. Kept apart from index.ts so a
 * cache hit never loads the detectors and their parsers.
 */
/** git's facts, already under way (their processes started before the listing finished). */
export interface GitStarted {
  facts: Promise<GitFacts>;
  /** Filled in by the time `facts` settles. */
  warnings: string[];
}

export async function computeAnalysis(
  dir: string,
  listing: FileListing,
  started?: GitStarted,
): Promise<Analysis> {
  const warnings = [...listing.warnings];
  if (!listing.git)
    warnings.push('not a git repository: files listed with .gitignore rules; no git facts');
  // Start git first (unless the caller did): its child processes run while the file
  // statistics are computed. Facts started for a tree git then would not list are dropped.
  const gitWarnings = listing.git && started ? started.warnings : [];
  let gitPromise: Promise<GitFacts | null> = Promise.resolve(null);
  if (listing.git) gitPromise = started?.facts ?? gitFacts(dir, gitWarnings);
  const stats = computeStats(dir, listing.files);
  warnings.push(...stats.warnings);
  if (stats.hugeFiles > 0) {
    warnings.push(
      `${stats.hugeFiles} file(s) over ${HUGE_FILE_BYTES / 1024 / 1024} MB not line-counted`,
    );
  }
  const ctx = detectorContext(dir, listing.files, warnings, stats.testFilesByLanguage);
  const [detected, git] = await Promise.all([detectAll(ctx, stats.languages), gitPromise]);
  await fillFromSubprojects(
    dir,
    listing.files,
    detected,
    stats.languages,
    warnings,
    stats.testFilesByLanguage,
  );
  warnings.push(...gitWarnings);
  if (listing.files.length === 0) warnings.push('no files found to analyze');

  return {
    version: ANALYSIS_VERSION,
    root: dir,
    analyzedAt: new Date().toISOString(),
    cached: false,
    files: listing.files.length,
    languages: stats.languages,
    primaryLanguage: stats.primaryLanguage,
    packageManagers: detected.packageManagers,
    frameworks: detected.frameworks,
    commands: detected.commands,
    commandSources: detected.commandSources,
    ci: detectCi(listing.files),
    tests: stats.tests,
    todos: stats.todos,
    largestFiles: stats.largestFiles,
    git,
    workspaces: detected.workspaces,
    warnings,
  };
}
