/**
 * Timers that keep one try of a request from hanging: an idle timeout (no stream event
 * for `idleMs`, the server went silent without closing) and a total timeout (the whole
 * try, headers to `message_stop`). Either aborts `signal`, which the SDK request and its
 * stream listen to; `expired` then says which one fired, so the caller can retry it like
 * a dropped stream. The caller's own signal aborts it too, leaving `expired` undefined.
 */
export class RequestWatchdog {
  readonly signal: AbortSignal;
  expired: string | undefined;
  private readonly controller = new AbortController();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly totalTimer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => this.controller.abort();

  constructor(
    private readonly idleMs: number,
    totalMs: number,
    private readonly caller?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    if (caller?.aborted) this.controller.abort();
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.totalTimer = setTimeout(
      () => this.fire(`no complete response within ${seconds(totalMs)} (provider.timeout)`),
      totalMs,
    );
    this.touch();
  }

  /** Something arrived: the idle clock starts again. */
  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.fire(`stream idle for ${seconds(this.idleMs)} (provider.idle_timeout)`),
      this.idleMs,
    );
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    clearTimeout(this.totalTimer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private fire(reason: string): void {
    if (this.signal.aborted) return;
    this.expired = reason;
    this.controller.abort();
  }
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
