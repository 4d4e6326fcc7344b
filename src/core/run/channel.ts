/**
 * The engine's event queue: the engine pushes, readers iterate with `for await`.
 * Events are buffered until every reader has seen them, so a reader that subscribes
 * after the run started still gets the stream from its first event, as long as it
 * subscribes before the first reader moves on (the CLI subscribes its renderer at once;
 * a test may add a second reader at the same time). Readers that stop early (`break`)
 * no longer hold events back.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  /** items[0] is the event number `offset`. */
  private items: T[] = [];
  private offset = 0;
  private closed = false;
  private readonly cursors = new Set<{ position: number }>();
  private waiters: (() => void)[] = [];

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Drop the events every reader has already seen. */
  private trim(): void {
    if (this.cursors.size === 0) return;
    let min = Number.POSITIVE_INFINITY;
    for (const c of this.cursors) min = Math.min(min, c.position);
    const drop = min - this.offset;
    if (drop > 256) {
      this.items = this.items.slice(drop);
      this.offset = min;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const cursor = { position: this.offset };
    this.cursors.add(cursor);
    return {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          const index = cursor.position - this.offset;
          if (index < this.items.length) {
            cursor.position++;
            const value = this.items[index] as T;
            this.trim();
            return { value, done: false };
          }
          if (this.closed) {
            this.cursors.delete(cursor);
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
      },
      return: async (): Promise<IteratorResult<T>> => {
        this.cursors.delete(cursor);
        this.trim();
        return { value: undefined, done: true };
      },
    };
  }
}
