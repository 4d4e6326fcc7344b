import type { RunReport, TimeSplit } from './model.js';

/** How the report writes numbers (the same conventions as the terminal UI). */

export const NOT_RECORDED = 'not recorded';

export function usd(cost: number | null): string {
  if (cost === null) return 'unknown';
  if (cost === 0) return '$0.00';
  if (Math.abs(cost) < 0.0001) return '<$0.0001';
  if (Math.abs(cost) < 0.01) return `$${cost.toFixed(4)}`;
  return `$${cost.toFixed(2)}`;
}

const trimZero = (s: string): string => (s.endsWith('.0') ? s.slice(0, -2) : s);

/** 950 → "950", 12_345 → "12.3k", 1_200_000 → "1.2M". */
export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trimZero((n / 1000).toFixed(n < 10_000 ? 1 : 0))}k`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M`;
}

/** 4_200 → "4.2s", 65_000 → "1m05s", 3_725_000 → "1h02m"; sub-second: "420ms". */
export function duration(ms: number | null): string {
  if (ms === null) return NOT_RECORDED;
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return ms < 10_000 ? `${trimZero((ms / 1000).toFixed(1))}s` : `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function percent(share: number | null): string {
  return share === null ? NOT_RECORDED : `${Math.round(share * 100)}%`;
}

export function short(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}

/** "model 12s · tools 3.1s · validation 4.0s · other 200ms", or "not recorded". */
export function timeSplit(t: TimeSplit | null): string {
  if (!t) return NOT_RECORDED;
  return [
    `model ${duration(t.modelMs)}`,
    `tools ${duration(t.toolsMs)}`,
    `validation ${duration(t.validationMs)}`,
    `other ${duration(t.otherMs)}`,
  ].join(' · ');
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "+12 −3 in 2 files", or "diffstat not recorded". */
export function diffstat(c: {
  insertions: number | null;
  deletions: number | null;
  files: unknown[];
}): string {
  if (c.insertions === null || c.deletions === null) return `diffstat ${NOT_RECORDED}`;
  const n = c.files.length;
  return `+${c.insertions} −${c.deletions} in ${n} file${n === 1 ? '' : 's'}`;
}

const OUTCOME_WORDS: Record<string, string> = {
  passed: 'accepted',
  failed: 'rejected',
  no_changes: 'no changes',
  agent_error: 'agent error',
  stopped: 'stopped',
};

export function outcomeWord(outcome: string | null): string {
  return outcome === null ? 'in progress' : (OUTCOME_WORDS[outcome] ?? outcome);
}

const STATUS_ICONS: Record<string, string> = {
  done: '✅',
  failed: '❌',
  blocked: '⛔',
  skipped: '⏭️',
  pending: '⏸️',
  'in-progress': '🔄',
};

export function statusIcon(status: string): string {
  return STATUS_ICONS[status] ?? '•';
}

/** The run's one-line headline, e.g. "completed: 2 of 3 specs done". */
export function headline(r: {
  run: { status: string; live: boolean };
  totals: { specs: Record<string, number> & { total: number } };
}): string {
  const done = r.totals.specs.done ?? 0;
  const state = r.run.live ? 'running' : r.run.status;
  return `${state}: ${done} of ${r.totals.specs.total} spec${r.totals.specs.total === 1 ? '' : 's'} done`;
}

export function limitsLine(r: RunReport): string {
  const l = r.limits;
  const parts = [`${l.maxIterations} iterations`];
  if (l.usd !== undefined) parts.push(usd(l.usd));
  if (l.tokens !== undefined) parts.push(`${tokens(l.tokens)} tokens`);
  if (l.time !== undefined) parts.push(duration(l.time * 1000));
  return parts.join(' · ');
}
