import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { loadState, resetStateCache, saveState } from '../../src/core/run/store/state.js';
import { makeIteration, makeState } from './state-fixtures.js';

/**
 * The lanes of a parallel run go on while a checkpoint is written: an iteration pushed
 * during a save belongs to the next save. state.json must never count an iteration the
 * log does not hold (a kill -9 before the next save would leave the run unreadable).
 */
describe('saveState while the state changes', () => {
  it('records only the iterations it wrote when one is added during the save', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 3);
    await saveState(path, state);
    // A save that appends, and an iteration added while it is being written.
    state.iterations[2] = { ...makeIteration(2), summary: 'changed' };
    const saving = saveState(path, state);
    // Once the save has started (it captures the state, then writes and syncs files).
    await new Promise(setImmediate);
    state.iterations.push(makeIteration(3));
    await saving;
    // The process dies here: a fresh load must read what that save wrote.
    resetStateCache();
    const loaded = await loadState(path);
    expect(loaded.iterations).toHaveLength(3);
    expect(loaded.iterations[2]?.summary).toBe('changed');
    // The next save brings the new iteration in.
    await saveState(path, state);
    resetStateCache();
    expect((await loadState(path)).iterations).toHaveLength(4);
  });

  it('the same when the save rewrites the log as a new generation', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 2);
    const saving = saveState(path, state);
    await new Promise(setImmediate);
    state.iterations.push(makeIteration(2));
    await saving;
    resetStateCache();
    expect((await loadState(path)).iterations).toHaveLength(2);
  });
});
