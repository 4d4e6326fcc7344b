import type { ToolResultBlockParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import type { AgentTool, ToolContext } from '../tools/types.js';
import type { AgentEvent, AgentStopReason } from './events.js';
import type { RepeatGuard } from './repeat-guard.js';
import { executeToolCall, summarizeCall } from './tool-exec.js';

export interface ToolCallsOutcome {
  results: ToolResultBlockParam[];
  /** Set when the attempt must end after this batch. */
  stopWith?: { reason: AgentStopReason; error?: string };
}

/**
 * Runs the tool calls of one response in order, yielding a tool_call and a tool_result
 * event for each. Every call gets a result (the API needs one per tool_use): once the
 * repeat guard or a stop ends the batch, the remaining calls are answered "Not run".
 */
export async function* runToolCalls(
  calls: ToolUseBlock[],
  turn: number,
  env: {
    tools: AgentTool[];
    toolContext: ToolContext;
    summaries: Map<string, string>;
    guard: RepeatGuard;
    /** Polled after every call: a stop was asked for. */
    stopping: () => boolean;
  },
): AsyncGenerator<AgentEvent, ToolCallsOutcome> {
  const results: ToolResultBlockParam[] = [];
  let stopWith: ToolCallsOutcome['stopWith'];
  for (const call of calls) {
    if (stopWith) {
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        content: 'Not run: the attempt was stopped.',
        is_error: true,
      });
      continue;
    }
    const summary = summarizeCall(env.tools, call.name, call.input);
    env.summaries.set(call.id, summary);
    yield { type: 'tool_call', turn, id: call.id, name: call.name, input: call.input, summary };
    const started = performance.now();
    const outcome = await executeToolCall(env.tools, call.name, call.input, env.toolContext);
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
    const loop = env.guard.record({ name: call.name, input: call.input, summary }, outcome);
    if (loop !== undefined) {
      stopWith = { reason: 'tool_loop', error: loop };
    } else if (env.stopping()) {
      stopWith = { reason: 'aborted' };
    }
  }
  return { results, ...(stopWith ? { stopWith } : {}) };
}
