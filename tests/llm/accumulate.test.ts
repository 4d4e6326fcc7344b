import { describe, expect, it } from 'vitest';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { MessageAccumulator } from '../../src/core/llm/accumulate.js';
import { INVALID_JSON_KEY } from '../../src/core/llm/types.js';
import { replyEvents } from '../support/fake-anthropic.js';

function feed(events: [string, unknown][]) {
  const acc = new MessageAccumulator();
  const deltas: string[] = [];
  for (const [, data] of events) {
    const text = acc.add(data as RawMessageStreamEvent);
    if (text) deltas.push(text);
  }
  return { acc, deltas };
}

describe('MessageAccumulator', () => {
  it('rebuilds text, tool input, stop reason and usage', () => {
    const { acc, deltas } = feed(
      replyEvents(
        {
          content: [
            { type: 'text', text: 'abcdef' },
            { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls -la' } },
          ],
          usage: { input_tokens: 7, output_tokens: 9, cache_read_input_tokens: 3 },
        },
        'm',
      ),
    );
    expect(deltas.join('')).toBe('abcdef');
    expect(acc.finish()).toMatchObject({
      model: 'm',
      stop_reason: 'tool_use',
      usage: { input_tokens: 7, output_tokens: 9, cache_read_input_tokens: 3 },
      content: [
        { type: 'text', text: 'abcdef' },
        { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls -la' } },
      ],
    });
  });

  it('keeps invalid tool JSON as data instead of throwing', () => {
    const { acc } = feed(
      replyEvents({ content: [{ type: 'tool_use', id: 't', name: 'bash', rawJson: '[1,' }] }, 'm'),
    );
    const block = acc.finish().content[0] as { input: Record<string, unknown> };
    expect(block.input[INVALID_JSON_KEY]).toBe('[1,');
    expect(block.input.error).toEqual(expect.any(String));
  });

  it('refuses a stream that ended before message_stop', () => {
    const events = replyEvents({ content: [{ type: 'text', text: 'hi' }] }, 'm');
    const { acc } = feed(events.slice(0, -1));
    expect(() => acc.finish()).toThrow(/before the message was complete/);
  });
});
