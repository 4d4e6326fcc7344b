/** Byte- and line-level helpers shared by the spec parser and write-back. */

/** The lines of `text`, each with its own terminator (`\n`, `\r\n` or none for the last). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      if (start < text.length) lines.push(text.slice(start));
      return lines;
    }
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

/** A line without its terminator. */
export function stripEol(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  if (line.endsWith('\n')) return line.slice(0, -1);
  return line;
}

/** The terminator of a line ('' for a last line without one). */
export function eolOf(line: string): string {
  return line.slice(stripEol(line).length);
}

/** The file's dominant line ending: CRLF when its first line ending is CRLF. */
export function detectEol(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

export type Decoded = { ok: true; text: string } | { ok: false; line: number; column: number };

/**
 * Strict UTF-8 decoding. A leading byte-order mark is kept when `keepBom` (write-back
 * must preserve it) and dropped otherwise. On invalid bytes, the 1-based line and column
 * (in characters) of the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, keepBom = false): Decoded {
  try {
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: keepBom }).decode(bytes),
    };
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const lines = prefix.split('\n');
    return { ok: false, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** 1-based line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
