/** Small inline-SVG chart primitives for the HTML report: no scripts, colours from CSS. */

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

export interface Series {
  /** CSS class suffix: the colour (`s-input` → var(--s-input)). */
  key: string;
  label: string;
}

export const W = 720;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

/** A "nice" axis maximum ≥ value: 1, 2, 2.5, 5 × 10^k. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= value) return m * p;
  return 10 * p;
}

function legend(series: Series[], y: number): string {
  let x = PAD.left;
  return series
    .map((s) => {
      const item = `<g class="legend"><rect x="${x}" y="${y - 9}" width="10" height="10" class="s-${s.key}"/><text x="${x + 14}" y="${y}">${esc(s.label)}</text></g>`;
      x += 24 + s.label.length * 7;
      return item;
    })
    .join('');
}

function yAxis(max: number, height: number, format: (n: number) => string): string {
  const plot = height - PAD.top - PAD.bottom;
  return [0, 0.5, 1]
    .map((f) => {
      const y = PAD.top + plot * (1 - f);
      return `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${r1(y)}" y2="${r1(y)}"/><text class="axis" x="${PAD.left - 6}" y="${r1(y + 4)}" text-anchor="end">${esc(format(max * f))}</text>`;
    })
    .join('');
}

function xLabels(labels: string[], xOf: (i: number) => number, height: number): string {
  const every = Math.max(1, Math.ceil(labels.length / 24));
  return labels
    .map((l, i) =>
      i % every === 0
        ? `<text class="axis" x="${r1(xOf(i))}" y="${height - PAD.bottom + 16}" text-anchor="middle">${esc(l)}</text>`
        : '',
    )
    .join('');
}

function frame(id: string, title: string, height: number, body: string): string {
  return `<svg id="${id}" class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg"><title id="${id}-title">${esc(title)}</title>${body}</svg>`;
}

/**
 * Vertical bars, one `<g class="bar">` per row, each stacked from its series' values.
 * An optional line (one `<circle class="point">` per row) is drawn on a second scale.
 */
export function stackedBars(options: {
  id: string;
  title: string;
  series: Series[];
  rows: { label: string; values: number[]; tip: string }[];
  format: (n: number) => string;
}): string {
  const height = 200;
  const { rows, series } = options;
  const plot = height - PAD.top - PAD.bottom - 16;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0))));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, rows.length);
  const bw = Math.max(1, Math.min(36, slot * 0.7));
  const xOf = (i: number) => PAD.left + slot * (i + 0.5);
  const bars = rows
    .map((row, i) => {
      let y = PAD.top + 16 + plot;
      const segs = row.values
        .map((v, k) => {
          const h = (v / max) * plot;
          y -= h;
          return h > 0
            ? `<rect class="seg s-${series[k]?.key ?? 'x'}" x="${r1(xOf(i) - bw / 2)}" y="${r1(y)}" width="${r1(bw)}" height="${r1(h)}"/>`
            : '';
        })
        .join('');
      return `<g class="bar" data-row="${i}"><title>${esc(row.tip)}</title>${segs}</g>`;
    })
    .join('');
  const axis = yAxisShifted(max, height, options.format);
  return frame(
    options.id,
    options.title,
    height,
    legend(series, 12) +
      axis +
      bars +
      xLabels(
        rows.map((r) => r.label),
        xOf,
        height,
      ),
  );
}

function yAxisShifted(max: number, height: number, format: (n: number) => string): string {
  return `<g transform="translate(0 16)">${yAxis(max, height - 16, format)}</g>`;
}

/** A line with one `<circle class="point">` per value (values 0..max). */
export function lineChart(options: {
  id: string;
  title: string;
  points: { label: string; value: number; tip: string }[];
  max?: number;
  format: (n: number) => string;
  seriesKey: string;
}): string {
  const height = 170;
  const { points } = options;
  const plot = height - PAD.top - PAD.bottom;
  const max = options.max ?? niceMax(Math.max(0, ...points.map((p) => p.value)));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, points.length);
  const xOf = (i: number) => PAD.left + slot * (i + 0.5);
  const yOf = (v: number) => PAD.top + plot * (1 - v / max);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${r1(xOf(i))} ${r1(yOf(p.value))}`).join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle class="point s-${options.seriesKey}" cx="${r1(xOf(i))}" cy="${r1(yOf(p.value))}" r="3.5"><title>${esc(p.tip)}</title></circle>`,
    )
    .join('');
  return frame(
    options.id,
    options.title,
    height,
    yAxis(max, height, options.format) +
      (points.length ? `<path class="line l-${options.seriesKey}" d="${path}"/>` : '') +
      dots +
      xLabels(
        points.map((p) => p.label),
        xOf,
        height,
      ),
  );
}

/** Horizontal stacked bars, one `<g class="hbar">` per row, with the row's label. */
export function horizontalBars(options: {
  id: string;
  title: string;
  series: Series[];
  rows: { label: string; values: number[]; tip: string }[];
  format: (n: number) => string;
}): string {
  const { rows, series } = options;
  const rowH = 22;
  const left = 150;
  const height = 24 + rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const scale = (W - left - 70) / max;
  const body = rows
    .map((row, i) => {
      const y = 24 + i * rowH;
      let x = left;
      const segs = row.values
        .map((v, k) => {
          const w = v * scale;
          const rect =
            w > 0
              ? `<rect class="seg s-${series[k]?.key ?? 'x'}" x="${r1(x)}" y="${y}" width="${r1(w)}" height="${rowH - 6}"/>`
              : '';
          x += w;
          return rect;
        })
        .join('');
      const total = row.values.reduce((a, b) => a + b, 0);
      return `<g class="hbar" data-row="${i}"><title>${esc(row.tip)}</title><text class="label" x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(row.label)}</text>${segs}<text class="axis" x="${r1(x + 4)}" y="${y + 12}">${esc(options.format(total))}</text></g>`;
    })
    .join('');
  return frame(options.id, options.title, height, legend(series, 12) + body);
}
