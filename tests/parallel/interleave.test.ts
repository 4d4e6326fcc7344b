import { describe, expect, it } from 'vitest';
import { interleave, type Tasks } from '../../src/core/run/parallel/interleave.js';

function later<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

async function* lane<R>(name: string, steps: number[], result: R): AsyncGenerator<string, R> {
  for (const ms of steps) yield await later(ms, `${name}@${ms}`);
  return result;
}

async function* broken(): AsyncGenerator<string, string> {
  await later(5, 0);
  if (Date.now() > 0) throw new Error('lane broke');
  yield 'never';
  return 'never';
}

async function drain<E, R>(tasks: Tasks<E, R>): Promise<{ events: E[]; ends: R[] }> {
  const events: E[] = [];
  const ends: R[] = [];
  while (tasks.size) {
    const gen = interleave(tasks);
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        ends.push(next.value);
        break;
      }
      events.push(next.value);
    }
  }
  return { events, ends };
}

describe('interleave: several generators driven at once', () => {
  it('passes on every value as it comes and returns each generator’s result when it ends', async () => {
    const tasks: Tasks<string, string> = new Map([
      ['slow', lane('slow', [60, 60], 'slow done')],
      ['fast', lane('fast', [5, 5, 5], 'fast done')],
    ]);
    const { events, ends } = await drain(tasks);
    expect(ends).toEqual(['fast done', 'slow done']);
    expect(events.filter((e) => e.startsWith('fast'))).toHaveLength(3);
    expect(events.filter((e) => e.startsWith('slow'))).toHaveLength(2);
    // The fast lane is not held back by the slow one.
    expect(events.indexOf('fast@5')).toBeLessThan(events.indexOf('slow@60'));
  });

  it('keeps a generator’s pending value across calls: nothing is lost or asked twice', async () => {
    let asked = 0;
    async function* counted() {
      for (let i = 0; i < 3; i++) {
        asked++;
        yield await later(10, i);
      }
      return -1;
    }
    const tasks: Tasks<number, number> = new Map([
      ['a', counted()],
      [
        'b',
        (async function* () {
          yield* [];
          return 7;
        })(),
      ],
    ]);
    const { events, ends } = await drain(tasks);
    expect(events).toEqual([0, 1, 2]);
    expect(ends).toEqual([7, -1]);
    expect(asked).toBe(3);
  });

  it('rethrows a generator’s error and leaves no task behind', async () => {
    const tasks: Tasks<string, string> = new Map([
      ['ok', lane('ok', [50, 50], 'ok')],
      ['bad', broken()],
    ]);
    await expect(drain(tasks)).rejects.toThrow('lane broke');
    expect(tasks.size).toBe(0);
  });
});
