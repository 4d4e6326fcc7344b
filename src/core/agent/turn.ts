import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ContextOverflowError } from '../llm/overflow.js';
import type { LlmClient } from '../llm/types.js';
import { addCost, addUsage, type Cost, type Usage } from '../llm/usage.js';
import type { Spent } from './budget.js';
import type { Conversation } from './conversation.js';
import type { AgentEvent } from './events.js';
import { streamRequest, type RequestOutcome } from './stream-request.js';

/** A turn whose prompt the server refuses as too long is compacted and sent again this often. */
export const TOO_LONG_RECOVERIES = 2;

/** What one turn needs besides its number and what the attempt has spent. */
export interface TurnEnv {
  client: LlmClient;
  conversation: Conversation;
  price: (usage: Usage) => Cost;
  /** `request` cancels the request in flight; `attempt` is the attempt's hard stop. */
  signals: { request?: AbortSignal; attempt?: AbortSignal };
}

/** How a turn ended. */
export type TurnOutcome =
  /** The model answered; the response is in the conversation, `spent` counts it. */
  | { kind: 'response'; message: Message; spent: Spent; text?: string }
  /** No response: the attempt ends for `reason`. */
  | { kind: 'ended'; reason: 'aborted' | 'provider_error'; error?: string };

/**
 * One request turn: announces the request, sends it (compacting and resending when the
 * server says the prompt is too long), counts the response's usage, yields its text, and
 * adds it to the conversation. The admission (admission.ts) decided before that the
 * request may go out with `request.maxTokens`, and with a shared run budget holds its
 * worst case there: the turn releases that hold once the response is counted (after the
 * usage event), or at once when there is no response. Throws only
 * AuthenticationFailedError (401/403).
 *
 * Events, in order: request_start, then per request sent text_delta and retry (and a
 * compaction + retry pair per too-long refusal), then usage and one text per non-empty
 * text block.
 */
export async function* runTurn(
  env: TurnEnv,
  turn: number,
  spent: Spent,
  request: { maxTokens: number; release?: () => void },
): AsyncGenerator<AgentEvent, TurnOutcome> {
  const { client, conversation } = env;
  const { release } = request;
  let outcome;
  try {
    yield { type: 'request_start', turn, model: client.model, messages: conversation.length };
    outcome = yield* send(env, turn, request.maxTokens);
  } catch (error) {
    release?.();
    throw error;
  }
  if (outcome.kind !== 'message') {
    release?.();
    return outcome.kind === 'aborted'
      ? { kind: 'ended', reason: 'aborted' }
      : { kind: 'ended', reason: 'provider_error', error: outcome.error };
  }

  const { message } = outcome;
  const usage = toUsage(message);
  const cost = env.price(usage);
  const total: Spent = { usage: addUsage(spent.usage, usage), cost: addCost(spent.cost, cost) };
  yield { type: 'usage', turn, usage, cost, total: total.usage, totalCost: total.cost };
  // Released once the run's totals count the response (the usage event above).
  release?.();

  let text: string | undefined;
  for (const block of message.content) {
    if (block.type === 'text' && block.text.trim() !== '') {
      text = block.text.trim();
      yield { type: 'text', turn, text: block.text };
    }
  }
  conversation.addResponse(message, usage);
  return { kind: 'response', message, spent: total, ...(text === undefined ? {} : { text }) };
}

/** Sends the turn's request; a "prompt is too long" refusal is compacted and resent. */
async function* send(
  env: TurnEnv,
  turn: number,
  maxTokens: number,
): AsyncGenerator<AgentEvent, Exclude<RequestOutcome, { kind: 'too_long' }>> {
  const { conversation } = env;
  for (let recovered = 0; ; recovered++) {
    const outcome = yield* streamRequest(
      env.client,
      conversation.request(maxTokens),
      turn,
      env.signals,
    );
    if (outcome.kind !== 'too_long') return outcome;
    const { error } = outcome;
    if (recovered >= TOO_LONG_RECOVERIES) {
      const why = `still too long after compacting ${recovered} times`;
      return { kind: 'failed', error: tooLong(error, conversation.window, why) };
    }
    const compaction = conversation.refused(turn, error);
    if (!compaction) {
      const why = 'and no tool output is left to compact';
      return { kind: 'failed', error: tooLong(error, conversation.window, why) };
    }
    yield compaction;
    yield {
      type: 'retry',
      turn,
      retry: recovered + 1,
      delayMs: 0,
      reason: `prompt too long for the context window (${conversation.window} tokens); compacted, sending again`,
      status: 400,
    };
  }
}

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
