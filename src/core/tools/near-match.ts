import { linesAt, numbered, splitLines } from './text-file.js';

/**
 * Finding `old_str` for str_replace: the exact occurrences, and when there is none, the
 * nearest near-match (same text with different whitespace, or else the most similar block
 * of lines) so the model can correct its next call.
 *
 * Every step is bounded whatever the file and the needle: occurrences are counted up to
 * a cap, the whitespace search compares at most MAX_LINE_COMPARES lines and holds no copy
 * of the file, and the similarity search runs only on files of at most SIMILAR_MAX_LINES
 * lines, on lines cut to GRAM_CHARS characters, over at most MAX_WORK line pairs.
 */

/** Occurrences kept with their offsets (the error lists their lines). */
const KEEP_OFFSETS = 20;
/** Occurrences counted at most; past it the count is "at least". */
const COUNT_CAP = 10_000;

export interface Occurrences {
  /** Offsets of the first few occurrences (non-overlapping, left to right). */
  offsets: number[];
  /** How many occurrences were counted (at most COUNT_CAP). */
  count: number;
  /** True when counting stopped at the cap. */
  capped: boolean;
}

export function findOccurrences(haystack: string, needle: string): Occurrences {
  const offsets: number[] = [];
  let count = 0;
  if (needle === '') return { offsets, count, capped: false };
  for (
    let i = haystack.indexOf(needle);
    i !== -1;
    i = haystack.indexOf(needle, i + needle.length)
  ) {
    if (count === COUNT_CAP) return { offsets, count, capped: true };
    if (offsets.length < KEEP_OFFSETS) offsets.push(i);
    count++;
  }
  return { offsets, count, capped: false };
}

export function matchLines(text: string, offsets: readonly number[]): number[] {
  return linesAt(text, offsets);
}

function squash(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** Calls `each(line, index)` for every line (terminator and a trailing CR removed). */
function forEachLine(text: string, each: (line: string, index: number) => boolean | void): void {
  let start = 0;
  let index = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const next = end === -1 ? text.length : end + 1;
    if (end === -1) end = text.length;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (each(text.slice(start, end), index++) === false) return;
    start = next;
  }
}

/** Lines `from`..`to` (1-based, inclusive) without splitting the whole text. */
export function lineSlice(text: string, from: number, to: number): string[] {
  const out: string[] = [];
  forEachLine(text, (line, i) => {
    if (i + 1 > to) return false;
    if (i + 1 >= from) out.push(line);
  });
  return out;
}

/** Bigram multiset of a line: sorted codes (two UTF-16 units each), at most GRAM_CHARS chars. */
type Grams = Uint32Array;
const GRAM_CHARS = 240;

function grams(s: string): Grams {
  const t = s.length > GRAM_CHARS ? s.slice(0, GRAM_CHARS) : s;
  const out = new Uint32Array(Math.max(0, t.length - 1));
  for (let i = 0; i < t.length - 1; i++) out[i] = t.charCodeAt(i) * 65536 + t.charCodeAt(i + 1);
  return out.sort();
}

function gramSimilarity(a: Grams, b: Grams): number {
  if (a.length === 0 || b.length === 0) return 0;
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

/** Dice coefficient on character bigrams, 0..1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return gramSimilarity(grams(a), grams(b));
}

export interface NearMatch {
  kind: 'whitespace' | 'similar';
  /** 1-based first and last line of the near-match in the file. */
  start: number;
  end: number;
  score: number;
}

/** Line comparisons allowed in the whitespace search. */
const MAX_LINE_COMPARES = 2_000_000;
/** Files with more lines get no similarity search (the whitespace search still runs). */
export const SIMILAR_MAX_LINES = 20_000;
/** Line pairs scored in the similarity search. */
const MAX_WORK = 40_000;

/** Same lines once whitespace is ignored: streams the file, keeps only `wanted.length` lines. */
function whitespaceMatch(text: string, wanted: readonly string[]): NearMatch | undefined {
  const n = wanted.length;
  const first = wanted[0] ?? '';
  let found: NearMatch | undefined;
  let compares = 0;
  // The last n squashed lines, as a ring; a window ending at line i starts at i - n + 1.
  const ring: string[] = new Array<string>(n);
  let partial: NearMatch | undefined;
  forEachLine(text, (line, i) => {
    const squashed = squash(line);
    ring[i % n] = squashed;
    if (n === 1) {
      // A single-line needle: a whole line first, else the first line containing it.
      if (squashed === first) {
        found = { kind: 'whitespace', start: i + 1, end: i + 1, score: 1 };
        return false;
      }
      if (!partial && first !== '' && squashed.includes(first)) {
        partial = { kind: 'whitespace', start: i + 1, end: i + 1, score: 1 };
      }
      return ++compares < MAX_LINE_COMPARES;
    }
    const start = i - n + 1;
    if (start < 0 || ring[start % n] !== first) return ++compares < MAX_LINE_COMPARES;
    let same = true;
    for (let j = 1; j < n && same; j++) same = ring[(start + j) % n] === wanted[j];
    compares += n;
    if (same) {
      found = { kind: 'whitespace', start: start + 1, end: i + 1, score: 1 };
      return false;
    }
    return compares < MAX_LINE_COMPARES;
  });
  found ??= partial;
  return found;
}

