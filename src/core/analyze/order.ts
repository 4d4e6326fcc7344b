/**
 * Tie-breaking order for paths and names: UTF-16 code units, as `Array.prototype.sort`
 * orders strings. Not `localeCompare`: its first call loads ICU's collator, 10–25 ms of
 * a cold `mmm analyze` that otherwise takes a few hundred. Deterministic, and the same on
 * every machine whatever its locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
