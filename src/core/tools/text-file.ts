import writeFileAtomic from 'write-file-atomic';
import { readRegularFile } from './regular-file.js';

/**
 * Text files as the editor sees them: UTF-8 (with or without BOM), with their line
 * ending kept. Model text always arrives with `\n`; it is converted to the file's
 * line ending before it is matched or written, so a CRLF file stays CRLF.
 */
export type Eol = '\n' | '\r\n';

export interface TextFile {
  text: string;
  bom: boolean;
  eol: Eol;
}

export type ReadResult = { ok: true; file: TextFile } | { ok: false; message: string };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The file's dominant line ending; files with no line break count as LF. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Model text to the file's line ending. */
export function toEol(text: string, eol: Eol): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** Byte offset of the first invalid UTF-8 sequence (approximate for files holding U+FFFD). */
function firstInvalidUtf8(buf: Buffer): number {
  const lossy = buf.toString('utf8');
  const at = lossy.indexOf('\uFFFD');
  return at < 0 ? 0 : Buffer.byteLength(lossy.slice(0, at), 'utf8');
}

export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export function decodeText(buf: Buffer, shownPath: string): ReadResult {
  if (isBinary(buf)) {
    return {
      ok: false,
      message: `${shownPath} is a binary file (${buf.length} bytes); this tool shows and edits text files only. Inspect it with bash instead (e.g. \`file ${shownPath}\` or \`xxd ${shownPath} | head\`)`,
    };
  }
  const bom = buf.subarray(0, 3).equals(BOM);
  const body = bom ? buf.subarray(3) : buf;
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const line = at >= 0 ? body.subarray(0, at).toString('latin1').split('\n').length : 0;
    return {
      ok: false,
      message: `${shownPath} is not valid UTF-8 (first invalid byte at offset ${at + (bom ? 3 : 0)}, line ${line}); this tool only edits UTF-8 files. Convert it first (e.g. \`iconv -f latin1 -t utf-8\`) or edit it with bash`,
    };
  }
  return { ok: true, file: { text, bom, eol: detectEol(text) } };
}

/**
 * A regular text file of at most `maxBytes` bytes (`tools.max_file_size`). FIFOs, sockets,
 * devices and files over the limit are refused with a message naming `command`; nothing
 * is ever opened in a way that could block (see regular-file.ts).
 */
export async function readTextFile(
  path: string,
  shownPath: string,
  options: { command: string; maxBytes: number },
): Promise<ReadResult> {
  const read = await readRegularFile(path, shownPath, options.command, options.maxBytes);
  return read.ok ? decodeText(read.bytes, shownPath) : read;
}

/** Writes atomically, keeping the BOM; the file's mode is preserved by write-file-atomic. */
export async function writeTextFile(path: string, file: TextFile): Promise<void> {
  const body = Buffer.from(file.text, 'utf8');
  await writeFileAtomic(path, file.bom ? Buffer.concat([BOM, body]) : body);
}

/** Splits into lines without their terminators (a trailing newline adds no extra line). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based line numbers of ascending offsets, in one pass over the text. */
export function linesAt(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let nl = text.indexOf('\n');
  for (const offset of offsets) {
    while (nl !== -1 && nl < offset) {
      line++;
      nl = text.indexOf('\n', nl + 1);
    }
    out.push(line);
  }
  return out;
}

const MAX_LINE = 2000;

/** cat -n style numbering, long lines cut with a marker. */
export function numbered(lines: readonly string[], firstLine: number): string {
  return lines
    .map((line, i) => {
      const shown =
        line.length > MAX_LINE
          ? `${line.slice(0, MAX_LINE)}… [line cut, ${line.length} chars]`
          : line;
      return `${String(firstLine + i).padStart(6)}\t${shown}`;
    })
    .join('\n');
}
