import type { Config } from '../config/schema.js';
import { costOf } from '../llm/pricing.js';
import type { LlmClient } from '../llm/types.js';
import { emptyUsage, type Usage } from '../llm/usage.js';
import type { AgentTool, ToolContext } from '../tools/types.js';
import { admitRequest } from './admission.js';
import type { AgentBudget, Spent } from './budget.js';
import { Conversation } from './conversation.js';
import type { AgentEvent, AgentStopReason } from './events.js';
import { RepeatGuard } from './repeat-guard.js';
import { nextStep } from './stop-reason.js';
import { runToolCalls } from './tool-calls.js';
import { runTurn, type TurnEnv } from './turn.js';

export type { AgentBudget } from './budget.js';
export { TOOL_LOOP_REPEATS } from './repeat-guard.js';
export { TOO_LONG_RECOVERIES } from './turn.js';

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

const REFUSED = 'the model declined to continue (stop_reason refusal)';
const WINDOW_EXCEEDED = "the conversation exceeds the model's context window";

/**
 * One attempt: the model works on `task` with `tools` until it ends its turn or a
 * limit stops it. Yields every event; returns (and yields last) the attempt_end event.
 * Throws only AuthenticationFailedError (401/403): no later attempt can succeed either.
 *
 * Each turn: compact if the context is past its threshold; admit the request against
 * the limits and caps (admission.ts); send it and take in the response (turn.ts); then
 * do what its stop reason asks (stop-reason.ts) — run the tool calls (tool-calls.ts,
 * with the repeat guard), send again, or end.
 */
export async function* runAgent(options: RunAgentOptions): AsyncGenerator<AgentEvent, AgentResult> {
  const { client, config, signal } = options;
  const budget = options.budget ?? {};
  const maxTurns = options.maxTurns ?? config.max_turns;
  const conversation = new Conversation(client, options, config.context.compact_threshold);
  const guard = new RepeatGuard();
  const price = (usage: Usage) => costOf(client.model, usage, config.pricing);
  const stopping = (): boolean => signal?.aborted === true || options.stopAfterTool?.() === true;
  const env: TurnEnv = {
    client,
    conversation,
    price,
    signals: { request: options.requestSignal ?? signal, attempt: signal },
  };
  let spent: Spent = { usage: emptyUsage(), cost: 0 };
  let turn = 0;
  let summary = '';

  /** The attempt's last event, yielded and returned. */
  async function* end(
    reason: AgentStopReason,
    error?: string,
  ): AsyncGenerator<AgentEvent, AgentResult> {
    const result: AgentResult = {
      type: 'attempt_end',
      reason,
      summary,
      turns: turn,
      usage: spent.usage,
      cost: spent.cost,
      ...(error === undefined ? {} : { error }),
    };
    yield result;
    return result;
  }

  for (;;) {
    const compaction = conversation.compactIfNeeded(turn);
    if (compaction) yield compaction;
    const admission = await admitRequest({
      budget,
      spent,
      turns: turn,
      maxTurns,
      stopping,
      inputTokens: conversation.estimate(),
      maxTokens: config.max_output_tokens,
      price,
    });
    if ('stop' in admission) return yield* end(admission.stop);

    turn += 1;
    const outcome = yield* runTurn(env, turn, spent, admission);
    if (outcome.kind === 'ended') return yield* end(outcome.reason, outcome.error);
    const { message } = outcome;
    spent = outcome.spent;
    if (outcome.text !== undefined) summary = outcome.text;

    const turnEnd: AgentEvent = {
      type: 'turn_end',
      turn,
      stopReason: message.stop_reason ?? 'end_turn',
    };
    const toolUses = message.content.filter((b) => b.type === 'tool_use');
    const step = nextStep(message.stop_reason, toolUses);
    switch (step.kind) {
      case 'run_tools': {
        const { results, stopWith } = yield* runToolCalls(step.calls, turn, {
          tools: options.tools,
          toolContext: options.toolContext,
          summaries: conversation.summaries,
          guard,
          stopping,
        });
        conversation.add({ role: 'user', content: results });
        yield turnEnd;
        if (stopWith) return yield* end(stopWith.reason, stopWith.error);
        continue;
      }
      case 'finish':
        yield turnEnd;
        return yield* end('end_turn');
      case 'refusal':
        yield turnEnd;
        return yield* end('refusal', REFUSED);
      case 'resend':
        // The response is already the last message: the model goes on from there.
        yield turnEnd;
        continue;
      case 'continue':
        yield turnEnd;
        conversation.add(step.reply);
        continue;
      case 'compact': {
        yield turnEnd;
        const compacted = conversation.exceeded(turn);
        if (!compacted) return yield* end('provider_error', WINDOW_EXCEEDED);
        yield compacted;
        conversation.add(step.reply);
        continue;
      }
      default: {
        // Every step nextStep decides is handled above: a new kind fails to compile here.
        const _unhandled: never = step;
        return yield* end('provider_error', 'no way to go on after this response');
      }
    }
  }
}
