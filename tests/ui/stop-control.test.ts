import { describe, expect, it } from 'vitest';
import { StopControl, handleSignals } from '../../src/ui/stop-control.js';

function control() {
  const calls: string[] = [];
  const c = new StopControl({
    requestStop: () => calls.push('requestStop'),
    abort: () => calls.push('abort'),
  });
  return { c, calls };
}

describe('handleSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'the first %s asks for a graceful stop, the second aborts',
    (signal) => {
      const { c, calls } = control();
      const remove = handleSignals(c);
      try {
        process.emit(signal, signal);
        expect(calls).toEqual(['requestStop']);
        expect(c.state).toBe('stopping');
        process.emit(signal, signal);
        expect(calls).toEqual(['requestStop', 'abort']);
        process.emit(signal, signal);
        expect(calls).toEqual(['requestStop', 'abort']);
      } finally {
        remove();
      }
    },
  );

  it('a SIGTERM after a SIGINT aborts too, and handlers are removed', () => {
    const { c, calls } = control();
    const before = process.listenerCount('SIGTERM');
    const remove = handleSignals(c);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    remove();
    expect(calls).toEqual(['requestStop', 'abort']);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
