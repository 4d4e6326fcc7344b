import { describe, expect, it } from 'vitest';
import {
  appendFileSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { InputError } from '../../src/core/errors.js';
import {
  loadState,
  readStateHeader,
  resetStateCache,
  saveState,
} from '../../src/core/run/store/state.js';
import { makeIteration, makeState } from './state-fixtures.js';

function logFile(dir: string): string {
  const files = readdirSync(dir).filter((f) => /^iterations-\d+\.jsonl$/.test(f));
  expect(files).toHaveLength(1);
  return join(dir, files[0] as string);
}

describe('saveState / loadState', () => {
  it('round-trips a state with iterations', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState(
      { current: { specId: 's2', attempt: 1, step: 'agent', checkpoint: 'c'.repeat(40) } },
      12,
    );
    await saveState(path, state);
    resetStateCache();
    expect(await loadState(path)).toEqual(state);
    const header = await readStateHeader(path);
    expect(header.iterationCount).toBe(12);
    expect(header.runId).toBe(state.runId);
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('iterations');
  });

  it('appends only the iterations that changed, so state.json does not grow', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 50);
    await saveState(path, state);
    const log = logFile(dir);
    const stateSize = statSync(path).size;
    const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    expect(lines()).toBe(50);

    state.current = { specId: 's1', attempt: 2, step: 'validate', checkpoint: 'd'.repeat(40) };
    await saveState(path, state);
    expect(lines()).toBe(50);

    state.iterations.push(makeIteration(50));
    await saveState(path, state);
    expect(lines()).toBe(51);

    const it7 = state.iterations[7];
    if (!it7) throw new Error('fixture');
    it7.usage.output += 5; // nested mutation is seen
    await saveState(path, state);
    it7.summary = 'rewritten';
    await saveState(path, state);
    expect(lines()).toBe(53);
    expect(statSync(path).size).toBeLessThan(stateSize + 200);

    resetStateCache();
    const loaded = await loadState(path);
    expect(loaded.iterations).toHaveLength(51);
    expect(loaded.iterations[7]?.summary).toBe('rewritten');
    expect(loaded.iterations[7]?.usage.output).toBe(205);
    expect(loaded).toEqual(state);
  });

  it('rewrites the log as a new generation when superseded records pile up', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 3);
    await saveState(path, state);
    for (let i = 0; i < 80; i++) {
      (state.iterations[2] as { summary?: string }).summary = `step ${i}`;
      await saveState(path, state);
    }
    const log = logFile(dir);
    expect(log).not.toMatch(/iterations-0\.jsonl$/);
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(75);
    resetStateCache();
    expect(await loadState(path)).toEqual(state);
  });

  it('ignores a torn tail of the log and cuts it off at the next save', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 4);
    await saveState(path, state);
    const log = logFile(dir);
    appendFileSync(
      log,
      '{"at":1,"iteration":{"index":1,"summary":"from a save that never finished"',
    );
    const loaded = await loadState(path); // as a resumed process would
    expect(loaded).toEqual(state);
    loaded.iterations.push(makeIteration(4));
    await saveState(path, loaded);
    resetStateCache();
    expect((await loadState(path)).iterations).toHaveLength(5);
    expect(readFileSync(log, 'utf8')).not.toContain('never finished');
  });

  it('writes the iteration log afresh when it was deleted under a running save sequence', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const state = makeState({}, 3);
    await saveState(path, state);
    rmSync(logFile(dir));
    state.iterations.push(makeIteration(3));
    await saveState(path, state);
    resetStateCache();
    expect(await loadState(path)).toEqual(state);
  });

  it('refuses to save a state that does not match the schema, writing nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const bad = makeState({ status: 'weird' as never });
    await expect(saveState(path, bad)).rejects.toThrow(/status/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loadState errors', () => {
  async function loadError(path: string): Promise<InputError> {
    resetStateCache();
    const error = await loadState(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('reports corrupt JSON naming the file and what to do, and leaves the file alone', async () => {
    const path = join(tempDir(), 'state.json');
    writeFileSync(path, '{"version": 1, "runId": ');
    const error = await loadError(path);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.hint).toMatch(/never overwrites it/);
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "runId": ');
  });

  it('reports a newer format version with an upgrade hint', async () => {
    const path = join(tempDir(), 'state.json');
    writeFileSync(path, JSON.stringify({ version: 7 }));
    const error = await loadError(path);
    expect(error.message).toMatch(/format version 7; this mmm reads version 1/);
    expect(error.hint).toMatch(/upgrade mmm/);
  });

  it('reports a missing version', async () => {
    const path = join(tempDir(), 'state.json');
    writeFileSync(path, JSON.stringify({ runId: 'x' }));
    expect((await loadError(path)).message).toMatch(/unknown format version undefined/);
  });

  it('lists every schema mismatch with its field', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    await saveState(path, makeState({}, 2));
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    raw.status = 'sleeping';
    delete raw.branch;
    writeFileSync(path, JSON.stringify(raw));
    const error = await loadError(path);
    expect(error.message).toMatch(/does not match the run state format/);
    expect(error.problems.join('\n')).toMatch(/state\.json: status: /);
    expect(error.problems.join('\n')).toMatch(/state\.json: branch: /);
  });

  it('reports a damaged iteration log', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    await saveState(path, makeState({}, 3));
    const log = logFile(dir);
    writeFileSync(log, readFileSync(log, 'utf8').replace('"attempt":', '"attempt":"x",'));
    const error = await loadError(path);
    expect(error.message).toMatch(/iterations-0\.jsonl is unreadable/);
    writeFileSync(log, '');
    expect((await loadError(path)).message).toMatch(/0 bytes, state\.json records/);
  });

  it('reports a missing state file', async () => {
    const error = await loadError(join(tempDir(), 'state.json'));
    expect(error.message).toMatch(/no run state at/);
  });
});
