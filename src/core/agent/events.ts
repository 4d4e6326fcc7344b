import type { Cost, Usage } from '../llm/usage.js';

/** Why an agent attempt ended. */
export type AgentStopReason =
  | 'end_turn' // the model finished; its last text is the summary
  | 'max_turns'
  | 'budget_usd'
  | 'budget_tokens'
  | 'budget_time'
  | 'refusal'
  | 'tool_loop' // the same tool call repeated with the same result
  | 'provider_error' // retries exhausted or a non-retryable API error
  | 'aborted'; // the caller's AbortSignal fired

/**
 * What `runAgent` yields. The UI, the plain log and `--json` are readers of this
 * stream (wrapped in a RunEvent of type `agent`).
 */
export type AgentEvent =
  | { type: 'request_start'; turn: number; model: string; messages: number }
  | { type: 'text_delta'; turn: number; text: string }
  | { type: 'text'; turn: number; text: string }
  | { type: 'tool_call'; turn: number; id: string; name: string; input: unknown; summary: string }
  | {
      type: 'tool_result';
      turn: number;
      id: string;
      name: string;
      ok: boolean;
      /** One line for humans; what the model got may be much longer. */
      display: string;
      durationMs: number;
    }
  | { type: 'usage'; turn: number; usage: Usage; cost: Cost; total: Usage; totalCost: Cost }
  | {
      type: 'retry';
      turn: number;
      retry: number;
      delayMs: number;
      reason: string;
      status?: number;
    }
  | {
      type: 'compaction';
      turn: number;
      beforeTokens: number;
      afterTokens: number;
      compacted: number;
    }
  | { type: 'turn_end'; turn: number; stopReason: string }
  /** The engine's own session id (the claude-code engine: for `claude --resume <id>`). */
  | { type: 'session'; engine: string; id: string }
  | {
      type: 'attempt_end';
      reason: AgentStopReason;
      /** The model's last text. */
      summary: string;
      turns: number;
      usage: Usage;
      cost: Cost;
      /** Set when reason is provider_error or refusal. */
      error?: string;
    };
