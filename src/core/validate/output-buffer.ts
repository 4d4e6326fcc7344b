/**
 * Captures a child's output with bounded memory: the first `headLimit` characters and
 * the last `tailLimit` characters are kept, whatever the process prints in between.
 * Test runners print their summary at the end and the command banner at the start, so
 * head + tail keeps what the parsers need while a runaway process cannot exhaust memory.
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headLimit = 64 * 1024,
    private readonly tailLimit = 256 * 1024,
  ) {}

  push(chunk: string): void {
    if (this.head.length < this.headLimit) {
      const room = this.headLimit - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
      if (!chunk) return;
    }
    this.tail += chunk;
    // Trim lazily (at twice the limit) so large outputs are not re-copied on every chunk.
    if (this.tail.length > this.tailLimit * 2) this.trimTail();
  }

  private trimTail(): void {
    if (this.tail.length <= this.tailLimit) return;
    const cut = this.tail.length - this.tailLimit;
    this.dropped += cut;
    this.tail = this.tail.slice(cut);
  }

  /** Characters thrown away between head and tail. */
  get droppedChars(): number {
    this.trimTail();
    return this.dropped;
  }

  toString(): string {
    this.trimTail();
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n… [${this.dropped} characters of output omitted] …\n${this.tail}`;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Lines longer than this are cut: no summary is that long, and parsers stay linear. */
export const MAX_LINE_LENGTH = 2000;

/**
 * Removes ANSI colour and cursor sequences, normalizes line endings and cuts very long
 * lines (minified bundles, progress bars redrawn with \r) to MAX_LINE_LENGTH.
 */
export function cleanOutput(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n')
    .replace(
      new RegExp(`[^\\n]{${MAX_LINE_LENGTH + 1},}`, 'g'),
      (line) => `${line.slice(0, MAX_LINE_LENGTH)} …[line cut]`,
    );
}

/** The last `limit` characters of `text`, cut at a line start, with a marker if clipped. */
export function tailOf(text: string, limit: number): string {
  const trimmed = text.trimEnd();
  if (trimmed.length <= limit) return trimmed;
  let cut = trimmed.slice(trimmed.length - limit);
  const nl = cut.indexOf('\n');
  if (nl >= 0 && nl < cut.length - 1) cut = cut.slice(nl + 1);
  return `…\n${cut}`;
}

/** The first `limit` characters of `text`, cut at a line end, with a marker if clipped. */
export function headOf(text: string, limit: number): string {
  const trimmed = text.trimEnd();
  if (trimmed.length <= limit) return trimmed;
  let cut = trimmed.slice(0, limit);
  const nl = cut.lastIndexOf('\n');
  if (nl > 0) cut = cut.slice(0, nl);
  return `${cut}\n…`;
}
