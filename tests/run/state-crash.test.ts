import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.js';
import { loadState, resetStateCache } from '../../src/core/run/store/state.js';

const stateModule = fileURLToPath(new URL('../../dist/core/run/store/state.js', import.meta.url));

/**
 * A child that resumes the state (or starts one) and checkpoints in a loop, adding and
 * updating iterations, until it is killed with SIGKILL at a random moment.
 */
const CHILD = `
import { existsSync } from 'node:fs';
const { loadState, saveState } = await import(process.argv[2]);
const path = process.argv[3];
let state = existsSync(path) ? await loadState(path) : JSON.parse(process.argv[4]);
process.stdout.write('ready\\n');
for (let n = 0; ; n++) {
  const i = state.iterations.length;
  if (n % 3 === 0) {
    state.iterations.push({ index: i, specId: 's1', attempt: 1, startedAt: new Date().toISOString(),
      usage: { input: i, output: 0, cacheWrite: 0, cacheRead: 0 }, cost: null, checkpoint: 'c'.repeat(40),
      feedback: 'f'.repeat(2000 + (n % 500)) });
  } else if (i > 0) {
    const last = state.iterations[i - 1];
    last.summary = 'summary ' + n;
    last.usage = { ...last.usage, output: last.usage.output + 1 };
  }
  state.totals.iterations = state.iterations.length;
  state.totals.commits = state.iterations.reduce((a, it) => a + it.usage.output, 0);
  state.updatedAt = new Date().toISOString();
  await saveState(path, state);
}
`;

function runUntilKilled(script: string, args: string[], afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('state under kill -9', () => {
  it('always loads a consistent snapshot after the writer is killed at random moments', async () => {
    const { makeState } = await import('./state-fixtures.js');
    const dir = tempDir();
    const script = join(dir, 'writer.mjs');
    writeFileSync(script, CHILD);
    const path = join(dir, 'run', 'state.json');
    const initial = JSON.stringify(makeState({}, 0));
    let previous = 0;
    for (let trial = 0; trial < 8; trial++) {
      await runUntilKilled(
        script,
        [stateModule, path, initial],
        30 + Math.floor(Math.random() * 250),
      );
      if (!existsSync(path)) continue;
      resetStateCache();
      const state = await loadState(path);
      // totals were saved in the same snapshot as the iterations they describe
      expect(state.totals.iterations).toBe(state.iterations.length);
      expect(state.totals.commits).toBe(state.iterations.reduce((a, it) => a + it.usage.output, 0));
      state.iterations.forEach((it, i) => expect(it.index).toBe(i));
      expect(state.iterations.length).toBeGreaterThanOrEqual(previous);
      previous = state.iterations.length;
    }
    expect(previous).toBeGreaterThan(0);
  });
});
