/** At most this many failing test names are kept per check. */
export const MAX_FAILED_TESTS = 25;

/** A list of names without duplicates, bounded to MAX_FAILED_TESTS. */
export class NameList {
  private readonly seen = new Set<string>();
  readonly names: string[] = [];

  add(raw: string): void {
    const name = raw.trim();
    if (!name || this.seen.has(name)) return;
    this.seen.add(name);
    if (this.names.length < MAX_FAILED_TESTS) this.names.push(name);
  }

  get size(): number {
    return this.seen.size;
  }
}

/** All matches of a global regex. */
export function matchAll(text: string, re: RegExp): RegExpExecArray[] {
  const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
  return [...text.matchAll(new RegExp(re.source, flags))];
}

/** The last match of `re` in `text`, or null. */
export function lastMatch(text: string, re: RegExp): RegExpExecArray | null {
  const all = matchAll(text, re);
  return all.length ? (all[all.length - 1] ?? null) : null;
}

/** Integer from a capture group; 0 when absent. */
export function int(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : 0;
}

/** Offset of the first match of `re`, or undefined. */
export function indexOf(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? m.index : undefined;
}

/** Count of "N word" in a phrase like "3 passed, 1 failed": the number before `word`. */
export function countBefore(phrase: string, word: RegExp): number {
  const m = new RegExp(`(\\d+)\\s+(?:${word.source})`).exec(phrase);
  return m ? int(m[1]) : 0;
}
