import type { ModelPricing } from '../config/schema.js';
import type { Cost, Usage } from './usage.js';

/**
 * Prices in USD per million tokens, per model family. `cache_write` is the 5-minute
 * cache-write rate (mmm only uses 5-minute breakpoints).
 *
 * Sources (checked 2026-11-22):
 * - https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing" table):
 *   Fable/Mythos 5.1, Fable/Mythos 5, Opus 5, Opus 4.8–4.5, Opus 4.1/4.
 * - https://platform.claude.com/docs/en/models/opus-5-5/overview: Opus 5.5 $4 / $20,
 *   5m write $5, cache read $0.20.
 * - https://platform.claude.com/docs/en/models/sonnet-5-5/overview and sonnet-5/overview:
 *   $2 / $10, 5m write $2.50, read $0.20. Sonnet 5.5 cache reads were cut to $0.10 on
 *   2026-10-07 (release notes of claudit v1.9.2 and PromptFuel v1.0.23, both audited
 *   against the live pricing page).
 * - Haiku 5.5 is priced by prompt length (same release notes; the models overview says
 *   "From $0.10 / $0.50"): up to 100k prompt tokens $0.10 / $0.50, write $0.125, read
 *   $0.01; above, every token of that request at $0.50 / $2.50, write $0.625, read $0.05.
 * - Haiku 4.5 $1 / $5 and Sonnet 4.6 / 4.5 $3 / $15 (models overview comparison tables),
 *   with the standard cache multipliers (write 1.25×, read 0.1× input).
 * Models without a price we could verify (Fable 5.2, Mythos 5.2, Mythos preview) are left
 * out: their cost is reported as unknown. Users add or correct prices with `[pricing]`.
 */
interface PriceCard {
  input: number;
  output: number;
  cache_write: number;
  cache_read: number;
}

interface ModelPrice extends PriceCard {
  /** A second card used for the whole request when its prompt exceeds `threshold` tokens. */
  longPrompt?: { threshold: number } & PriceCard;
}

const card = (input: number, output: number, cacheWrite: number, cacheRead: number) => ({
  input,
  output,
  cache_write: cacheWrite,
  cache_read: cacheRead,
});

const FABLE_5_1 = card(10, 50, 12.5, 0.25);
const FABLE_5 = card(10, 50, 12.5, 1);
const OPUS_5 = card(5, 25, 6.25, 0.5);
const OPUS_4_1 = card(15, 75, 18.75, 1.5);
const SONNET_5 = card(2, 10, 2.5, 0.2);
const SONNET_4 = card(3, 15, 3.75, 0.3);

export const BUILTIN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': FABLE_5_1,
  'claude-mythos-5-1': FABLE_5_1,
  'claude-fable-5': FABLE_5,
  'claude-mythos-5': FABLE_5,
  'claude-opus-5-5': card(4, 20, 5, 0.2),
  'claude-opus-5': OPUS_5,
  'claude-opus-4-8': OPUS_5,
  'claude-opus-4-7': OPUS_5,
  'claude-opus-4-6': OPUS_5,
  'claude-opus-4-5': OPUS_5,
  'claude-opus-4-1': OPUS_4_1,
  'claude-opus-4': OPUS_4_1,
  'claude-sonnet-5-5': card(2, 10, 2.5, 0.1),
  'claude-sonnet-5': SONNET_5,
  'claude-sonnet-4-6': SONNET_4,
  'claude-sonnet-4-5': SONNET_4,
  'claude-haiku-5-5': {
    ...card(0.1, 0.5, 0.125, 0.01),
    longPrompt: { threshold: 100_000, ...card(0.5, 2.5, 0.625, 0.05) },
  },
  'claude-haiku-4-5': card(1, 5, 1.25, 0.1),
};

/** Context windows in tokens; anything not listed gets DEFAULT_CONTEXT_WINDOW. */
const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  'claude-fable-5-2': 1_000_000,
  'claude-mythos-5-2': 1_000_000,
  'claude-fable-5-1': 1_000_000,
  'claude-mythos-5-1': 1_000_000,
  'claude-fable-5': 1_000_000,
  'claude-mythos-5': 1_000_000,
  'claude-opus-5-5': 1_000_000,
  'claude-opus-5': 1_000_000,
  'claude-sonnet-5-5': 1_000_000,
  'claude-sonnet-5': 1_000_000,
  'claude-haiku-5-5': 1_000_000,
};

export const DEFAULT_CONTEXT_WINDOW = 200_000;

/**
 * The family id of a model id: `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`,
 * `anthropic/claude-opus-5[1m]` → `claude-opus-5`, `claude-3-5-haiku-latest` unchanged
 * apart from `-latest`.
 */
export function modelFamily(model: string): string {
  let id = model.trim().toLowerCase();
  const slash = id.lastIndexOf('/');
  if (slash >= 0) id = id.slice(slash + 1);
  id = id.replace(/\[[^\]]*\]$/, '');
  id = id.replace(/@.*$/, '');
  id = id.replace(/-(\d{8}|latest)$/, '');
  id = id.replace(/-v\d+(:\d+)?$/, '');
  return id;
}

function lookup<T>(table: Readonly<Record<string, T>>, model: string): T | undefined {
  return table[model] ?? table[modelFamily(model)];
}

export function contextWindow(model: string): number {
  return lookup(CONTEXT_WINDOWS, model) ?? DEFAULT_CONTEXT_WINDOW;
}

/** The price card that applies to `model`, or undefined when unknown. */
export function priceOf(
  model: string,
  overrides: Readonly<Record<string, ModelPricing>> = {},
): ModelPrice | undefined {
  const custom = lookup(overrides, model);
  if (custom) {
    return {
      input: custom.input,
      output: custom.output,
      cache_write: custom.cache_write ?? custom.input * 1.25,
      cache_read: custom.cache_read ?? custom.input * 0.1,
    };
  }
  return lookup(BUILTIN_PRICES, model);
}

/** USD cost of `usage` on `model`; null when the model's price is unknown. */
export function costOf(
  model: string,
  usage: Usage,
  overrides: Readonly<Record<string, ModelPricing>> = {},
): Cost {
  const price = priceOf(model, overrides);
  if (!price) return null;
  const prompt = usage.input + usage.cacheWrite + usage.cacheRead;
  const c: PriceCard =
    price.longPrompt && prompt > price.longPrompt.threshold ? price.longPrompt : price;
  return (
    (usage.input * c.input +
      usage.output * c.output +
      usage.cacheWrite * c.cache_write +
      usage.cacheRead * c.cache_read) /
    1_000_000
  );
}