/** Whether `text` has more than `max` lines, without splitting it. */
function moreLinesThan(text: string, max: number): boolean {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (++count > max) return true;
  }
  return false;
}

function similarMatch(text: string, wanted: readonly string[]): NearMatch | undefined {
  if (moreLinesThan(text, SIMILAR_MAX_LINES)) return undefined;
  const fileLines = splitLines(text);
  const squashed = fileLines.map(squash);
  const n = wanted.length;
  const fileGrams: (Grams | undefined)[] = new Array<Grams | undefined>(squashed.length);
  const lineGrams = (i: number): Grams => (fileGrams[i] ??= grams(squashed[i] ?? ''));
  const wantedGrams = wanted.map(grams);
  const none = new Uint32Array(0);
  const pair = (i: number, j: number): number =>
    squashed[i] === wanted[j] ? 1 : gramSimilarity(lineGrams(i), wantedGrams[j] ?? none);
  const windows = Math.max(1, squashed.length - n + 1);
  let starts: number[];
  if (windows * n <= MAX_WORK) {
    starts = Array.from({ length: windows }, (_, i) => i);
  } else {
    // Anchor on the needle's first, middle and last lines: a window is a candidate when
    // one of them resembles the file line at the same position.
    const anchors = [...new Set([0, Math.floor(n / 2), n - 1])];
    const scored: { start: number; s: number }[] = [];
    for (let i = 0; i < squashed.length; i++) {
      for (const j of anchors) {
        const start = i - j;
        if (start < 0 || start >= windows) continue;
        scored.push({ start, s: pair(i, j) });
      }
    }
    scored.sort((a, b) => b.s - a.s);
    starts = [
      ...new Set(scored.slice(0, Math.max(1, Math.floor(MAX_WORK / n))).map((x) => x.start)),
    ];
  }
  let best: NearMatch | undefined;
  let work = 0;
  for (const i of starts) {
    let total = 0;
    const len = Math.min(n, squashed.length - i);
    for (let j = 0; j < len; j++) total += pair(i + j, j);
    const score = total / n;
    if (!best || score > best.score) best = { kind: 'similar', start: i + 1, end: i + len, score };
    work += len;
    if (work >= MAX_WORK) break;
  }
  return best && best.score >= 0.5 ? best : undefined;
}

/** The nearest near-match of `needle` in `text`, or undefined when nothing is close. */
export function nearestMatch(text: string, needle: string): NearMatch | undefined {
  const wanted = splitLines(needle.replace(/\r\n/g, '\n')).map(squash);
  while (wanted.length && wanted[0] === '') wanted.shift();
  while (wanted.length && wanted[wanted.length - 1] === '') wanted.pop();
  if (wanted.length === 0 || text === '') return undefined;
  return whitespaceMatch(text, wanted) ?? similarMatch(text, wanted);
}

/** The hint appended to a zero-match error. */
export function nearMatchHint(text: string, needle: string): string {
  const near = nearestMatch(text, needle);
  if (!near && moreLinesThan(text, SIMILAR_MAX_LINES)) {
    return `The same text with other whitespace was not found either, and the file has more than ${SIMILAR_MAX_LINES} lines, too many for a similarity search. Find the text with \`grep -n\` in bash, view that range, then copy the exact text (including indentation) into old_str.`;
  }
  if (!near) {
    return 'No similar text was found either. View the file to see its current content, then copy the exact text (including indentation) into old_str.';
  }
  const from = Math.max(1, near.start - 1);
  const lines = lineSlice(text, from, Math.min(near.end + 1, from + 14));
  const snippet = numbered(lines, from);
  const where = near.start === near.end ? `line ${near.start}` : `lines ${near.start}-${near.end}`;
  const what =
    near.kind === 'whitespace'
      ? `The same text exists at ${where} with different whitespace or indentation`
      : `The most similar text is at ${where} (${Math.round(near.score * 100)}% similar)`;
  return `${what}:\n${snippet}\nCopy the text exactly as shown (without the line-number prefix) into old_str.`;
}
