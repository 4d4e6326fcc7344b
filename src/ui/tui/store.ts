import type { RunEvent } from '../../core/run/events.js';
import { initialRunView, reduceRunView, type RunViewState } from '../run-view.js';

/**
 * Holds the reduced run view for the TUI and tells React about changes at most
 * once per `intervalMs` (trailing), however fast events arrive. `run_end` is
 * published at once. Used through `useSyncExternalStore`.
 */
export class RunViewStore {
  private state: RunViewState = initialRunView();
  private published: RunViewState = this.state;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  /** How many times subscribers were notified (for the benchmark). */
  publishes = 0;

  constructor(
    private readonly intervalMs = 100,
    private readonly clock: () => number = Date.now,
  ) {}

  dispatch(event: RunEvent): void {
    this.state = reduceRunView(this.state, event);
    if (event.type === 'run_end') {
      this.flush();
      return;
    }
    this.schedule();
  }

  /** Publish now (cancels a pending publish). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.published === this.state) return;
    this.published = this.state;
    this.lastPublish = this.clock();
    this.publishes++;
    for (const listener of this.listeners) listener();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastPublish + this.intervalMs - this.clock();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Stop any pending timer (the run ended or the UI is gone). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunViewState => this.published;

  /** The latest reduced state, published or not. */
  current(): RunViewState {
    return this.state;
  }
}
