/**
 * Aligned columns for listings (`mmm specs`, `status`, `runs`, `analyze`, …).
 * Widths by visible length (ANSI codes ignored). On a TTY the table fits the terminal
 * width: the widest columns shrink and their cells end with "…"; in a pipe nothing is
 * cut, so scripts get whole values.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

export function visibleLength(s: string): number {
  return Array.from(stripAnsi(s)).length;
}

export interface TableOptions {
  header?: string[];
  /** Spaces between columns (default 2). */
  gap?: number;
  /** Right-align these columns (numbers, durations, costs). */
  align?: ('left' | 'right')[];
  /**
   * Fit the table in this many columns. Default: the terminal width when stdout is a
   * TTY, else no limit. Pass `Infinity` to never cut.
   */
  maxWidth?: number;
  /** Columns that must not shrink (e.g. ids); by default every column may shrink. */
  keep?: number[];
}

/** The width a table may use on this process's stdout. */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
): number {
  return stream.isTTY && stream.columns ? stream.columns : Infinity;
}

/** Cut a cell to `width` visible characters, ending with "…" (drops its colors when cut). */
export function fitCell(cell: string, width: number): string {
  if (visibleLength(cell) <= width) return cell;
  const chars = Array.from(stripAnsi(cell));
  if (width <= 0) return '';
  if (width === 1) return '…';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Shrink column widths, widest first, one character at a time, until the row fits. */
export function fitWidths(
  widths: number[],
  gap: number,
  maxWidth: number,
  keep: number[] = [],
): number[] {
  const MIN = 6;
  const out = [...widths];
  let total = out.reduce((a, b) => a + b, 0) + gap * Math.max(0, out.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    out.forEach((w, i) => {
      if (!keep.includes(i) && w > MIN && (widest < 0 || w > (out[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    out[widest] = (out[widest] ?? 0) - 1;
    total--;
  }
  return out;
}

export function table(rows: string[][], options: TableOptions = {}): string {
  const all = options.header ? [options.header, ...rows] : rows;
  const gapWidth = options.gap ?? 2;
  const gap = ' '.repeat(gapWidth);
  const natural: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      natural[i] = Math.max(natural[i] ?? 0, visibleLength(cell));
    });
  }
  const maxWidth = options.maxWidth ?? terminalWidth();
  const widths = Number.isFinite(maxWidth)
    ? fitWidths(natural, gapWidth, maxWidth, options.keep)
    : natural;
  return all
    .map((row) =>
      row
        .map((raw, i) => {
          const width = widths[i] ?? 0;
          const cell = fitCell(raw, width);
          const pad = ' '.repeat(Math.max(0, width - visibleLength(cell)));
          if (options.align?.[i] === 'right') return pad + cell;
          return i === row.length - 1 ? cell : cell + pad;
        })
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}
