/**
 * Bounded capture of a command's output: the first and last `limit / 2` characters
 * are kept, everything in between is only counted. Memory stays O(limit) however much
 * the command prints, and bytes past the head are never decoded (a gigabyte of output
 * costs a pipe read, not a string conversion).
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  /** Raw byte budgets: a UTF-8 character is at most 4 bytes. */
  private readonly headBytes: number;
  private readonly tailBytes: number;
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private total = 0;

  constructor(limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = Math.floor(limit / 2);
    this.headBytes = this.headLimit * 4;
    this.tailBytes = this.tailLimit * 4;
  }

  write(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.total += buf.length;
    if (this.headSize < this.headBytes) {
      const take = Math.min(this.headBytes - this.headSize, buf.length);
      this.head.push(buf.subarray(0, take));
      this.headSize += take;
      buf = buf.subarray(take);
    }
    if (buf.length === 0) return;
    this.tail.push(buf);
    this.tailSize += buf.length;
    while (this.tail.length > 1 && this.tailSize - (this.tail[0]?.length ?? 0) >= this.tailBytes) {
      this.tailSize -= this.tail.shift()?.length ?? 0;
    }
  }

  /** Total bytes seen. */
  get bytes(): number {
    return this.total;
  }

  /** The kept text, with a marker saying how much was cut. */
  text(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    const limit = this.headLimit + this.tailLimit;
    let headText: string;
    let tailText: string;
    if (head.length + tail.length === this.total) {
      const whole = Buffer.concat([head, tail]).toString('utf8');
      if (whole.length <= limit) return whole;
      headText = whole.slice(0, this.headLimit);
      tailText = whole.slice(whole.length - this.tailLimit);
    } else {
      headText = head.toString('utf8').slice(0, this.headLimit);
      // Start the tail on a character boundary (skip UTF-8 continuation bytes).
      let start = 0;
      while (start < tail.length && start < 3 && ((tail[start] ?? 0) & 0xc0) === 0x80) start++;
      tail = tail.subarray(start);
      const decoded = tail.toString('utf8');
      tailText = decoded.slice(Math.max(0, decoded.length - this.tailLimit));
    }
    const omitted = this.total - Buffer.byteLength(headText) - Buffer.byteLength(tailText);
    const n = (x: number): string => x.toLocaleString('en-US');
    return `${headText}\n\n[... ${n(omitted)} bytes of output cut (total ${n(this.total)} bytes); the first and last ${n(this.headLimit)} characters are kept. Redirect the output to a file and use grep/head/tail to see specific parts ...]\n\n${tailText}`;
  }
}
