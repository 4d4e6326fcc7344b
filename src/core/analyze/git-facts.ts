import { runGit } from './files.js';
import { isGenerated } from './languages.js';
import type { GitFacts } from './types.js';

/**
 * Branch, HEAD, dirty files, commit count and churn hotspots, from four cheap git
 * calls run in parallel. A repository without commits degrades with a warning.
 */
const CHURN_COMMITS = 500;
const HOTSPOTS = 10;

export async function headOf(root: string): Promise<string | null> {
  const r = await runGit(root, ['rev-parse', '--verify', '-q', 'HEAD']);
  return r.ok ? r.stdout.trim() || null : null;
}

export async function gitFacts(
  root: string,
  head: string | null,
  warnings: string[],
): Promise<GitFacts> {
  const [branch, status] = await Promise.all([
    runGit(root, ['symbolic-ref', '--short', '-q', 'HEAD']),
    runGit(root, ['status', '--porcelain', '-z', '--untracked-files=normal', '--', '.']),
  ]);
  const dirtyFiles = status.ok ? countDirty(status.stdout) : 0;
  if (!status.ok) warnings.push(`git status failed: ${firstLine(status.stderr)}`);
  const facts: GitFacts = {
    branch: branch.ok ? branch.stdout.trim() || null : null,
    head,
    dirtyFiles,
    commits: 0,
    hotspots: [],
  };
  if (!head) {
    warnings.push(
      'the git repository has no commits yet: commit count and churn hotspots are empty',
    );
    return facts;
  }
  const [count, log] = await Promise.all([
    runGit(root, ['rev-list', '--count', 'HEAD']),
    runGit(root, [
      'log',
      `-n${CHURN_COMMITS}`,
      '--no-merges',
      '--name-only',
      '--format=',
      '--relative',
    ]),
  ]);
  if (count.ok) facts.commits = Number.parseInt(count.stdout.trim(), 10) || 0;
  if (log.ok) facts.hotspots = hotspots(log.stdout);
  else warnings.push(`git log failed: ${firstLine(log.stderr)}`);
  return facts;
}

function countDirty(porcelainZ: string): number {
  const entries = porcelainZ.split('\0');
  let n = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) continue;
    const status = entry.slice(0, 2);
    const path = entry.slice(3);
    // Renames and copies carry the original path as the next entry.
    if (status.includes('R') || status.includes('C')) i++;
    if (/(^|\/)\.mmm\//.test(path)) continue;
    n++;
  }
  return n;
}

function hotspots(log: string): { path: string; changes: number }[] {
  const counts = new Map<string, number>();
  for (const line of log.split('\n')) {
    // Lockfiles change with every dependency bump: churn, but not the code's.
    if (line && !isGenerated(line)) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, n]) => n > 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, HOTSPOTS)
    .map(([path, changes]) => ({ path, changes }));
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
