/**
 * Durations as people type them on the command line: `90s`, `30m`, `1h`, `1h30m`,
 * `2d`, or a bare number of seconds. Returns seconds, or null when the text is not a
 * duration (the caller turns that into a usage error naming the flag).
 */
const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

export function parseDuration(text: string): number | null {
  const input = text.trim().toLowerCase();
  if (input === '') return null;
  if (/^\d+(\.\d+)?$/.test(input)) {
    const seconds = Number(input);
    return seconds > 0 ? seconds : null;
  }
  const part = /(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h|d)/y;
  let total = 0;
  let index = 0;
  while (index < input.length) {
    part.lastIndex = index;
    const match = part.exec(input);
    if (!match) return null;
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
    index = part.lastIndex;
    while (input[index] === ' ') index++;
  }
  return Number.isFinite(total) && total > 0 ? total : null;
}

/** `5400` → `1h30m`, `90` → `1m30s`, `12.5` → `13s`: for messages and summaries. */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m${s}s` : `${m}m`;
  return `${s}s`;
}
