import { decodeUtf8 } from './text.js';

/**
 * A spec file's bytes as text, or why they are not a text mmm can read and rewrite safely,
 * with the position to show and the fix. Tells apart what an editor can save wrongly:
 * UTF-16 (with or without a byte-order mark), binary content (NUL bytes), line endings of
 * a lone CR (classic Mac), and any other invalid UTF-8.
 */
export type SpecText =
  { ok: true; text: string } | { ok: false; line: number; column: number; message: string };

const BOM = '\uFEFF';

function looksUtf16(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'BE';
  // Without a mark: ASCII text in UTF-16 has a NUL in every other byte.
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > half * 0.6 && even < half * 0.1) return 'LE';
  if (even > half * 0.6 && odd < half * 0.1) return 'BE';
  return undefined;
}

/** Decode a spec file (a leading byte-order mark is dropped). */
export function decodeSpecText(bytes: Uint8Array): SpecText {
  const utf16 = looksUtf16(bytes);
  if (utf16) {
    return {
      ok: false,
      line: 1,
      column: 1,
      message: `file is UTF-16 (${utf16 === 'LE' ? 'little' : 'big'}-endian), not UTF-8: save it with UTF-8 encoding`,
    };
  }
  const nul = bytes.indexOf(0);
  const decoded = decodeUtf8(nul === -1 ? bytes : bytes.subarray(0, nul));
  if (!decoded.ok) {
    return {
      ok: false,
      line: decoded.line,
      column: decoded.column,
      message:
        'file is not valid UTF-8 (the first invalid byte is here): save it with UTF-8 encoding',
    };
  }
  if (nul !== -1) {
    const lines = decoded.text.split('\n');
    return {
      ok: false,
      line: lines.length,
      column: (lines.at(-1)?.length ?? 0) + 1,
      message:
        'file contains NUL bytes (the first is here), so it is binary, not markdown: replace it with a text file',
    };
  }
  const text = decoded.text.startsWith(BOM) ? decoded.text.slice(1) : decoded.text;
  const cr = text.indexOf('\r');
  if (cr !== -1 && text[cr + 1] !== '\n' && !text.includes('\n')) {
    return {
      ok: false,
      line: 1,
      column: cr + 1,
      message:
        'file has CR-only line endings (classic Mac OS): save it with LF or CRLF line endings',
    };
  }
  return { ok: true, text };
}
