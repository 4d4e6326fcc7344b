/**
 * How a run is asked to stop. `requestStop` (first Ctrl-C, SIGTERM) is graceful: the
 * agent finishes its current tool call, an in-flight model request and any retry
 * backoff are cancelled at once (`requestSignal`: the request is redone on resume), a
 * running validation is cancelled (it is redone on resume, the agent's work is kept),
 * the state is checkpointed and the run ends as interrupted. `abort` (second Ctrl-C) fires the AbortSignal that kills the running
 * request, tool or check at once; the state is still checkpointed consistently.
 */
export class RunStopper {
  private stopRequested = false;
  private readonly hard = new AbortController();
  private readonly soft = new AbortController();
  private readonly listeners = new Set<() => void>();

  requestStop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.soft.abort();
    for (const listener of [...this.listeners]) listener();
  }

  abort(): void {
    this.requestStop();
    if (!this.hard.signal.aborted) this.hard.abort();
  }

  /** Call `listener` when a stop is requested (at once if it already was). */
  onStop(listener: () => void): void {
    if (this.stopRequested) listener();
    else this.listeners.add(listener);
  }

  /** A stop (graceful or not) was asked for. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  get aborted(): boolean {
    return this.hard.signal.aborted;
  }

  /** Fires only on a hard abort: what the agent's requests and tools listen to. */
  get signal(): AbortSignal {
    return this.hard.signal;
  }

  /**
   * Fires on any stop, graceful or hard: what model requests and their retry waits
   * listen to, so the first Ctrl-C/SIGTERM does not wait out a slow or failing provider.
   */
  get requestSignal(): AbortSignal {
    return this.soft.signal;
  }

  /**
   * A signal that fires on any stop, graceful or hard: for steps that can be redone on
   * resume without losing work (validation, formatting). Call `dispose` when done.
   */
  stepSignal(): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const fire = (): void => {
      if (!controller.signal.aborted) controller.abort();
    };
    if (this.stopRequested) fire();
    this.listeners.add(fire);
    return {
      signal: controller.signal,
      dispose: () => {
        this.listeners.delete(fire);
      },
    };
  }
}
