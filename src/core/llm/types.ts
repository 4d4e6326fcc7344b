import type {
  Message,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';

export type { Message, MessageParam, TextBlockParam, ToolUnion };

/** One Messages API request as mmm builds it (the model comes from the client). */
export interface LlmRequest {
  system: TextBlockParam[];
  messages: MessageParam[];
  tools: ToolUnion[];
  max_tokens: number;
}

/** What one `LlmClient.stream` call yields: deltas and retries as they happen, then the message. */
export type LlmStreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'retry'; retry: number; delayMs: number; reason: string; status?: number }
  | { type: 'message'; message: Message };

export interface LlmStreamOptions {
  signal?: AbortSignal;
}

export interface LlmClient {
  readonly model: string;
  /** How tools are declared: Anthropic's typed tools, or plain JSON-schema tools. */
  readonly toolSchema: 'anthropic' | 'custom';
  /**
   * The model's context window in tokens (for compaction). Lowered by the agent when the
   * server names a smaller one, so later attempts of the run start with what was learned.
   */
  contextWindow: number;
  /**
   * Performs one request (with retries). Yields text deltas and retry notices, and
   * finally the complete message. Throws ProviderError when the request cannot succeed
   * (auth, bad request, retries exhausted, replay divergence) and LlmAbortedError when
   * `signal` fires.
   */
  stream(request: LlmRequest, options?: LlmStreamOptions): AsyncGenerator<LlmStreamEvent, Message>;
}

/** The caller's AbortSignal fired during a request. */
export class LlmAbortedError extends Error {
  constructor() {
    super('request aborted');
    this.name = 'LlmAbortedError';
  }
}

/**
 * Key set on a tool_use block's `input` when the model sent JSON that does not parse;
 * the agent answers such a call with an is_error result instead of running the tool.
 */
export const INVALID_JSON_KEY = '__mmm_invalid_json';
