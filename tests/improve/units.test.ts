import { describe, expect, it } from 'vitest';
import { EventChannel } from '../../src/core/run/channel.js';
import { formatDuration, parseDuration } from '../../src/core/run/duration.js';
import { planSpecs, nextSpec, blockDependents } from '../../src/core/run/interpreter/plan.js';
import { RunStopper } from '../../src/core/run/stop.js';
import { reachedLimit } from '../../src/core/run/interpreter/limits.js';
import type { Spec } from '../../src/core/specs/model.js';
import type { RunState } from '../../src/core/run/store/state.js';

function spec(id: string, extra: Partial<Spec> = {}): Spec {
  return {
    id,
    title: `Title ${id}`,
    file: `specs/${id}.md`,
    status: 'ready',
    priority: 'medium',
    dependsOn: [],
    files: [],
    checks: [],
    criteria: [],
    sections: {},
    body: '',
    ...extra,
  };
}

function stateWith(plan: ReturnType<typeof planSpecs>): RunState {
  return {
    specOrder: plan.order,
    specs: plan.specs,
    iterations: [],
    limits: { maxIterations: 10 },
    totals: {
      usage: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
      cost: 0,
      iterations: 0,
      commits: 0,
      elapsedMs: 0,
    },
  } as unknown as RunState;
}

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['2d', 172800],
    ['45', 45],
    ['1.5h', 5400],
    ['1min', 60],
  ])('%s → %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'soon', '10x', '-5m', '0', 'm30', '1h-2m'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('formats durations compactly', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(90)).toBe('1m30s');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(12.4)).toBe('12s');
  });
});

describe('EventChannel', () => {
  it('gives every reader the whole stream, also one that subscribes after events were pushed', async () => {
    const channel = new EventChannel<number>();
    channel.push(1);
    const early = (async () => {
      const seen: number[] = [];
      for await (const n of channel) seen.push(n);
      return seen;
    })();
    channel.push(2);
    const late = (async () => {
      const seen: number[] = [];
      for await (const n of channel) seen.push(n);
      return seen;
    })();
    for (let i = 3; i <= 600; i++) channel.push(i);
    channel.close();
    channel.push(601);
    const expected = Array.from({ length: 600 }, (_, i) => i + 1);
    expect(await early).toEqual(expected);
    expect(await late).toEqual(expected);
  });

  it('lets a reader stop early without holding the others back', async () => {
    const channel = new EventChannel<number>();
    for (let i = 0; i < 10; i++) channel.push(i);
    channel.close();
    for await (const n of channel) if (n === 3) break;
    const all: number[] = [];
    for await (const n of channel) all.push(n);
    expect(all).toHaveLength(10);
  });
});

describe('planSpecs / nextSpec / blockDependents', () => {
  it('selects ready specs in dependency order and blocks those whose dependency is left out', () => {
    const specs = [
      spec('b', { dependsOn: ['a'] }),
      spec('a'),
      spec('held', { status: 'blocked' }),
      spec('needs-held', { dependsOn: ['held'] }),
      spec('old', { status: 'done' }),
      spec('after-old', { dependsOn: ['old'] }),
    ];
    const plan = planSpecs(specs);
    expect(plan.order).toEqual(['a', 'b', 'needs-held', 'after-old']);
    expect(plan.specs['needs-held']?.status).toBe('blocked');
    expect(plan.specs['needs-held']?.failure).toContain('held (blocked)');
    // A draft is runnable: the predecessor wrote every spec as a draft.
    expect(planSpecs([spec('d', { status: 'draft' })]).order).toEqual(['d']);
    expect(plan.specs['after-old']?.status).toBe('pending');

    const state = stateWith(plan);
    expect(nextSpec(state, specs)?.id).toBe('a');
    state.specs.a = { ...state.specs.a!, status: 'failed' };
    expect(blockDependents(state, specs, 'a')).toEqual(['b']);
    expect(nextSpec(state, specs)?.id).toBe('after-old');
  });

  it('with --spec ids runs exactly those, even a draft, and notes one that is already done', () => {
    const specs = [spec('x', { status: 'draft' }), spec('y', { status: 'done' }), spec('z')];
    const plan = planSpecs(specs, ['x', 'y']);
    expect(plan.order).toEqual(['x']);
    expect(plan.notes.join('\n')).toContain('spec y is already done');
  });

  it('continues the spec that was in progress before any other', () => {
    const specs = [spec('a'), spec('b')];
    const state = stateWith(planSpecs(specs));
    state.specs.b = { ...state.specs.b!, status: 'in-progress' };
    expect(nextSpec(state, specs)?.id).toBe('b');
  });
});

describe('limits', () => {
  it('names the limit reached', () => {
    const state = stateWith(planSpecs([]));
    state.limits = { maxIterations: 2, usd: 1, tokens: 100, time: 60 };
    expect(reachedLimit(state, 0)).toBeUndefined();
    state.totals = { ...state.totals, cost: 1.5 };
    expect(reachedLimit(state, 0)).toMatch(/cost limit \(\$1\.00; spent \$1\.50\)/);
    state.totals = {
      ...state.totals,
      cost: null,
      usage: { input: 100, output: 0, cacheWrite: 0, cacheRead: 0 },
    };
    expect(reachedLimit(state, 0)).toMatch(/token limit/);
    state.totals = { ...state.totals, usage: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 } };
    expect(reachedLimit(state, 61_000)).toMatch(/time limit \(1m\)/);
    state.totals = { ...state.totals, iterations: 2 };
    expect(reachedLimit(state, 0)).toMatch(/iteration limit \(2\)/);
  });
});

describe('RunStopper', () => {
  it('a graceful stop fires step signals but not the hard abort signal; abort fires both', () => {
    const stopper = new RunStopper();
    const step = stopper.stepSignal();
    stopper.requestStop();
    expect(step.signal.aborted).toBe(true);
    expect(stopper.signal.aborted).toBe(false);
    expect(stopper.stopping).toBe(true);
    expect(stopper.stepSignal().signal.aborted).toBe(true);
    stopper.abort();
    expect(stopper.signal.aborted).toBe(true);
    step.dispose();
  });
});
