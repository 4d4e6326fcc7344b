import { formatClock, formatCost, formatTokens } from '../format.js';
import type { Cost } from '../../core/llm/usage.js';
import type { Limits } from '../../core/run/events.js';

/** A gauge as text: "cost $0.42/$5.00 ███░░░░░" fitted to `width` (the bar shrinks or goes). */
export interface Gauge {
  label: string;
  value: string;
  /** 0..1 when there is a limit. */
  ratio?: number;
}

export function gaugeText(g: Gauge, width: number): string {
  const head = `${g.label} ${g.value}`;
  if (g.ratio === undefined) return head;
  const room = width - head.length - 1;
  if (room < 4) return head;
  const barWidth = Math.min(room, 12);
  const filled = Math.round(Math.min(1, Math.max(0, g.ratio)) * barWidth);
  return `${head} ${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
}

/** The cost, tokens and time gauges against their limits (unknown cost stays "unknown"). */
export function runGauges(input: {
  cost: Cost;
  tokens: number;
  elapsedMs: number;
  limits: Limits;
}): Gauge[] {
  const { cost, tokens, elapsedMs, limits } = input;
  const costGauge: Gauge =
    limits.usd !== undefined
      ? {
          label: 'cost',
          value: `${formatCost(cost)}/${formatCost(limits.usd)}`,
          ratio: cost === null ? undefined : cost / limits.usd,
        }
      : { label: 'cost', value: formatCost(cost) };
  const tokenGauge: Gauge =
    limits.tokens !== undefined
      ? {
          label: 'tokens',
          value: `${formatTokens(tokens)}/${formatTokens(limits.tokens)}`,
          ratio: tokens / limits.tokens,
        }
      : { label: 'tokens', value: formatTokens(tokens) };
  const timeGauge: Gauge =
    limits.time !== undefined
      ? {
          label: 'time',
          value: `${formatClock(elapsedMs)}/${formatClock(limits.time * 1000)}`,
          ratio: elapsedMs / (limits.time * 1000),
        }
      : { label: 'time', value: formatClock(elapsedMs) };
  return [costGauge, tokenGauge, timeGauge];
}

/** Is a gauge at or past 80% (shown in warning color)? */
export function gaugeHot(g: Gauge): boolean {
  return g.ratio !== undefined && g.ratio >= 0.8;
}
