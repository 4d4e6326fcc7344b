/**
 * What the fake Anthropic server answers: scripted replies and faults, and how a reply
 * becomes the SSE events (or the JSON message) the real Messages API would send.
 */

export type ScriptedBlock =
  | { type: 'text'; text: string }
  | {
      type: 'tool_use';
      id?: string;
      name: string;
      input?: unknown;
      /** Sent verbatim as the input JSON (to simulate malformed tool input). */
      rawJson?: string;
    };

export interface ScriptedUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type Fault =
  | {
      type: 'status';
      status: number;
      /** `retry-after` header (seconds or HTTP date). */
      retryAfter?: number | string;
      retryAfterMs?: number;
      /** More response headers, e.g. `x-should-retry`. */
      headers?: Record<string, string>;
      errorType?: string;
      message?: string;
    }
  /** Close the connection after this many SSE events were sent. */
  | { type: 'disconnect'; afterEvents: number }
  /** Send an unparseable SSE data line after this many events, then end. */
  | { type: 'malformed'; afterEvents: number }
  /** Send this many SSE events, then nothing more, never closing (a hung stream). */
  | { type: 'stall'; afterEvents: number }
  /** Send an `event: error` frame (as the API does when overloaded mid-stream), then end. */
  | { type: 'error_event'; afterEvents: number; errorType?: string };

export interface ScriptedReply {
  content?: ScriptedBlock[];
  stop_reason?:
    | 'end_turn'
    | 'max_tokens'
    | 'stop_sequence'
    | 'tool_use'
    | 'pause_turn'
    | 'refusal'
    | 'model_context_window_exceeded';
  usage?: ScriptedUsage;
  model?: string;
  fault?: Fault;
  /** Wait this long before answering (headers included). */
  delayMs?: number;
}

let idCounter = 0;

/** The SSE events of a reply, in the order the real API sends them. */
export function replyEvents(reply: ScriptedReply, model: string): [string, unknown][] {
  const usage = reply.usage ?? {};
  const events: [string, unknown][] = [];
  events.push([
    'message_start',
    {
      type: 'message_start',
      message: {
        id: `msg_fake_${++idCounter}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens ?? 10,
          output_tokens: 1,
          cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
        },
      },
    },
  ]);
  (reply.content ?? []).forEach((block, index) => {
    if (block.type === 'text') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ]);
      const half = Math.ceil(block.text.length / 2);
      for (const part of [block.text.slice(0, half), block.text.slice(half)]) {
        if (part === '') continue;
        events.push([
          'content_block_delta',
          { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } },
        ]);
      }
    } else {
      const id = block.id ?? `toolu_fake_${++idCounter}`;
      events.push([
        'content_block_start',
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id, name: block.name, input: {} },
        },
      ]);
      const json = block.rawJson ?? JSON.stringify(block.input ?? {});
      const half = Math.ceil(json.length / 2);
      for (const part of [json.slice(0, half), json.slice(half)]) {
        if (part === '') continue;
        events.push([
          'content_block_delta',
          {
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: part },
          },
        ]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  const hasTool = (reply.content ?? []).some((b) => b.type === 'tool_use');
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: {
        stop_reason: reply.stop_reason ?? (hasTool ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
      },
      usage: { output_tokens: usage.output_tokens ?? 5 },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

/** The non-streaming JSON body of a reply (the final message). */
export function replyMessage(reply: ScriptedReply, model: string): unknown {
  const start = replyEvents(reply, model)[0]?.[1] as { message: Record<string, unknown> };
  const usage = reply.usage ?? {};
  const hasTool = (reply.content ?? []).some((b) => b.type === 'tool_use');
  return {
    ...start.message,
    content: (reply.content ?? []).map((b) =>
      b.type === 'text'
        ? { type: 'text', text: b.text }
        : {
            type: 'tool_use',
            id: b.id ?? `toolu_fake_${++idCounter}`,
            name: b.name,
            input: b.input ?? {},
          },
    ),
    stop_reason: reply.stop_reason ?? (hasTool ? 'tool_use' : 'end_turn'),
    usage: { ...(start.message.usage as object), output_tokens: usage.output_tokens ?? 5 },
  };
}
