import type {
  ContentBlockParam,
  Message,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages';
import type { Config } from '../config/schema.js';
import { MmmError } from '../errors.js';
import { costOf } from '../llm/pricing.js';
import { AuthenticationFailedError } from '../llm/retry.js';
import { LlmAbortedError, type LlmClient } from '../llm/types.js';
import { addCost, addUsage, emptyUsage, totalTokens, type Cost, type Usage } from '../llm/usage.js';
import type { AgentTool, ToolContext } from '../tools/types.js';
import { compactToolResults, estimateTokens } from './compaction.js';
import type { AgentEvent, AgentStopReason } from './events.js';
import { declareTools, systemBlocks, withLatestBreakpoint } from './request.js';
import { executeToolCall, summarizeCall } from './tool-exec.js';

export interface AgentBudget {
  usd?: number;
  tokens?: number;
  /** Epoch ms. */
  deadline?: number;
  /** Already spent by earlier attempts of the run; counted against `usd`. */
  spentUsd?: number;
  spentTokens?: number;
}

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

/** Identical call + identical result this many times in a row ends the attempt. */
export const TOOL_LOOP_REPEATS = 3;

const CONTINUE_AFTER_MAX_TOKENS =
  'Your last response was cut off by the output token limit. Continue exactly where you ' +
  'stopped, without repeating what you already wrote.';
const CUT_OFF_TOOL_CALL =
  'Error: this tool call was not run because your response hit the output token limit ' +
  'while writing it, so its input may be incomplete. Send it again; split large file ' +
  'contents into several smaller edits.';

function toUsage(message: Message): Usage {
  const u = message.usage;
  return {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite: u.cache_creation_input_tokens ?? 0,
    cacheRead: u.cache_read_input_tokens ?? 0,
  };
}

/**
 * One attempt: the model works on `task` with `tools` until it ends its turn or a
 * limit stops it. Yields every event; returns (and yields last) the attempt_end event.
 * Throws only AuthenticationFailedError (401/403): no later attempt can succeed either.
 */
export async function* runAgent(options: RunAgentOptions): AsyncGenerator<AgentEvent, AgentResult> {
  const { client, config, signal } = options;
  const budget = options.budget ?? {};
  const maxTurns = options.maxTurns ?? config.max_turns;
  const tools = declareTools(options.tools, client.toolSchema);
  const system = systemBlocks(options.system);
  const compactAt = config.context.compact_threshold * client.contextWindow;
  const messages: MessageParam[] = [{ role: 'user', content: options.task }];
  const summaries = new Map<string, string>();
  let total = emptyUsage();
  let totalCost: Cost = 0;
  let turn = 0;
  let summary = '';
  let promptTokens = 0;
  let lastCall = '';
  let repeats = 0;

  const end = (reason: AgentStopReason, error?: string): AgentResult => ({
    type: 'attempt_end',
    reason,
    summary,
    turns: turn,
    usage: total,
    cost: totalCost,
    ...(error === undefined ? {} : { error }),
  });

  const limitReached = (): AgentStopReason | undefined => {
    if (signal?.aborted || options.stopAfterTool?.()) return 'aborted';
    if (turn >= maxTurns) return 'max_turns';
    if (budget.deadline !== undefined && Date.now() >= budget.deadline) return 'budget_time';
    const tokens = (budget.spentTokens ?? 0) + totalTokens(total);
    if (budget.tokens !== undefined && tokens >= budget.tokens) return 'budget_tokens';
    // An unknown cost (null) cannot be enforced; it is never taken as zero.
    if (budget.usd !== undefined && totalCost !== null) {
      if ((budget.spentUsd ?? 0) + totalCost >= budget.usd) return 'budget_usd';
    }
    return undefined;
  };

  for (;;) {
    if (promptTokens > compactAt) {
      const { compacted, removedChars } = compactToolResults(messages, summaries);
      if (compacted > 0) {
        const afterTokens = Math.max(0, promptTokens - estimateTokens(removedChars));
        // promptTokens is measured again from the next response.
        yield { type: 'compaction', turn, beforeTokens: promptTokens, afterTokens, compacted };
      }
    }
    const stop = limitReached();
    if (stop) {
      const result = end(stop);
      yield result;
      return result;
    }

    turn += 1;
    yield { type: 'request_start', turn, model: client.model, messages: messages.length };
    let message: Message | undefined;
    try {
      const request = {
        system,
        messages: withLatestBreakpoint(messages),
        tools,
        max_tokens: config.max_output_tokens,
      };
      const requestSignal = options.requestSignal ?? signal;
      const streamOptions = requestSignal ? { signal: requestSignal } : {};
      for await (const event of client.stream(request, streamOptions)) {
        if (event.type === 'text_delta') yield { type: 'text_delta', turn, text: event.text };
        else if (event.type === 'retry') {
          const { type: _type, ...retry } = event;
          yield { type: 'retry', turn, ...retry };
        } else message = event.message;
      }
    } catch (error) {
      if (error instanceof AuthenticationFailedError) throw error;
      const result =
        error instanceof LlmAbortedError || signal?.aborted || options.requestSignal?.aborted
          ? end('aborted')
          : end('provider_error', describeError(error));
      yield result;
      return result;
    }
    if (!message) {
      const result = end('provider_error', 'the provider returned no message');
      yield result;
      return result;
    }

    const usage = toUsage(message);
    const cost = costOf(client.model, usage, config.pricing);
    total = addUsage(total, usage);
    totalCost = addCost(totalCost, cost);
    promptTokens = usage.input + usage.cacheRead + usage.cacheWrite + usage.output;
    yield { type: 'usage', turn, usage, cost, total, totalCost };

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

    // A response cut off while writing a tool call: answer each call with an error (the API
    // needs a result for every tool_use) instead of running an input that may be partial.
    const continueAfterCutOff = (): MessageParam => ({
      role: 'user',
      content: toolUses.length
        ? toolUses.map((b) => ({
            type: 'tool_result' as const,
            tool_use_id: b.id,
            content: CUT_OFF_TOOL_CALL,
            is_error: true,
          }))
        : CONTINUE_AFTER_MAX_TOKENS,
    });
    if (stopReason === 'max_tokens') {
      messages.push(continueAfterCutOff());
      yield { type: 'turn_end', turn, stopReason };
      continue;
    }
    if (stopReason === 'pause_turn') {
      yield { type: 'turn_end', turn, stopReason };
      continue;
    }
    if (stopReason === 'refusal') {
      yield { type: 'turn_end', turn, stopReason };
      const result = end('refusal', 'the model declined to continue (stop_reason refusal)');
      yield result;
      return result;
    }
    if (stopReason === 'model_context_window_exceeded') {
      yield { type: 'turn_end', turn, stopReason };
      const { compacted, removedChars } = compactToolResults(messages, summaries, 1);
      if (compacted === 0) {
        const result = end('provider_error', "the conversation exceeds the model's context window");
        yield result;
        return result;
      }
      const afterTokens = Math.max(0, promptTokens - estimateTokens(removedChars));
      yield { type: 'compaction', turn, beforeTokens: promptTokens, afterTokens, compacted };
      promptTokens = afterTokens;
      messages.push(continueAfterCutOff());
      continue;
    }
    if (stopReason !== 'tool_use' || toolUses.length === 0) {
      yield { type: 'turn_end', turn, stopReason };
      const result = end('end_turn');
      yield result;
      return result;
    }

    const results: ToolResultBlockParam[] = [];
    let stopWith: { reason: AgentStopReason; error?: string } | undefined;
    for (const call of toolUses) {
      if (stopWith) {
        results.push({
          type: 'tool_result',
          tool_use_id: call.id,
          content: 'Not run: the attempt was stopped.',
          is_error: true,
        });
        continue;
      }
      const callSummary = summarizeCall(options.tools, call.name, call.input);
      summaries.set(call.id, callSummary);
      yield {
        type: 'tool_call',
        turn,
        id: call.id,
        name: call.name,
        input: call.input,
        summary: callSummary,
      };
      const started = performance.now();
      const outcome = await executeToolCall(
        options.tools,
        call.name,
        call.input,
        options.toolContext,
      );
      yield {
        type: 'tool_result',
        turn,
        id: call.id,
        name: call.name,
        ok: !outcome.isError,
        display: outcome.display,
        durationMs: Math.round(performance.now() - started),
      };
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        content: outcome.content,
        ...(outcome.isError ? { is_error: true } : {}),
      });
      const key = JSON.stringify([call.name, call.input, outcome.content, outcome.isError]);
      repeats = key === lastCall ? repeats + 1 : 1;
      lastCall = key;
      if (repeats >= TOOL_LOOP_REPEATS) {
        stopWith = {
          reason: 'tool_loop',
          error: `the same call (${callSummary}) returned the same result ${repeats} times in a row`,
        };
      } else if (signal?.aborted || options.stopAfterTool?.()) {
        stopWith = { reason: 'aborted' };
      }
    }
    messages.push({ role: 'user', content: results });
    yield { type: 'turn_end', turn, stopReason };
    if (stopWith) {
      const result = end(stopWith.reason, stopWith.error);
      yield result;
      return result;
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof MmmError)
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  return error instanceof Error ? error.message : String(error);
}
