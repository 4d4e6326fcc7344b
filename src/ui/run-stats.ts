import type { RunStats } from '../core/report/stats.js';
import { formatCost } from './format.js';

/** `mmm runs --stats` for people. */
export function formatStats(s: RunStats): string {
  if (s.runs === 0) {
    return 'No runs yet in this repository. Start one with: mmm improve\n';
  }
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
  const lines = [
    `${s.runs} run${s.runs === 1 ? '' : 's'} · ${s.attempts.judged} attempts · ${s.commits} commits · cost ${formatCost(s.cost)}`,
    `attempts passed:          ${pct(s.attempts.passRate)} (${s.attempts.passed} of ${s.attempts.judged})`,
    `cost per accepted commit: ${s.costPerCommit === null ? 'n/a' : formatCost(s.costPerCommit)}`,
    `attempts per spec:        ${s.specs.medianAttempts === null ? 'n/a' : `median ${s.specs.medianAttempts}`} (${s.specs.tried} specs tried: ${s.specs.done} done, ${s.specs.failed} failed)`,
  ];
  if (s.failureReasons.length) {
    lines.push('most frequent failure reasons:');
    for (const r of s.failureReasons) lines.push(`  ${String(r.count).padStart(4)}× ${r.reason}`);
  } else lines.push('most frequent failure reasons: none');
  return lines.join('\n') + '\n';
}
