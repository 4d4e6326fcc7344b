import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake Anthropic server', () => {
  it('answers non-streaming requests, count_tokens, and records headers and bodies', async () => {
    fake = await startFakeAnthropic({
      script: [
        {
          content: [{ type: 'tool_use', id: 'toolu_9', name: 'bash', input: { command: 'ls' } }],
          usage: { input_tokens: 12 },
        },
      ],
    });
    const sdk = new Anthropic({ apiKey: 'sk-x', baseURL: fake.url, maxRetries: 0 });
    const message = await sdk.messages.create({
      model: 'm',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', id: 'toolu_9', name: 'bash', input: { command: 'ls' } }],
      usage: { input_tokens: 12, output_tokens: 5 },
    });
    const count = await sdk.messages.countTokens({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/messages/count_tokens']);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-x');
    expect(fake.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('lets a function answer from the request, and says when the script ran out', async () => {
    fake = await startFakeAnthropic({
      script: [(req) => ({ content: [{ type: 'text', text: `got ${req.body.messages.length}` }] })],
    });
    const sdk = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
    const params = {
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user' as const, content: 'a' }],
    };
    const first = await sdk.messages.stream(params).finalMessage();
    expect(first.content[0]).toMatchObject({ text: 'got 1' });
    await expect(sdk.messages.create(params)).rejects.toThrow(
      /no scripted reply left for request 2/,
    );
  });
});
