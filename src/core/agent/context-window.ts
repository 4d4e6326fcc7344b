import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../llm/usage.js';
import { compactToolResults, estimateTokens, KEEP_RECENT_RESULTS } from './compaction.js';
import type { AgentEvent } from './events.js';

/** Compaction goes down to this share of the threshold, so that it happens rarely. */
export const LOW_WATER_SHARE = 0.5;

/** A window learned from a response's usage is believed only above this size. */
const MIN_LEARNED_WINDOW = 1024;

type CompactionEvent = Extract<AgentEvent, { type: 'compaction' }>;

/**
 * What the agent knows of the conversation's size against the model's context window.
 * The size of the next prompt is estimated before it is sent: the last response's
 * usage (its prompt plus its output, exact) plus the characters added since, at 4 per
 * token. Past `threshold` of the window, old tool output is compacted in one large step
 * down to the low-water mark (half the threshold): compaction rewrites the conversation
 * from the first changed message on, which the prompt cache must write again, so it
 * should happen seldom. The stable prefix (tools, system, the task) is never touched.
 */
export class ContextWindow {
  /** Tokens known from the last response (prompt + output), or from a refusal. */
  private known = 0;
  /** Characters added since `known` was measured. */
  private pendingChars: number;

  constructor(
    private window: number,
    private readonly threshold: number,
    initialChars: number,
  ) {
    this.pendingChars = initialChars;
  }

  get size(): number {
    return this.window;
  }

  /** Estimated tokens of the next request's prompt. */
  estimate(): number {
    return this.known + estimateTokens(this.pendingChars);
  }

  /** A message the agent adds (tool results, a continuation prompt). */
  added(message: MessageParam): void {
    this.pendingChars +=
      typeof message.content === 'string'
        ? message.content.length
        : JSON.stringify(message.content).length;
  }

  /** The response to the last request came back with this usage. */
  measured(usage: Usage): void {
    this.known = usage.input + usage.cacheRead + usage.cacheWrite + usage.output;
    this.pendingChars = 0;
  }

  private lowWater(): number {
    return Math.floor(this.threshold * LOW_WATER_SHARE * this.window);
  }

  /** Before a request: compacts when the estimate passes the threshold. */
  compactIfNeeded(
    messages: MessageParam[],
    summaries: ReadonlyMap<string, string>,
    turn: number,
  ): CompactionEvent | undefined {
    if (this.estimate() <= this.threshold * this.window) return undefined;
    return this.compact(messages, summaries, turn, KEEP_RECENT_RESULTS);
  }

  /**
   * The server refused the prompt as too long: believe its maximum (and its count of
   * the prompt), then compact harder (all but the latest result may go).
   */
  refused(
    messages: MessageParam[],
    summaries: ReadonlyMap<string, string>,
    turn: number,
    server: { maximum?: number; tokens?: number },
  ): CompactionEvent | undefined {
    if (server.maximum !== undefined && server.maximum < this.window) this.window = server.maximum;
    if (server.tokens !== undefined) {
      this.known = server.tokens;
      this.pendingChars = 0;
    }
    return this.compact(messages, summaries, turn, 1, true);
  }

  /**
   * A response ended with `model_context_window_exceeded`: its prompt plus output is
   * the window in practice (when it is not implausibly small).
   */
  exceeded(
    messages: MessageParam[],
    summaries: ReadonlyMap<string, string>,
    turn: number,
  ): CompactionEvent | undefined {
    const reached = this.known;
    if (reached >= MIN_LEARNED_WINDOW && reached < this.window) this.window = reached;
    return this.compact(messages, summaries, turn, 1, true);
  }

  private compact(
    messages: MessageParam[],
    summaries: ReadonlyMap<string, string>,
    turn: number,
    keep: number,
    atLeastOne = false,
  ): CompactionEvent | undefined {
    const beforeTokens = this.estimate();
    const excessTokens = beforeTokens - this.lowWater();
    const targetChars = Math.max(atLeastOne ? 1 : 0, excessTokens * 4);
    if (targetChars <= 0) return undefined;
    const { compacted, removedChars } = compactToolResults(messages, summaries, keep, targetChars);
    if (compacted === 0) return undefined;
    const afterTokens = Math.max(0, beforeTokens - estimateTokens(removedChars));
    this.known = afterTokens;
    this.pendingChars = 0;
    return { type: 'compaction', turn, beforeTokens, afterTokens, compacted };
  }
}
