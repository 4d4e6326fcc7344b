/** Plain aligned columns; widths by visible length (ANSI codes ignored). */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

export function table(rows: string[][], options: { header?: string[]; gap?: number } = {}): string {
  const all = options.header ? [options.header, ...rows] : rows;
  const gap = ' '.repeat(options.gap ?? 2);
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return all
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
        )
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}
