import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { INVALID_JSON_KEY } from './types.js';

type Block = Record<string, unknown> & { type: string };

/**
 * Builds the final Message from raw SSE events. We accumulate ourselves instead of using
 * the SDK's MessageStream because that one throws, and loses the whole response, when a
 * server sends tool input that is not valid JSON; here such an input becomes
 * `{ [INVALID_JSON_KEY]: raw, error }` and the agent answers it with an error result.
 */
export class MessageAccumulator {
  private message: (Omit<Message, 'content'> & { content: Block[] }) | undefined;
  private readonly jsonBuffers = new Map<number, string>();
  private stopped = false;

  /** Adds one event; returns the text of a text delta, if it is one. */
  add(event: RawMessageStreamEvent): string | undefined {
    switch (event.type) {
      case 'message_start':
        this.message = { ...(event.message as unknown as Message), content: [] };
        return undefined;
      case 'content_block_start': {
        const message = this.require(event.type);
        const block = { ...(event.content_block as unknown as Block) };
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          this.jsonBuffers.set(event.index, '');
        }
        message.content[event.index] = block;
        return undefined;
      }
      case 'content_block_delta': {
        const block = this.require(event.type).content[event.index];
        if (!block) throw new Error(`content_block_delta for unknown block ${event.index}`);
        const delta = event.delta as unknown as Record<string, unknown> & { type: string };
        switch (delta.type) {
          case 'text_delta':
            block.text = String(block.text ?? '') + String(delta.text);
            return String(delta.text);
          case 'input_json_delta':
            this.jsonBuffers.set(
              event.index,
              (this.jsonBuffers.get(event.index) ?? '') + String(delta.partial_json),
            );
            return undefined;
          case 'thinking_delta':
            block.thinking = String(block.thinking ?? '') + String(delta.thinking);
            return undefined;
          case 'signature_delta':
            block.signature = delta.signature;
            return undefined;
          case 'citations_delta':
            block.citations = [...((block.citations as unknown[] | null) ?? []), delta.citation];
            return undefined;
          default:
            return undefined;
        }
      }
      case 'content_block_stop': {
        const block = this.require(event.type).content[event.index];
        const raw = this.jsonBuffers.get(event.index);
        if (block && raw !== undefined) {
          block.input = parseToolInput(raw);
          this.jsonBuffers.delete(event.index);
        }
        return undefined;
      }
      case 'message_delta': {
        const message = this.require(event.type);
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        const usage = event.usage as unknown as Record<string, unknown>;
        const target = message.usage as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(usage)) {
          if (value !== null && value !== undefined) target[key] = value;
        }
        return undefined;
      }
      case 'message_stop':
        this.require(event.type);
        this.stopped = true;
        return undefined;
      default:
        return undefined;
    }
  }

  /** The complete message; throws when the stream ended before message_stop. */
  finish(): Message {
    if (!this.message || !this.stopped) {
      throw new Error('stream ended before the message was complete');
    }
    for (const [index, raw] of this.jsonBuffers) {
      const block = this.message.content[index];
      if (block) block.input = parseToolInput(raw);
    }
    return {
      ...this.message,
      content: this.message.content.filter(Boolean),
    } as unknown as Message;
  }

  private require(type: string): NonNullable<MessageAccumulator['message']> {
    if (!this.message) throw new Error(`${type} before message_start`);
    return this.message;
  }
}

export function parseToolInput(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return { [INVALID_JSON_KEY]: raw, error: 'tool input must be a JSON object' };
  } catch (error) {
    return { [INVALID_JSON_KEY]: raw, error: (error as Error).message };
  }
}
