import { describe, expect, it } from 'vitest';
import { RunStopper } from '../../src/core/run/stop.js';

describe('RunStopper', () => {
  it('a graceful stop cancels requests (requestSignal) but not tools (signal)', () => {
    const stopper = new RunStopper();
    expect(stopper.requestSignal.aborted).toBe(false);
    stopper.requestStop();
    expect(stopper.stopping).toBe(true);
    expect(stopper.requestSignal.aborted).toBe(true);
    expect(stopper.signal.aborted).toBe(false);
  });

  it('a hard abort fires both', () => {
    const stopper = new RunStopper();
    stopper.abort();
    expect(stopper.requestSignal.aborted).toBe(true);
    expect(stopper.signal.aborted).toBe(true);
  });
});
