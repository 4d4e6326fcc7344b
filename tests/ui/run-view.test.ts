import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/core/agent/events.js';
import { initialRunView, liveElapsed, liveUsage, reduceRunView } from '../../src/ui/run-view.js';
import { MID_ATTEMPT, T0, VALIDATION_FAILED, ev, scenario } from './fixtures.js';

const events = scenario();
const reduce = (n: number) => events.slice(0, n).reduce(reduceRunView, initialRunView());

describe('reduceRunView', () => {
  it('takes the header, specs and limits from run_start', () => {
    const s = reduce(1);
    expect(s.started).toBe(true);
    expect(s.runId).toBe('20261122-0147-ab12');
    expect(s.model).toBe('claude-sonnet-4-5');
    expect(s.specs.map((x) => x.status)).toEqual(['pending', 'pending']);
    expect(s.limits.usd).toBe(2);
    expect(s.startedAt).toBe(T0);
  });

  it('tracks the attempt: step, text built from deltas, tools with outcomes', () => {
    const s = reduce(6);
    expect(s.current?.text).toBe('I will read the source first.');
    expect(s.current?.textFinal).toBe(false);
    const m = reduce(MID_ATTEMPT);
    expect(m.specs[0]?.status).toBe('in-progress');
    expect(m.current).toMatchObject({
      specId: 'add-slugify',
      attempt: 1,
      step: 'agent',
      toolCount: 2,
      toolErrors: 1,
    });
    expect(m.current?.tools.map((t) => [t.name, t.status, t.display])).toEqual([
      ['str_replace_based_edit_tool', 'ok', '24 lines'],
      ['bash', 'error', 'exit 1: 1 failing test'],
    ]);
  });

  it('starts a new text when a new turn streams after a final text', () => {
    const s0 = reduce(7);
    const s1 = reduceRunView(
      s0,
      ev(7, {
        type: 'agent',
        specId: 'add-slugify',
        attempt: 1,
        event: { type: 'text_delta', turn: 2, text: 'Now' },
      }),
    );
    expect(s1.current?.text).toBe('Now');
  });

  it('drops the partial streamed text when the request is retried', () => {
    const s = reduce(6);
    expect(s.current?.textFinal).toBe(false);
    const agent = (event: AgentEvent) =>
      ev(7, { type: 'agent', specId: 'add-slugify', attempt: 1, event });
    const turn = s.current?.turn ?? 1;
    const retried = reduceRunView(
      s,
      agent({ type: 'retry', turn, retry: 1, delayMs: 500, reason: 'stream broken: terminated' }),
    );
    expect(retried.current?.text).toBe('');
    expect(retried.current?.notice).toMatch(/^retry 1 in 1s: stream broken/);
    const again = reduceRunView(retried, agent({ type: 'text_delta', turn, text: 'I will' }));
    expect(again.current?.text).toBe('I will');
  });

  it('adds agent usage since the last totals to the live gauges, and resets on totals', () => {
    const m = reduce(MID_ATTEMPT);
    expect(liveUsage(m).cost).toBe(0.01);
    expect(liveUsage(m).usage.input).toBe(1200);
    const t = reduce(17);
    expect(t.sinceTotals.cost).toBe(0);
    expect(liveUsage(t).cost).toBe(0.01);
    expect(liveElapsed(t, t.totalsAt + 5000)).toBe(16_000 + 5000);
  });

  it('keeps an unknown cost unknown', () => {
    const s = reduceRunView(
      reduce(MID_ATTEMPT),
      ev(MID_ATTEMPT, {
        type: 'agent',
        specId: 'add-slugify',
        attempt: 1,
        event: {
          type: 'usage',
          turn: 3,
          usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
          cost: null,
          total: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
          totalCost: null,
        },
      }),
    );
    expect(liveUsage(s).cost).toBeNull();
  });

  it('records validation and moves a finished attempt to the log', () => {
    const v = reduce(VALIDATION_FAILED + 1);
    expect(v.current?.validation?.passed).toBe(false);
    expect(v.current?.step).toBe('validate');
    const f = reduce(VALIDATION_FAILED + 2);
    expect(f.current).toBeUndefined();
    expect(f.log).toHaveLength(1);
    expect(f.log[0]).toMatchObject({
      kind: 'attempt',
      outcome: 'failed',
      toolCount: 2,
      durationMs: 14_000,
    });
  });

  it('ends with run_end: final specs and totals, no current attempt, append-only log', () => {
    const s = reduce(events.length);
    expect(s.end?.status).toBe('failed');
    expect(s.specs.map((x) => x.status)).toEqual(['done', 'blocked']);
    expect(s.log.map((x) => x.kind)).toEqual(['attempt', 'attempt', 'warning', 'spec']);
    expect(new Set(s.log.map((x) => x.key)).size).toBe(4);
    expect(liveElapsed(s, Date.now())).toBe(26_000);
  });

  it('is pure: does not modify the previous state', () => {
    const before = reduce(MID_ATTEMPT);
    const snapshot = JSON.stringify(before);
    reduceRunView(before, events[MID_ATTEMPT]!);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('ignores events for another attempt than the current one', () => {
    const s = reduce(MID_ATTEMPT);
    const next = reduceRunView(
      s,
      ev(30, { type: 'step', specId: 'other', attempt: 1, step: 'commit' }),
    );
    expect(next.current?.step).toBe('agent');
  });

  it('keeps the step list of the current item from run_start, step_start and step_end', () => {
    const [start, attempt] = events;
    if (start?.type !== 'run_start' || !attempt) throw new Error('fixture changed');
    const steps = [
      { id: 'implement', kind: 'agent' },
      { id: 'check', kind: 'validate' },
      { id: 'commit', kind: 'commit' },
    ];
    const base = { specId: 'add-slugify', attempt: 1 };
    const s = [
      { ...start, steps },
      attempt,
      ev(3, { type: 'step_start', ...base, id: 'implement', kind: 'agent' }),
      ev(4, {
        type: 'step_end',
        ...base,
        id: 'implement',
        kind: 'agent',
        outcome: 'ok',
        durationMs: 1,
      }),
      ev(5, { type: 'step_start', ...base, id: 'check', kind: 'validate' }),
    ].reduce(reduceRunView, initialRunView());
    expect(s.workflowSteps).toEqual(steps);
    expect(s.current?.steps.map((x) => [x.id, x.status])).toEqual([
      ['implement', 'ok'],
      ['check', 'running'],
      ['commit', 'pending'],
    ]);
  });
});
