import type { RunHandle } from '../core/run/events.js';

export type StopState = 'running' | 'stopping' | 'aborting';

/**
 * The one place that turns "the user wants out" (q, Ctrl-C, SIGINT) into the
 * run's stop calls: the first press asks for a graceful stop, the second aborts.
 * Keys and signals share it, so a `q` then a SIGINT also aborts.
 */
export class StopControl {
  private stateValue: StopState = 'running';
  private readonly listeners = new Set<(s: StopState) => void>();

  constructor(private readonly handle: Pick<RunHandle, 'requestStop' | 'abort'>) {}

  get state(): StopState {
    return this.stateValue;
  }

  press(): StopState {
    if (this.stateValue === 'running') {
      this.set('stopping');
      this.handle.requestStop();
    } else if (this.stateValue === 'stopping') {
      this.set('aborting');
      this.handle.abort();
    }
    return this.stateValue;
  }

  onChange(listener: (s: StopState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(s: StopState): void {
    this.stateValue = s;
    for (const l of this.listeners) l(s);
  }
}

/**
 * Route SIGINT and SIGTERM to the control while a run is rendered: the first asks for
 * a graceful stop, the second aborts. Returns the function that removes the handlers.
 */
export function handleSignals(control: StopControl): () => void {
  const onSignal = (): void => {
    control.press();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
