import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { MmmError } from '../errors.js';
import { ContextOverflowError } from '../llm/overflow.js';
import { AuthenticationFailedError } from '../llm/retry.js';
import { LlmAbortedError, type LlmClient, type LlmRequest } from '../llm/types.js';
import type { AgentEvent } from './events.js';

/** How one request ended. */
export type RequestOutcome =
  | { kind: 'message'; message: Message }
  /** The server refused the prompt as longer than its context window. */
  | { kind: 'too_long'; error: ContextOverflowError }
  | { kind: 'aborted' }
  | { kind: 'failed'; error: string };

/**
 * Sends one request through the client (a streamed Messages API call with its retries,
 * stream timeouts, redaction and transcript: llm/client.ts) and streams it: yields text
 * deltas and retry notices as events of `turn`, and returns how it ended. Throws only
 * AuthenticationFailedError (401/403).
 */
export async function* streamRequest(
  client: LlmClient,
  request: LlmRequest,
  turn: number,
  signals: { request?: AbortSignal; attempt?: AbortSignal },
): AsyncGenerator<AgentEvent, RequestOutcome> {
  let message: Message | undefined;
  try {
    const streamOptions = signals.request ? { signal: signals.request } : {};
    for await (const event of client.stream(request, streamOptions)) {
      if (event.type === 'text_delta') yield { type: 'text_delta', turn, text: event.text };
      else if (event.type === 'retry') {
        const { type: _type, ...retry } = event;
        yield { type: 'retry', turn, ...retry };
      } else message = event.message;
    }
  } catch (error) {
    if (error instanceof AuthenticationFailedError) throw error;
    if (error instanceof LlmAbortedError || signals.attempt?.aborted || signals.request?.aborted) {
      return { kind: 'aborted' };
    }
    if (error instanceof ContextOverflowError) return { kind: 'too_long', error };
    return { kind: 'failed', error: describeError(error) };
  }
  if (!message) return { kind: 'failed', error: 'the provider returned no message' };
  return { kind: 'message', message };
}

export function describeError(error: unknown): string {
  if (error instanceof MmmError)
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  return error instanceof Error ? error.message : String(error);
}
