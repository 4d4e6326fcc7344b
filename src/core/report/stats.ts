import { buildReport } from './build.js';
import type { ReportInput } from './input.js';

/** `mmm runs --stats`: what the repository's runs say about how mmm does here. */
export interface RunStats {
  runs: number;
  /** Runs whose files could not be read (named, not counted). */
  unreadable: { runId: string; error: string }[];
  attempts: {
    /** Attempts that ended (an attempt under way or stopped by the user is not judged). */
    judged: number;
    passed: number;
    /** passed / judged, 0..1; null without judged attempts. */
    passRate: number | null;
  };
  commits: number;
  /** USD; over the runs with a known cost; null without commits or costs. */
  costPerCommit: number | null;
  cost: number | null;
  specs: {
    /** Spec entries across runs that had at least one attempt. */
    tried: number;
    done: number;
    failed: number;
    medianAttempts: number | null;
  };
  /**
   * The most frequent reasons attempts were rejected, most frequent first: reasons that
   * differ only in numbers or hashes count as one; `reason` is its latest wording.
   */
  failureReasons: { reason: string; count: number }[];
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Numbers, hashes and paths inside quotes vary between runs; the reason's shape does not. */
export function reasonKey(reason: string): string {
  return reason
    .replace(/\s+/g, ' ')
    .replace(/\b[0-9a-f]{7,40}\b/g, '<sha>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .trim()
    .slice(0, 160);
}

export function runStats(
  inputs: ReportInput[],
  unreadable: { runId: string; error: string }[] = [],
  top = 5,
): RunStats {
  let judged = 0;
  let passed = 0;
  let commits = 0;
  let pricedCost = 0;
  let pricedCommits = 0;
  let anyPriced = false;
  const attemptsPerSpec: number[] = [];
  let done = 0;
  let failed = 0;
  const reasons = new Map<string, { count: number; reason: string }>();
  for (const input of inputs) {
    const r = buildReport(input);
    commits += r.totals.commits;
    if (r.totals.cost !== null) {
      anyPriced = true;
      pricedCost += r.totals.cost;
      pricedCommits += r.totals.commits;
    }
    for (const a of r.attempts) {
      if (a.outcome === null || a.outcome === 'stopped') continue;
      judged++;
      if (a.outcome === 'passed') passed++;
      for (const reason of a.failureReasons) {
        const key = reasonKey(reason);
        reasons.set(key, { count: (reasons.get(key)?.count ?? 0) + 1, reason });
      }
    }
    for (const s of r.specs) {
      if (!s.attempts.length) continue;
      attemptsPerSpec.push(s.attempts.length);
      if (s.status === 'done') done++;
      if (s.status === 'failed') failed++;
    }
  }
  return {
    runs: inputs.length,
    unreadable,
    attempts: { judged, passed, passRate: judged ? passed / judged : null },
    commits,
    costPerCommit: anyPriced && pricedCommits > 0 ? pricedCost / pricedCommits : null,
    cost: anyPriced ? pricedCost : null,
    specs: { tried: attemptsPerSpec.length, done, failed, medianAttempts: median(attemptsPerSpec) },
    failureReasons: [...reasons]
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([, v]) => ({ reason: v.reason, count: v.count })),
  };
}
