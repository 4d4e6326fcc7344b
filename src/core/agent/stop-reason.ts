import type { MessageParam, StopReason, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';

/** What the agent does after a response, decided by its stop reason. */
export type NextStep =
  /** Run the tool calls and send their results. */
  | { kind: 'run_tools'; calls: ToolUseBlock[] }
  /** The model is done: the attempt ends. */
  | { kind: 'finish' }
  /** Send again as is (the response is already in the history). */
  | { kind: 'resend' }
  /** Cut off by the output limit: add `reply` and send again. */
  | { kind: 'continue'; reply: MessageParam }
  /** The context window is full: compact, add `reply`, send again. */
  | { kind: 'compact'; reply: MessageParam }
  | { kind: 'refusal' };

const CONTINUE_AFTER_MAX_TOKENS =
  'Your last response was cut off by the output token limit. Continue exactly where you ' +
  'stopped, without repeating what you already wrote.';
const CUT_OFF_TOOL_CALL =
  'Error: this tool call was not run because your response hit the output token limit ' +
  'while writing it, so its input may be incomplete. Send it again; split large file ' +
  'contents into several smaller edits.';

/**
 * A response cut off while writing a tool call: each call is answered with an error (the
 * API needs a result for every tool_use) instead of running an input that may be partial.
 */
function continueAfterCutOff(toolUses: ToolUseBlock[]): MessageParam {
  return {
    role: 'user',
    content: toolUses.length
      ? toolUses.map((b) => ({
          type: 'tool_result' as const,
          tool_use_id: b.id,
          content: CUT_OFF_TOOL_CALL,
          is_error: true,
        }))
      : CONTINUE_AFTER_MAX_TOKENS,
  };
}

/**
 * What to do after a response that stopped for `stopReason` (null: the stream did not
 * say; taken as end_turn) with `toolUses` in its content. One case per stop reason the
 * SDK declares; a new one fails to compile here.
 */
export function nextStep(stopReason: StopReason | null, toolUses: ToolUseBlock[]): NextStep {
  const reason: StopReason = stopReason ?? 'end_turn';
  switch (reason) {
    case 'tool_use':
      return toolUses.length > 0 ? { kind: 'run_tools', calls: toolUses } : { kind: 'finish' };
    case 'end_turn':
    case 'stop_sequence':
      return { kind: 'finish' };
    case 'max_tokens':
      return { kind: 'continue', reply: continueAfterCutOff(toolUses) };
    case 'pause_turn':
      return { kind: 'resend' };
    case 'refusal':
      return { kind: 'refusal' };
    case 'model_context_window_exceeded':
      return { kind: 'compact', reply: continueAfterCutOff(toolUses) };
    default: {
      // Compile-time: every documented reason is handled. Run time: a server that sends
      // something else ends the attempt as if the model had finished.
      const _unhandled: never = reason;
      return { kind: 'finish' };
    }
  }
}
