import { describe, expect, it } from 'vitest';
import { contextWindow, costOf, modelFamily, priceOf } from '../../src/core/llm/pricing.js';
import { backoffDelay, retryAfterMs } from '../../src/core/llm/retry.js';

const usage = (input: number, output = 0, cacheWrite = 0, cacheRead = 0) => ({
  input,
  output,
  cacheWrite,
  cacheRead,
});

describe('pricing', () => {
  it('prices every token kind per million', () => {
    // Sonnet 5: $2 in, $10 out, $2.50 5m cache write, $0.20 cache read.
    expect(
      costOf('claude-sonnet-5', usage(1_000_000, 1_000_000, 1_000_000, 1_000_000)),
    ).toBeCloseTo(14.7, 10);
    expect(costOf('claude-opus-4-5', usage(2_000_000))).toBeCloseTo(10, 10);
  });

  it('matches dated and prefixed ids to their family', () => {
    expect(modelFamily('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(modelFamily('anthropic/claude-opus-5[1m]')).toBe('claude-opus-5');
    expect(costOf('claude-haiku-4-5-20251001', usage(1_000_000))).toBeCloseTo(1, 10);
    expect(costOf('anthropic/claude-opus-5-5', usage(0, 1_000_000))).toBeCloseTo(20, 10);
  });

  it('returns null, never zero, for an unknown model', () => {
    expect(costOf('llama3.3:70b', usage(1000, 1000))).toBeNull();
    expect(costOf('claude-fable-5-2', usage(1000))).toBeNull();
  });

  it('lets config override or add prices, with standard cache multipliers by default', () => {
    const overrides = {
      'llama3.3:70b': { input: 1, output: 2 },
      'claude-sonnet-5-5': { input: 10, output: 10, cache_read: 0 },
    };
    expect(
      costOf('llama3.3:70b', usage(1_000_000, 1_000_000, 1_000_000, 1_000_000), overrides),
    ).toBeCloseTo(1 + 2 + 1.25 + 0.1, 10);
    expect(costOf('claude-sonnet-5-5-20261001', usage(0, 0, 0, 5_000_000), overrides)).toBe(0);
    expect(priceOf('claude-sonnet-5-5', overrides)?.input).toBe(10);
  });

  it('bills a long Haiku 5.5 prompt at the higher tier for the whole request', () => {
    expect(costOf('claude-haiku-5-5', usage(100_000, 1_000_000))).toBeCloseTo(0.01 + 0.5, 10);
    expect(costOf('claude-haiku-5-5', usage(100_001, 1_000_000))).toBeCloseTo(
      100_001 * 0.5e-6 + 2.5,
      10,
    );
  });

  it('knows context windows, 200k by default', () => {
    expect(contextWindow('claude-sonnet-5-5')).toBe(1_000_000);
    expect(contextWindow('claude-haiku-4-5-20251001')).toBe(200_000);
    expect(contextWindow('qwen3-coder')).toBe(200_000);
  });
});

describe('retry timing', () => {
  it('reads retry-after-ms, retry-after seconds and dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(
      5000,
    );
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('backs off exponentially with jitter and caps every wait', () => {
    const opts = { maxWaitMs: 3000, random: () => 0 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, undefined, opts))).toEqual([
      500, 1000, 2000, 3000,
    ]);
    expect(backoffDelay(1, undefined, { maxWaitMs: 3000, random: () => 1 })).toBe(375);
    expect(backoffDelay(1, 120_000, opts)).toBe(3000);
    expect(backoffDelay(1, 40, opts)).toBe(40);
  });
});
