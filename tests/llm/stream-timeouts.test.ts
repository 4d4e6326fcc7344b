import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { ContextOverflowError } from '../../src/core/llm/overflow.js';
import type { LlmRequest, LlmStreamEvent } from '../../src/core/llm/types.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type ScriptItem,
} from '../support/fake-anthropic.js';
import { drain, testConfig } from '../support/test-tools.js';

const request: LlmRequest = {
  system: [{ type: 'text', text: 'You are a test.' }],
  messages: [{ role: 'user', content: 'hello' }],
  tools: [],
  max_tokens: 1000,
};

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(script: ScriptItem[], provider: Record<string, number>) {
  fake = await startFakeAnthropic({ script });
  const client = createLlmClient({
    config: testConfig({ provider }),
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
  });
  return { fake, client };
}

const hello: ScriptItem = { content: [{ type: 'text', text: 'Hello there, world' }] };
const retries = (events: LlmStreamEvent[]) => events.filter((e) => e.type === 'retry');

describe('streams that cannot hang', () => {
  it('a stream that goes silent without closing is abandoned after provider.idle_timeout and retried', async () => {
    const { fake, client } = await setup(
      [{ ...hello, fault: { type: 'stall', afterEvents: 3 } }, hello],
      {
        idle_timeout: 1,
      },
    );
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      expect.objectContaining({
        retry: 1,
        reason: 'stream idle for 1 s (provider.idle_timeout)',
      }),
    ]);
    expect(result.content).toEqual([expect.objectContaining({ text: 'Hello there, world' })]);
    expect(fake.messageRequests()).toHaveLength(2);
  });

  it('a server that never answers is abandoned too (before any event)', async () => {
    const { client } = await setup([{ ...hello, delayMs: 60_000 }, hello], { idle_timeout: 1 });
    const { events } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('provider.idle_timeout') }),
    ]);
  });

  it('provider.timeout bounds the whole response, however lively the stream', async () => {
    const { client } = await setup(
      [{ ...hello, fault: { type: 'stall', afterEvents: 2 } }, hello],
      {
        idle_timeout: 60,
        timeout: 1.5,
      },
    );
    const { events } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      expect.objectContaining({
        reason: 'no complete response within 1.5 s (provider.timeout)',
      }),
    ]);
  });

  it('gives up like any other retried failure when every try hangs', async () => {
    const stall: ScriptItem = { ...hello, fault: { type: 'stall', afterEvents: 1 } };
    const { client } = await setup([stall, stall], { idle_timeout: 0.1, max_retries: 1 });
    await expect(drain(client.stream(request))).rejects.toThrow(
      /giving up after 2 tries: stream idle for 0\.1 s/,
    );
  });

  it('a prompt too long for the window is a ContextOverflowError carrying the numbers, not retried', async () => {
    const { fake, client } = await setup(
      [
        {
          fault: {
            type: 'status',
            status: 400,
            message: 'prompt is too long: 202489 tokens > 200000 maximum',
          },
        },
      ],
      {},
    );
    const error = await drain(client.stream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ maximum: 200000, tokens: 202489 });
    expect(fake.messageRequests()).toHaveLength(1);
  });
});
