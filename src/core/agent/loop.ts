import type {
  ContentBlockParam,
  Message,
  MessageParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages';
import type { Config } from '../config/schema.js';
import { logger } from '../log.js';
import type { ContextOverflowError } from '../llm/overflow.js';
import { costOf } from '../llm/pricing.js';
import type { LlmClient, LlmRequest } from '../llm/types.js';
import { addCost, addUsage, emptyUsage, type Usage } from '../llm/usage.js';
import type { AgentTool, ToolContext } from '../tools/types.js';
import {
  budgetReached,
  reserveRequest,
  sharedAsBudget,
  type AgentBudget,
  type Spent,
} from './budget.js';
import { ContextWindow } from './context-window.js';
import type { AgentEvent, AgentStopReason } from './events.js';
import { declareTools, systemBlocks, withLatestBreakpoint } from './request.js';
import { nextStep } from './stop-reason.js';
import { RepeatGuard, runToolCalls } from './tool-calls.js';
import { requestTurn, type RequestOutcome } from './turn.js';

export type { AgentBudget } from './budget.js';
export { TOOL_LOOP_REPEATS } from './tool-calls.js';

const log = logger('agent');

export interface RunAgentOptions {
  client: LlmClient;
  tools: AgentTool[];
  toolContext: ToolContext;
  system: string;
  task: string;
  config: Config;
  budget?: AgentBudget;
  /** Defaults to config.max_turns. */
  maxTurns?: number;
  signal?: AbortSignal;
  /**
   * Cancels the in-flight model request and its retry backoff (a graceful stop fires it
   * too: a request is redone on resume, so there is nothing to finish). Defaults to
   * `signal`.
   */
  requestSignal?: AbortSignal;
  /**
   * Graceful stop, polled after every tool call and before every request: once it
   * returns true, the current step finishes (a response being received still has its
   * first tool call run), no further call or request starts, and the attempt ends as
   * `aborted`.
   */
  stopAfterTool?: () => boolean;
}

export type AgentResult = Extract<AgentEvent, { type: 'attempt_end' }>;

/** A turn whose prompt the server refuses as too long is compacted and sent again this often. */
export const TOO_LONG_RECOVERIES = 2;

function toUsage(message: Message): Usage {
  const u = message.usage;
  return {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite: u.cache_creation_input_tokens ?? 0,
    cacheRead: u.cache_read_input_tokens ?? 0,
  };
}

function tooLong(error: ContextOverflowError, window: number, why: string): string {
  const size = error.maximum ?? window;
  return (
    `${error.message}; ${why} (set context.window to ${size} or less in .mmm/config.toml, ` +
    'or lower context.compact_threshold)'
  );
}

/** A learned window outlives the attempt: the next one starts below it, with no refusal. */
function rememberWindow(client: LlmClient, learned: number): void {
  if (learned < client.contextWindow) client.contextWindow = learned;
}

/**
 * One attempt: the model works on `task` with `tools` until it ends its turn or a
 * limit stops it. Yields every event; returns (and yields last) the attempt_end event.
 * Throws only AuthenticationFailedError (401/403): no later attempt can succeed either.
 *
 * Each turn: compact if the context is past its threshold, check the limits and reserve
 * the request's worst case against the caps, send it (compacting and resending when the
 * server says the prompt is too long), then act on the stop reason — run the tool calls,
 * continue, or end.
 */
export async function* runAgent(options: RunAgentOptions): AsyncGenerator<AgentEvent, AgentResult> {
  const { client, config, signal } = options;
  const budget = options.budget ?? {};
  const maxTurns = options.maxTurns ?? config.max_turns;
  const tools = declareTools(options.tools, client.toolSchema);
  const system = systemBlocks(options.system);
  const messages: MessageParam[] = [{ role: 'user', content: options.task }];
  const context = new ContextWindow(
    client.contextWindow,
    config.context.compact_threshold,
    JSON.stringify(tools).length + options.system.length + options.task.length,
  );
  const summaries = new Map<string, string>();
  const guard = new RepeatGuard();
  const price = (usage: Usage) => costOf(client.model, usage, config.pricing);
  const stopping = (): boolean => signal?.aborted === true || options.stopAfterTool?.() === true;
  const signals = { request: options.requestSignal ?? signal, attempt: signal };
  let spent: Spent = { usage: emptyUsage(), cost: 0 };
  let turn = 0;
  let summary = '';

  const end = (reason: AgentStopReason, error?: string): AgentResult => ({
    type: 'attempt_end',
    reason,
    summary,
    turns: turn,
    usage: spent.usage,
    cost: spent.cost,
    ...(error === undefined ? {} : { error }),
  });
  const add = (message: MessageParam): void => {
    messages.push(message);
    context.added(message);
  };

  /** Sends the turn's request; a "prompt is too long" refusal is compacted and resent. */
  async function* send(maxTokens: number): AsyncGenerator<AgentEvent, RequestOutcome> {
    for (let recovered = 0; ; recovered++) {
      const request: LlmRequest = {
        system,
        messages: withLatestBreakpoint(messages),
        tools,
        max_tokens: maxTokens,
      };
      const outcome = yield* requestTurn(client, request, turn, signals);
      if (outcome.kind !== 'too_long') return outcome;
      const { error } = outcome;
      if (recovered >= TOO_LONG_RECOVERIES) {
        const why = `still too long after compacting ${recovered} times`;
        return { kind: 'failed', error: tooLong(error, context.size, why) };
      }
      const compaction = context.refused(messages, summaries, turn, error);
      rememberWindow(client, context.size);
      if (!compaction) {
        const why = 'and no tool output is left to compact';
        return { kind: 'failed', error: tooLong(error, context.size, why) };
      }
      yield compaction;
      yield {
        type: 'retry',
        turn,
        retry: recovered + 1,
        delayMs: 0,
        reason: `prompt too long for the context window (${context.size} tokens); compacted, sending again`,
        status: 400,
      };
    }
  }

  for (;;) {
    const compaction = context.compactIfNeeded(messages, summaries, turn);
    if (compaction) yield compaction;
    const limit: AgentStopReason | undefined = stopping()
      ? 'aborted'
      : turn >= maxTurns
        ? 'max_turns'
        : (budgetReached(budget, spent) ??
          (budget.shared ? budgetReached(sharedAsBudget(budget.shared, spent), spent) : undefined));
    if (limit) return yield* finish(end(limit));
    const inputTokens = context.estimate();
    let reservation = reserveRequest(
      budget,
      spent,
      { inputTokens, maxTokens: config.max_output_tokens },
      price,
    );
    const own = reservation;
    while (budget.shared && !('stop' in own)) {
      reservation = reserveRequest(
        sharedAsBudget(budget.shared, spent),
        spent,
        { inputTokens, maxTokens: own.maxTokens },
        price,
      );
      // Only other lanes' requests in flight stand in the way: wait for one to settle.
      if (!('stop' in reservation) || !budget.shared.othersHolding() || stopping()) break;
      await budget.shared.released();
    }
    if ('stop' in reservation) return yield* finish(end(reservation.stop));
    if (reservation.maxTokens < config.max_output_tokens) {
      log.info('output tokens lowered to stay within the budget', {
        maxTokens: reservation.maxTokens,
      });
    }

    turn += 1;
    yield { type: 'request_start', turn, model: client.model, messages: messages.length };
    // Held while the request is in flight, so other lanes count its worst case (parallel runs).
    const release = budget.shared?.hold({
      usd:
        price({ input: 0, output: reservation.maxTokens, cacheRead: 0, cacheWrite: inputTokens }) ??
        0,
      tokens: inputTokens + reservation.maxTokens,
    });
    let outcome;
    try {
      outcome = yield* send(reservation.maxTokens);
    } catch (error) {
      release?.();
      throw error;
    }
    // Released once the run's totals count the response (after its usage event below).
    if (outcome.kind !== 'message') release?.();
    if (outcome.kind === 'aborted') return yield* finish(end('aborted'));
    if (outcome.kind === 'failed') return yield* finish(end('provider_error', outcome.error));
    if (outcome.kind === 'too_long') {
      return yield* finish(end('provider_error', outcome.error.message));
    }
    const { message } = outcome;

    const usage = toUsage(message);
    const cost = price(usage);
    spent = { usage: addUsage(spent.usage, usage), cost: addCost(spent.cost, cost) };
    context.measured(usage);
    yield { type: 'usage', turn, usage, cost, total: spent.usage, totalCost: spent.cost };
    release?.();

    for (const block of message.content) {
      if (block.type === 'text' && block.text.trim() !== '') {
        summary = block.text.trim();
        yield { type: 'text', turn, text: block.text };
      }
    }
    // The API rejects empty or whitespace-only text blocks in a request, and a response can
    // carry one (e.g. right before a tool call): keep them out of the history.
    const history = message.content.filter((b) => b.type !== 'text' || b.text.trim() !== '');
    if (history.length > 0) {
      messages.push({ role: 'assistant', content: history as ContentBlockParam[] });
    }
    const stopReason = message.stop_reason ?? 'end_turn';
    const toolUses = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    const step = nextStep(message.stop_reason, toolUses);
    if (step.kind !== 'run_tools') {
      yield { type: 'turn_end', turn, stopReason };
      switch (step.kind) {
        case 'finish':
          return yield* finish(end('end_turn'));
        case 'refusal':
          return yield* finish(
            end('refusal', 'the model declined to continue (stop_reason refusal)'),
          );
        case 'resend':
          continue;
        case 'continue':
          add(step.reply);
          continue;
        case 'compact': {
          const compacted = context.exceeded(messages, summaries, turn);
          rememberWindow(client, context.size);
          if (!compacted) {
            const error = "the conversation exceeds the model's context window";
            return yield* finish(end('provider_error', error));
          }
          yield compacted;
          add(step.reply);
          continue;
        }
      }
    }

    const { results, stopWith } = yield* runToolCalls(toolUses, turn, {
      tools: options.tools,
      toolContext: options.toolContext,
      summaries,
      guard,
      stopping,
    });
    add({ role: 'user', content: results });
    yield { type: 'turn_end', turn, stopReason };
    if (stopWith) return yield* finish(end(stopWith.reason, stopWith.error));
  }
}

/** Yields the attempt's last event and returns it. */
async function* finish(result: AgentResult): AsyncGenerator<AgentEvent, AgentResult> {
  yield result;
  return result;
}
