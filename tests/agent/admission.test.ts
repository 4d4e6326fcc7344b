import { describe, expect, it } from 'vitest';
import { admitRequest, type AdmissionCheck } from '../../src/core/agent/admission.js';
import { costOf } from '../../src/core/llm/pricing.js';
import { emptyUsage, type Usage } from '../../src/core/llm/usage.js';
import { shareOfRun } from '../../src/core/run/parallel/ledger.js';
import type { RunState } from '../../src/core/run/store/state.js';

const price = (usage: Usage) => costOf('claude-sonnet-5', usage, {});

/** A run with a token cap; the ledger reads only its limits and totals. */
function run(tokens: number, spentTokens = 0): RunState {
  const state = {
    limits: { maxIterations: 10, tokens },
    totals: {
      usage: { ...emptyUsage(), input: spentTokens },
      cost: 0,
      iterations: 0,
      commits: 0,
      elapsedMs: 0,
    },
  } satisfies Pick<RunState, 'limits' | 'totals'>;
  return state as RunState;
}

const check = (over: Partial<AdmissionCheck> = {}): AdmissionCheck => ({
  budget: {},
  spent: { usage: emptyUsage(), cost: 0 },
  turns: 0,
  maxTurns: 10,
  stopping: () => false,
  inputTokens: 1000,
  maxTokens: 8000,
  price,
  ...over,
});

describe('admitRequest', () => {
  it('sends the request as asked when nothing stands in the way', async () => {
    expect(await admitRequest(check())).toEqual({ inputTokens: 1000, maxTokens: 8000 });
  });

  it('checks a stop first, then the turns, then the caps', async () => {
    const spent = { usage: { ...emptyUsage(), input: 500 }, cost: 1 };
    const all = { stopping: () => true, turns: 10, budget: { usd: 1, tokens: 100 }, spent };
    expect(await admitRequest(check(all))).toEqual({ stop: 'aborted' });
    expect(await admitRequest(check({ ...all, stopping: () => false }))).toEqual({
      stop: 'max_turns',
    });
    expect(await admitRequest(check({ ...all, stopping: () => false, turns: 3 }))).toEqual({
      stop: 'budget_tokens',
    });
  });

  it("counts the run's spending and the other lanes' holds against the shared cap", async () => {
    const state = run(20_000, 5000);
    const mine = shareOfRun(state);
    const other = shareOfRun(state);
    // 5000 spent by the run + 1000 prompt: 14,000 output tokens left, more than asked.
    expect(await admitRequest(check({ budget: { shared: mine } }))).toMatchObject({
      maxTokens: 8000,
    });
    mine.releaseAll();
    const release = other.hold({ usd: 0, tokens: 9000 });
    // 5000 + 9000 held + 1000 prompt: 5000 output tokens are left.
    expect(await admitRequest(check({ budget: { shared: mine } }))).toMatchObject({
      maxTokens: 5000,
    });
    release();
    mine.releaseAll();
  });

  it("waits for another lane's request to settle when only its hold keeps this one back", async () => {
    const state = run(20_000);
    const mine = shareOfRun(state);
    const other = shareOfRun(state);
    const release = other.hold({ usd: 0, tokens: 18_500 });
    const admission = admitRequest(check({ budget: { shared: mine } }));
    expect(await Promise.race([admission, Promise.resolve('waiting')])).toBe('waiting');
    // The other request settled having used less than its worst case.
    state.totals.usage.output = 3000;
    release();
    expect(await admission).toMatchObject({ inputTokens: 1000, maxTokens: 8000 });
    mine.releaseAll();
  });

  it('holds an admitted request at once: another lane is not admitted against the same headroom', async () => {
    // Room for one request's worst case (1000 prompt + 8000 output tokens), not two.
    const state = run(10_500);
    const first = await admitRequest(check({ budget: { shared: shareOfRun(state) } }));
    expect(first).toMatchObject({ inputTokens: 1000, maxTokens: 8000 });
    const second = admitRequest(check({ budget: { shared: shareOfRun(state) } }));
    expect(await Promise.race([second, Promise.resolve('waiting')])).toBe('waiting');
    // The first request settled: its usage is in the run's totals, its hold released.
    state.totals.usage = { ...state.totals.usage, input: 1000, output: 500 };
    if ('stop' in first) throw new Error(first.stop);
    first.release?.();
    expect(await second).toMatchObject({ inputTokens: 1000, maxTokens: 8000 });
  });

  it('does not wait when nobody else holds anything, or a stop was asked for', async () => {
    const state = run(5000, 4500);
    const mine = shareOfRun(state);
    expect(await admitRequest(check({ budget: { shared: mine } }))).toEqual({
      stop: 'budget_tokens',
    });
    const other = shareOfRun(state);
    state.totals.usage.input = 0;
    const release = other.hold({ usd: 0, tokens: 4500 });
    let asked = 0;
    // Polled once before the caps (no stop yet), then while deciding whether to wait.
    const stopping = () => ++asked > 1;
    expect(await admitRequest(check({ budget: { shared: mine }, stopping }))).toEqual({
      stop: 'budget_tokens',
    });
    release();
  });
});
