import type { Cost, Usage } from '../core/llm/usage.js';
import { totalTokens } from '../core/llm/usage.js';
import type { AttemptOutcome, SpecRunStatus } from '../core/run/events.js';

/** Small formatters shared by the TUI, the plain renderer and the tables. */

/** "$0.42", "$12.30", "$0.0031"; null is "unknown", never "$0". */
export function formatCost(cost: Cost | undefined): string {
  if (cost === null || cost === undefined) return 'unknown';
  if (cost === 0) return '$0.00';
  // A tiny but real cost must not read as zero.
  if (cost < 0.0001) return '<$0.0001';
  if (cost < 0.01) return `$${cost.toFixed(4)}`;
  return `$${cost.toFixed(2)}`;
}

/** 950 → "950", 12_345 → "12.3k", 1_200_000 → "1.2M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trimZero((n / 1000).toFixed(n < 10_000 ? 1 : 0))}k`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M`;
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

export function formatUsageTokens(usage: Usage): string {
  return formatTokens(totalTokens(usage));
}

/** 4_200 → "4.2s", 65_000 → "1m05s", 3_725_000 → "1h02m"; sub-second: "420ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return ms < 10_000 ? `${trimZero((ms / 1000).toFixed(1))}s` : `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A clock for elapsed time: "0:42", "12:03", "1:02:03". */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Local wall-clock time of an ISO timestamp: "12:01:02". */
export function formatTimeOfDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function shortCommit(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}

export const SPEC_ICONS: Record<SpecRunStatus, string> = {
  pending: '·',
  'in-progress': '▶',
  done: '✔',
  failed: '✘',
  blocked: '⊘',
  skipped: '–',
};

export const OUTCOME_ICONS: Record<AttemptOutcome, string> = {
  passed: '✔',
  failed: '✘',
  no_changes: '∅',
  agent_error: '✘',
  stopped: '■',
};

export const OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  passed: 'passed',
  failed: 'failed',
  no_changes: 'made no changes',
  agent_error: 'agent error',
  stopped: 'stopped',
};

/** The first non-empty line of a text, trimmed. */
export function firstLine(text: string | undefined): string {
  if (!text) return '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t) return t;
  }
  return '';
}

/** Collapse whitespace (newlines included) into single spaces: for one-line displays. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cut to `width` characters, ending with "…" when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width === 1) return '…';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * Word-wrap plain text (no ANSI) to `width`; words longer than the width are cut.
 * Blank lines are kept. Used to show the *end* of the assistant's text.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of text.replace(/\r/g, '').replace(/\t/g, '  ').split('\n')) {
    const words = raw.split(/ +/).filter((x) => x !== '');
    if (words.length === 0) {
      out.push('');
      continue;
    }
    let line = '';
    for (let word of words) {
      while (Array.from(word).length > w) {
        if (line) {
          out.push(line);
          line = '';
        }
        const chars = Array.from(word);
        out.push(chars.slice(0, w).join(''));
        word = chars.slice(w).join('');
      }
      if (!word) continue;
      if (!line) line = word;
      else if (Array.from(line).length + 1 + Array.from(word).length <= w) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    if (line) out.push(line);
  }
  return out;
}

/** The last `n` non-blank-trailing lines of wrapped text. */
export function lastLines(text: string, width: number, n: number): string[] {
  const lines = wrapText(text.trimEnd(), width);
  while (lines.length && lines[0] === '') lines.shift();
  return lines.slice(-n);
}
