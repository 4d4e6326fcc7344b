import { lineAt, numbered, splitLines } from './text-file.js';

/**
 * Finding `old_str` for str_replace: every exact occurrence, and when there is none,
 * the nearest near-match (same text with different whitespace, or else the most
 * similar block of lines) so the model can correct its next call.
 */

/** Offsets of every occurrence (non-overlapping, left to right). */
export function findAll(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle === '') return found;
  for (
    let i = haystack.indexOf(needle);
    i !== -1;
    i = haystack.indexOf(needle, i + needle.length)
  ) {
    found.push(i);
  }
  return found;
}

export function matchLines(text: string, offsets: readonly number[]): number[] {
  return offsets.map((o) => lineAt(text, o));
}

function squash(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

type Grams = { map: Map<number, number>; size: number; text: string };

function grams(s: string): Grams {
  const map = new Map<number, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1);
    map.set(g, (map.get(g) ?? 0) + 1);
  }
  return { map, size: Math.max(0, s.length - 1), text: s };
}

function gramSimilarity(a: Grams, b: Grams): number {
  if (a.text === b.text) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.map.size <= b.map.size ? [a, b] : [b, a];
  let common = 0;
  for (const [g, n] of small.map) common += Math.min(n, large.map.get(g) ?? 0);
  return (2 * common) / (a.size + b.size);
}

/** Dice coefficient on character bigrams, 0..1. */
export function similarity(a: string, b: string): number {
  return gramSimilarity(grams(a), grams(b));
}

export interface NearMatch {
  kind: 'whitespace' | 'similar';
  /** 1-based first and last line of the near-match in the file. */
  start: number;
  end: number;
  score: number;
}

const MAX_WORK = 40_000;

/** The nearest near-match of `needle` in `text`, or undefined when nothing is close. */
export function nearestMatch(text: string, needle: string): NearMatch | undefined {
  const fileLines = splitLines(text).map(squash);
  const wanted = splitLines(needle.replace(/\r\n/g, '\n')).map(squash);
  while (wanted.length && wanted[0] === '') wanted.shift();
  while (wanted.length && wanted[wanted.length - 1] === '') wanted.pop();
  const n = wanted.length;
  if (n === 0 || fileLines.length === 0) return undefined;

  // 1. Same lines once whitespace is ignored.
  for (let i = 0; i + n <= fileLines.length; i++) {
    let same = true;
    for (let j = 0; j < n && same; j++) same = fileLines[i + j] === wanted[j];
    if (same) return { kind: 'whitespace', start: i + 1, end: i + n, score: 1 };
  }
  // A single-line needle may be part of a line.
  if (n === 1) {
    const w = wanted[0] ?? '';
    const idx = fileLines.findIndex((l) => l.includes(w));
    if (idx >= 0) return { kind: 'whitespace', start: idx + 1, end: idx + 1, score: 1 };
  }

  // 2. The most similar window of n lines. Bigrams are computed once per line; on big
  //    files only windows starting near a line resembling the needle's first line are tried.
  const fileGrams: (Grams | undefined)[] = new Array<Grams | undefined>(fileLines.length);
  const lineGrams = (i: number): Grams => (fileGrams[i] ??= grams(fileLines[i] ?? ''));
  const wantedGrams = wanted.map(grams);
  const windows = Math.max(1, fileLines.length - n + 1);
  let starts: number[];
  if (windows * n <= MAX_WORK) {
    starts = Array.from({ length: windows }, (_, i) => i);
  } else {
    // Anchor on the needle's first, middle and last lines: a window is a candidate when
    // one of them resembles the file line at the same position.
    const anchors = [...new Set([0, Math.floor(n / 2), n - 1])];
    const scored: { start: number; s: number }[] = [];
    for (let i = 0; i < fileLines.length; i++) {
      for (const j of anchors) {
        const start = i - j;
        if (start < 0 || start >= windows) continue;
        scored.push({ start, s: gramSimilarity(lineGrams(i), wantedGrams[j] ?? grams('')) });
      }
    }
    scored.sort((a, b) => b.s - a.s);
    starts = [
      ...new Set(scored.slice(0, Math.max(1, Math.floor(MAX_WORK / n))).map((x) => x.start)),
    ];
  }
  let best: NearMatch | undefined;
  for (const i of starts) {
    let total = 0;
    const len = Math.min(n, fileLines.length - i);
    for (let j = 0; j < len; j++)
      total += gramSimilarity(lineGrams(i + j), wantedGrams[j] ?? grams(''));
    const score = total / n;
    if (!best || score > best.score) best = { kind: 'similar', start: i + 1, end: i + len, score };
  }
  return best && best.score >= 0.5 ? best : undefined;
}

/** The hint appended to a zero-match error. */
export function nearMatchHint(text: string, needle: string): string {
  const near = nearestMatch(text, needle);
  if (!near) {
    return 'No similar text was found either. View the file to see its current content, then copy the exact text (including indentation) into old_str.';
  }
  const lines = splitLines(text);
  const from = Math.max(1, near.start - 1);
  const to = Math.min(lines.length, near.end + 1, from + 14);
  const snippet = numbered(lines.slice(from - 1, to), from);
  const where = near.start === near.end ? `line ${near.start}` : `lines ${near.start}-${near.end}`;
  const what =
    near.kind === 'whitespace'
      ? `The same text exists at ${where} with different whitespace or indentation`
      : `The most similar text is at ${where} (${Math.round(near.score * 100)}% similar)`;
  return `${what}:\n${snippet}\nCopy the text exactly as shown (without the line-number prefix) into old_str.`;
}
