import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findGitTop, statusPaths } from './cache.js';
import { runGit } from './files.js';
import { isGenerated } from './languages.js';
import type { GitFacts } from './types.js';
import { compareText } from './order.js';

/**
 * Branch, HEAD, dirty files, commit count and churn hotspots, from three git calls
 * run in parallel. A repository without commits degrades with a warning.
 */
const CHURN_COMMITS = 500;
const HOTSPOTS = 10;
/**
 * Counting 40,000 commits means inflating 40,000 objects: half the cold time of a large
 * repository. Without git's commit-graph (which makes counting cheap) the count stops
 * here and `commitsCapped` says the history is at least this long: "1,000+ commits"
 * says a long history as well as "10,000+" did, for an eighth of the CPU (8 ms, not 64).
 */
export const COMMIT_COUNT_CAP = 1_000;

/**
 * Every git process starts synchronously, before the first await: the caller then
 * computes the file statistics (synchronous, seconds on a large tree) while git works.
 * Started after an await, they would wait for the statistics to finish.
 */
export async function gitFacts(root: string, warnings: string[]): Promise<GitFacts> {
  const graph = hasCommitGraph(root);
  // One status gives HEAD and the branch (its `# branch.*` headers) with the dirty
  // paths: two processes fewer to spawn, each a fork of this whole process.
  const statusP = runGit(root, [
    'status',
    '--porcelain=v2',
    '--branch',
    '-z',
    '--untracked-files=normal',
    '--',
    '.',
  ]);
  const countP = runGit(root, [
    'rev-list',
    '--count',
    ...(graph ? [] : [`--max-count=${COMMIT_COUNT_CAP}`]),
    'HEAD',
  ]);
  const logP = runGit(root, [
    'log',
    `-n${CHURN_COMMITS}`,
    '--no-merges',
    '--name-only',
    '--format=',
    '--relative',
  ]);
  const [status, count, log] = await Promise.all([statusP, countP, logP]);
  let head: string | null;
  let branch: string | null;
  let dirtyFiles = 0;
  if (status.ok) {
    ({ head, branch } = branchHeaders(status.stdout));
    dirtyFiles = statusPaths(status.stdout).filter((p) => !/(^|\/)\.mmm\//.test(p)).length;
  } else {
    warnings.push(`git status failed: ${firstLine(status.stderr)}`);
    ({ head, branch } = await headAndBranch(root));
  }
  const facts: GitFacts = { branch, head, dirtyFiles, commits: 0, hotspots: [] };
  if (!head) {
    warnings.push(
      'the git repository has no commits yet: commit count and churn hotspots are empty',
    );
    return facts;
  }
  if (count.ok) facts.commits = Number.parseInt(count.stdout.trim(), 10) || 0;
  if (!graph && facts.commits >= COMMIT_COUNT_CAP) facts.commitsCapped = true;
  if (log.ok) facts.hotspots = hotspots(log.stdout);
  else warnings.push(`git log failed: ${firstLine(log.stderr)}`);
  return facts;
}

/** `# branch.oid` and `# branch.head` of `git status --porcelain=v2 --branch -z`. */
function branchHeaders(out: string): { head: string | null; branch: string | null } {
  let head: string | null = null;
  let branch: string | null = null;
  for (const entry of out.split('\0')) {
    if (!entry.startsWith('# branch.')) {
      if (entry && entry[0] !== '#') break; // the headers come first
      continue;
    }
    const [key, value = ''] = entry.slice('# branch.'.length).split(' ', 2);
    if (key === 'oid' && value !== '(initial)') head = value || null;
    if (key === 'head' && value !== '(detached)') branch = value || null;
  }
  return { head, branch };
}

/** HEAD and the branch from git itself, when `git status` failed. */
async function headAndBranch(
  root: string,
): Promise<{ head: string | null; branch: string | null }> {
  const [headR, branchR] = await Promise.all([
    runGit(root, ['rev-parse', '--verify', '-q', 'HEAD']),
    runGit(root, ['symbolic-ref', '--short', '-q', 'HEAD']),
  ]);
  return {
    head: headR.ok ? headR.stdout.trim() || null : null,
    branch: branchR.ok ? branchR.stdout.trim() || null : null,
  };
}

/** Whether git keeps a commit-graph for this repository (then counting is cheap). */
function hasCommitGraph(root: string): boolean {
  const top = findGitTop(root);
  if (!top) return false;
  let gitDir = join(top, '.git');
  try {
    if (statSync(gitDir).isFile()) {
      // A worktree: .git is "gitdir: <path>", whose commondir names the shared directory.
      const pointed = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]?.trim();
      if (!pointed) return false;
      gitDir = resolve(top, pointed);
      const common = join(gitDir, 'commondir');
      if (existsSync(common)) gitDir = resolve(gitDir, readFileSync(common, 'utf8').trim());
    }
  } catch {
    return false;
  }
  const info = join(gitDir, 'objects', 'info');
  return existsSync(join(info, 'commit-graph')) || existsSync(join(info, 'commit-graphs'));
}

function hotspots(log: string): { path: string; changes: number }[] {
  const counts = new Map<string, number>();
  for (const line of log.split('\n')) {
    // Lockfiles change with every dependency bump: churn, but not the code's.
    if (line && !isGenerated(line)) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, n]) => n > 1)
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .slice(0, HOTSPOTS)
    .map(([path, changes]) => ({ path, changes }));
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
