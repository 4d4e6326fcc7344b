import type { RunReport } from './model.js';
import { esc, horizontalBars, lineChart, stackedBars, W, type Series } from './svg.js';
import { duration, outcomeWord, percent, timeSplit, tokens, usd } from './units.js';

/** The HTML report's charts, each an inline <svg> (or a sentence when there is no data). */

const TOKEN_SERIES: Series[] = [
  { key: 'input', label: 'input' },
  { key: 'cache-read', label: 'cache read' },
  { key: 'cache-write', label: 'cache write' },
  { key: 'output', label: 'output' },
];

const TIME_SERIES: Series[] = [
  { key: 'model', label: 'model' },
  { key: 'tools', label: 'tools' },
  { key: 'validation', label: 'validation' },
  { key: 'other', label: 'other' },
];

const label = (a: { specId: string; attempt: number }) => `${a.specId} #${a.attempt}`;

export function tokensChart(r: RunReport): string {
  return stackedBars({
    id: 'chart-tokens',
    title: 'Tokens per iteration, by kind',
    series: TOKEN_SERIES,
    rows: r.attempts.map((a) => ({
      label: String(a.index + 1),
      values: [a.usage.input, a.usage.cacheRead, a.usage.cacheWrite, a.usage.output],
      tip: `${a.index + 1}. ${label(a)}: ${tokens(a.tokens)} tokens (input ${tokens(a.usage.input)}, cache read ${tokens(a.usage.cacheRead)}, cache write ${tokens(a.usage.cacheWrite)}, output ${tokens(a.usage.output)})`,
    })),
    format: tokens,
  });
}

/** Cost per iteration, stacked by token kind when the price is known. */
export function costChart(r: RunReport): string {
  const byKind = r.attempts.every((a) => a.costByKind !== null);
  return stackedBars({
    id: 'chart-cost',
    title: 'Cost per iteration',
    series: byKind ? TOKEN_SERIES : [{ key: 'cost', label: 'cost (USD; price unknown)' }],
    rows: r.attempts.map((a) => {
      const k = a.costByKind;
      return {
        label: String(a.index + 1),
        values: k ? [k.input, k.cacheRead, k.cacheWrite, k.output] : [a.cost ?? 0],
        tip: k
          ? `${a.index + 1}. ${label(a)}: ${usd(a.cost)} (input ${usd(k.input)}, cache read ${usd(k.cacheRead)}, cache write ${usd(k.cacheWrite)}, output ${usd(k.output)})`
          : `${a.index + 1}. ${label(a)}: ${usd(a.cost)}`,
      };
    }),
    format: usd,
  });
}

/** Cumulative cache reads over cumulative prompt tokens, after each iteration. */
export function cacheChart(r: RunReport): string {
  let read = 0;
  let prompt = 0;
  return lineChart({
    id: 'chart-cache',
    title: 'Cache share of prompt tokens over the run',
    seriesKey: 'cache-read',
    max: 1,
    format: (n) => `${Math.round(n * 100)}%`,
    points: r.attempts.map((a) => {
      read += a.usage.cacheRead;
      prompt += a.usage.input + a.usage.cacheRead + a.usage.cacheWrite;
      const share = prompt ? read / prompt : 0;
      return {
        label: String(a.index + 1),
        value: share,
        tip: `after ${a.index + 1}. ${label(a)}: ${percent(prompt ? share : null)} of prompt tokens read from the cache`,
      };
    }),
  });
}

export function timeChart(r: RunReport): string {
  const timed = r.attempts.filter((a) => a.time !== null);
  if (!timed.length)
    return `<p class="muted">Time split: not recorded (the event log is missing).</p>`;
  return horizontalBars({
    id: 'chart-time',
    title: 'Time of each attempt: model, tools, validation, other',
    series: TIME_SERIES,
    rows: timed.map((a) => {
      const t = a.time as NonNullable<typeof a.time>;
      return {
        label: label(a),
        values: [t.modelMs, t.toolsMs, t.validationMs, t.otherMs],
        tip: `${label(a)}: ${timeSplit(t)}`,
      };
    }),
    format: duration,
  });
}

const OUTCOME_CLASS: Record<string, string> = {
  passed: 'ok',
  failed: 'bad',
  no_changes: 'warn',
  agent_error: 'bad',
  stopped: 'warn',
};

/** One row per spec, one `<rect class="attempt">` per attempt on a shared time axis. */
export function timelineChart(r: RunReport): string {
  const attempts = r.attempts.filter((a) => Number.isFinite(Date.parse(a.startedAt)));
  if (!attempts.length) return `<p class="muted">No attempts yet.</p>`;
  const end = (a: (typeof attempts)[number]) =>
    a.endedAt
      ? Date.parse(a.endedAt)
      : Math.max(Date.parse(a.startedAt), Date.parse(r.run.updatedAt));
  const t0 = Math.min(...attempts.map((a) => Date.parse(a.startedAt)));
  const t1 = Math.max(...attempts.map(end), t0 + 1);
  const specs = [...new Set(attempts.map((a) => a.specId))];
  const lanes = Math.max(...attempts.map((a) => a.lane)) + 1;
  const left = 150;
  const rowH = 22;
  const height = 24 + specs.length * rowH + 24;
  const scale = (W - left - 12) / (t1 - t0);
  const rows = specs
    .map((id, i) => {
      const y = 18 + i * rowH;
      return `<text class="label" x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(id)}</text><line class="grid" x1="${left}" x2="${W - 12}" y1="${y + rowH - 2}" y2="${y + rowH - 2}"/>`;
    })
    .join('');
  const bars = attempts
    .map((a) => {
      const y = 18 + specs.indexOf(a.specId) * rowH + 2;
      const x = left + (Date.parse(a.startedAt) - t0) * scale;
      const w = Math.max(2, (end(a) - Date.parse(a.startedAt)) * scale);
      const cls = a.outcome ? (OUTCOME_CLASS[a.outcome] ?? 'warn') : 'run';
      return `<rect class="attempt o-${cls}" data-lane="${a.lane}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="2"><title>${esc(`${label(a)}: ${outcomeWord(a.outcome)}, ${duration(a.durationMs)}, ${usd(a.cost)}`)}</title></rect>`;
    })
    .join('');
  const axis = `<text class="axis" x="${left}" y="${height - 6}">0</text><text class="axis" x="${W - 12}" y="${height - 6}" text-anchor="end">${esc(duration(t1 - t0))}</text>`;
  const title = `Timeline of attempts per spec${lanes > 1 ? ` (${lanes} ran in parallel)` : ''}`;
  return `<svg id="chart-timeline" class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="chart-timeline-title" xmlns="http://www.w3.org/2000/svg"><title id="chart-timeline-title">${esc(title)}</title>${rows}${bars}${axis}</svg>`;
}
