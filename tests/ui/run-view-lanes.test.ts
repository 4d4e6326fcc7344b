import { describe, expect, it } from 'vitest';
import { initialRunView, reduceRunView } from '../../src/ui/run-view.js';
import { T0, ev, scenario } from './fixtures.js';
import {
  A,
  A_MERGING,
  B,
  BOTH_RUNNING,
  B_REATTEMPTED,
  branchOf,
  laneScenario,
} from './lanes-fixtures.js';

const events = laneScenario();
const reduce = (n: number) => events.slice(0, n).reduce(reduceRunView, initialRunView());
const lanesOf = (n: number) =>
  reduce(n).lanes.map((l) => ({
    specId: l.specId,
    attempt: `${l.attempt}/${l.maxAttempts}`,
    phase: l.phase,
    step: l.stepId,
    outcome: l.outcome,
  }));

describe('reduceRunView in a parallel run', () => {
  it('keeps one lane per active spec, with its attempt, step, start and last tool call', () => {
    const s = reduce(BOTH_RUNNING);
    expect(s.parallel).toBe(2);
    expect(s.laneMode).toBe(true);
    expect(s.current).toBeUndefined();
    expect(s.specs.map((x) => x.status)).toEqual(['in-progress', 'in-progress']);
    const [a, b] = s.lanes;
    expect(a).toMatchObject({
      specId: A,
      title: 'Add the x option',
      attempt: 1,
      maxAttempts: 3,
      phase: 'opened',
      branch: branchOf(A),
      stepId: 'implement',
      stepKind: 'agent',
      startedAt: T0 + 2000,
      toolCount: 1,
    });
    expect(a?.tools.at(-1)).toMatchObject({
      summary: 'view src/a.ts',
      status: 'ok',
      display: '40 lines',
    });
    expect(b).toMatchObject({ specId: B, attempt: 1, startedAt: T0 + 4000, stepId: 'implement' });
    expect(b?.tools.at(-1)).toMatchObject({ summary: 'npm test', status: 'running' });
    expect(a?.steps.map((x) => [x.id, x.status])).toEqual([
      ['implement', 'running'],
      ['check', 'pending'],
      ['commit', 'pending'],
    ]);
    expect(s.log.at(-1)).toMatchObject({ kind: 'warning', specId: B });
  });

  it('logs a lane attempt with its own duration and tools, and keeps the lane until it merges', () => {
    const s = reduce(BOTH_RUNNING + 3);
    expect(s.log.at(-1)).toMatchObject({
      kind: 'attempt',
      specId: A,
      title: 'Add the x option',
      attempt: 1,
      maxAttempts: 3,
      outcome: 'passed',
      durationMs: 11_000,
      toolCount: 1,
      validation: { passed: true },
    });
    expect(lanesOf(BOTH_RUNNING + 3)[0]).toMatchObject({
      specId: A,
      phase: 'opened',
      outcome: 'passed',
    });
    // Passed in its lane is not done: nothing is done before it is merged.
    expect(s.specs[0]?.status).toBe('in-progress');
  });

  it('follows the merge queue and the spec being merged', () => {
    const s = reduce(A_MERGING);
    expect(lanesOf(A_MERGING)).toEqual([
      { specId: A, attempt: '1/3', phase: 'merging', step: 'check', outcome: 'passed' },
      { specId: B, attempt: '1/3', phase: 'queued', step: 'implement', outcome: 'passed' },
    ]);
    expect(s.merging).toBe(A);
    expect(s.mergeQueue).toEqual([B]);
  });

  it('logs the merge, marks the spec done after it, and drops the lane on closed', () => {
    const merged = reduce(A_MERGING + 1);
    expect(merged.merging).toBeUndefined();
    expect(merged.lanes[0]).toMatchObject({
      specId: A,
      phase: 'merged',
      commit: 'cccc3333cccc3333',
    });
    expect(merged.log.at(-1)).toMatchObject({
      kind: 'lane',
      specId: A,
      phase: 'merged',
      commit: 'cccc3333cccc3333',
    });
    const done = reduce(A_MERGING + 2);
    expect(done.specs[0]).toMatchObject({ status: 'done', criteriaDone: 2 });
    expect(done.lanes.map((l) => l.specId)).toEqual([A, B]);
    const closed = reduce(A_MERGING + 3);
    expect(closed.lanes.map((l) => l.specId)).toEqual([B]);
  });

  it('shows a conflict, then the re-attempt in a new lane with the next attempt number', () => {
    const conflict = reduce(A_MERGING + 5);
    expect(conflict.lanes[0]).toMatchObject({
      specId: B,
      phase: 'conflict',
      reason: 'conflict in src/b.ts',
    });
    expect(conflict.merging).toBeUndefined();
    expect(conflict.log.at(-1)).toMatchObject({
      kind: 'lane',
      specId: B,
      phase: 'conflict',
      reason: 'conflict in src/b.ts',
    });
    expect(reduce(A_MERGING + 6).lanes).toEqual([]);
    const again = reduce(B_REATTEMPTED);
    expect(lanesOf(B_REATTEMPTED)).toEqual([
      { specId: B, attempt: '2/3', phase: 'opened', step: undefined, outcome: undefined },
    ]);
    expect(again.lanes[0]).toMatchObject({
      branch: branchOf(B),
      startedAt: T0 + 27_000,
      toolCount: 0,
    });
    expect(again.lanes[0]?.reason).toBeUndefined();
    expect(again.specs[1]?.status).toBe('in-progress');
  });

  it('ends with no lane, an empty queue and both specs done', () => {
    const s = reduce(events.length);
    expect(s.lanes).toEqual([]);
    expect(s.mergeQueue).toEqual([]);
    expect(s.specs.map((x) => x.status)).toEqual(['done', 'done']);
    expect(
      s.log
        .filter((x) => x.kind === 'lane')
        .map((x) => (x.kind === 'lane' ? `${x.specId} ${x.phase}` : '')),
    ).toEqual([`${A} merged`, `${B} conflict`, `${B} merged`]);
  });

  it('keeps the queue from queued and merging events that do not list it', () => {
    const start = events[0]!;
    const s = [
      start,
      ev(1, { type: 'lane', specId: A, phase: 'queued' }),
      ev(2, { type: 'lane', specId: B, phase: 'queued' }),
      ev(3, { type: 'lane', specId: A, phase: 'merging' }),
    ].reduce(reduceRunView, initialRunView());
    expect(s.mergeQueue).toEqual([B]);
    expect(s.merging).toBe(A);
    // A lane seen first in the middle of its way (after a resume) still gets its line.
    expect(s.lanes.map((l) => [l.specId, l.title, l.phase])).toEqual([
      [A, 'Add the x option', 'merging'],
      [B, 'Make y faster', 'queued'],
    ]);
  });

  it('drops the lane of a spec that failed', () => {
    const s = reduceRunView(
      reduce(BOTH_RUNNING),
      ev(12, { type: 'spec_status', specId: B, status: 'failed', reason: 'out of attempts' }),
    );
    expect(s.lanes.map((l) => l.specId)).toEqual([A]);
  });

  it('turns to lanes when a second spec starts while one runs, without `parallel`', () => {
    const serial = scenario();
    const start = serial[0]!;
    const s = [
      start,
      serial[1]!,
      ev(2, {
        type: 'attempt_start',
        specId: 'validate-input',
        title: 'Validate input',
        iteration: 2,
        attempt: 1,
        maxAttempts: 3,
      }),
      ev(3, { type: 'step', specId: 'add-slugify', attempt: 1, step: 'validate' }),
    ].reduce(reduceRunView, initialRunView());
    expect(s.laneMode).toBe(true);
    expect(s.current).toBeUndefined();
    expect(s.lanes.map((l) => [l.specId, l.attempt, l.step])).toEqual([
      ['add-slugify', 1, 'validate'],
      ['validate-input', 1, 'agent'],
    ]);
  });

  it('keeps a serial run without lanes', () => {
    const serial = scenario();
    for (let n = 1; n <= serial.length; n++) {
      const s = serial.slice(0, n).reduce(reduceRunView, initialRunView());
      expect(s.laneMode).toBe(false);
      expect(s.lanes).toEqual([]);
    }
  });
});
