import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, ProviderError } from '../../src/core/errors.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { AuthenticationFailedError } from '../../src/core/llm/retry.js';
import { LlmAbortedError, type LlmRequest, type LlmStreamEvent } from '../../src/core/llm/types.js';
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

async function setup(script: ScriptItem[], provider: Record<string, number> = {}) {
  fake = await startFakeAnthropic({ script });
  const client = createLlmClient({
    config: testConfig({ provider }),
    env: { ANTHROPIC_API_KEY: 'sk-test-secret', ANTHROPIC_BASE_URL: fake.url },
  });
  return { fake, client };
}

const hello: ScriptItem = { content: [{ type: 'text', text: 'Hello there, world' }] };

function retries(events: LlmStreamEvent[]) {
  return events.filter((e): e is Extract<LlmStreamEvent, { type: 'retry' }> => e.type === 'retry');
}

describe('createLlmClient', () => {
  it('streams text deltas and the final message through the real SDK', async () => {
    const { fake, client } = await setup([hello]);
    const { events, result } = await drain(client.stream(request));
    const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.text] : [])).join('');
    expect(text).toBe('Hello there, world');
    expect(events.filter((e) => e.type === 'text_delta').length).toBeGreaterThan(1);
    expect(result.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Hello there, world' }),
    ]);
    const sent = fake.messageRequests()[0];
    expect(sent?.body.stream).toBe(true);
    expect(sent?.body.model).toBe('claude-sonnet-5-5');
    expect(sent?.headers['x-api-key'] ?? sent?.headers.authorization).toContain('sk-test-secret');
  });

  it('fails with exit 4 and a fix when no key is set', () => {
    let error: unknown;
    try {
      createLlmClient({ config: testConfig(), env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).exitCode).toBe(ExitCode.Provider);
    expect((error as ProviderError).hint).toContain('ANTHROPIC_API_KEY');
  });

  it('accepts ANTHROPIC_AUTH_TOKEN and base_url from config', async () => {
    fake = await startFakeAnthropic({ script: [hello] });
    const client = createLlmClient({
      config: testConfig({}, fake.url),
      env: { ANTHROPIC_AUTH_TOKEN: 'proxy-token' },
    });
    await drain(client.stream(request));
    expect(fake.messageRequests()[0]?.headers.authorization).toBe('Bearer proxy-token');
    expect(client.toolSchema).toBe('custom');
  });

  it('uses the API key when ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN are both set', async () => {
    fake = await startFakeAnthropic({ script: [hello] });
    const client = createLlmClient({
      config: testConfig(),
      env: {
        ANTHROPIC_API_KEY: 'sk-both',
        ANTHROPIC_AUTH_TOKEN: 'tok-both',
        ANTHROPIC_BASE_URL: fake.url,
      },
    });
    await drain(client.stream(request));
    expect(fake.messageRequests()[0]?.headers.authorization).toBe('Bearer sk-both');
  });

  it('declares typed tools only for api.anthropic.com in auto mode', () => {
    const env = { ANTHROPIC_API_KEY: 'k' };
    expect(createLlmClient({ config: testConfig(), env }).toolSchema).toBe('anthropic');
    const custom = testConfig({ provider: { tool_schema: 'custom' } });
    expect(createLlmClient({ config: custom, env }).toolSchema).toBe('custom');
    const local = { ...env, ANTHROPIC_BASE_URL: 'http://localhost:11434' };
    expect(createLlmClient({ config: testConfig(), env: local }).toolSchema).toBe('custom');
  });

  it('retries a 429 honoring retry-after, capped at provider.retry_max_wait', async () => {
    const { fake, client } = await setup([
      { fault: { type: 'status', status: 429, retryAfter: 30 } },
      hello,
    ]);
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      { type: 'retry', retry: 1, delayMs: 20, reason: expect.stringContaining('429'), status: 429 },
    ]);
    expect(result.content[0]).toMatchObject({ text: 'Hello there, world' });
    expect(fake.messageRequests()).toHaveLength(2);
  });

  it('honors retry-after-ms below the cap', async () => {
    const { client } = await setup([
      { fault: { type: 'status', status: 429, retryAfterMs: 7 } },
      hello,
    ]);
    const { events } = await drain(client.stream(request));
    expect(retries(events)[0]?.delayMs).toBe(7);
  });

  it.each([
    [529, 'overloaded_error'],
    [500, 'api_error'],
    [503, 'api_error'],
    [408, 'timeout_error'],
  ])('retries HTTP %i', async (status, errorType) => {
    const { client } = await setup([{ fault: { type: 'status', status, errorType } }, hello]);
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toHaveLength(1);
    expect(retries(events)[0]).toMatchObject({
      status,
      reason: expect.stringContaining(String(status)),
    });
    expect(result.stop_reason).toBe('end_turn');
  });

  it('retries a stream cut mid-response as a whole request', async () => {
    const { fake, client } = await setup([
      { ...hello, fault: { type: 'disconnect', afterEvents: 3 } },
      hello,
    ]);
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      expect.objectContaining({
        retry: 1,
        reason: expect.stringMatching(/^stream broken|connection/),
      }),
    ]);
    expect(result.content[0]).toMatchObject({ text: 'Hello there, world' });
    expect(fake.messageRequests()).toHaveLength(2);
  });

  it('retries after an error event in the middle of the stream', async () => {
    const { client } = await setup([
      { ...hello, fault: { type: 'error_event', afterEvents: 2 } },
      hello,
    ]);
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('overloaded_error') }),
    ]);
    expect(result.content[0]).toMatchObject({ text: 'Hello there, world' });
  });

  it('retries malformed SSE', async () => {
    const { client } = await setup([
      { ...hello, fault: { type: 'malformed', afterEvents: 2 } },
      hello,
    ]);
    const { events, result } = await drain(client.stream(request));
    expect(retries(events)).toHaveLength(1);
    expect(result.content[0]).toMatchObject({ text: 'Hello there, world' });
  });

  it('gives up after provider.max_retries with a ProviderError naming the cause', async () => {
    const overloaded: ScriptItem = { fault: { type: 'status', status: 529 } };
    const { fake, client } = await setup([overloaded, overloaded, overloaded], { max_retries: 2 });
    const events: LlmStreamEvent[] = [];
    const error = await (async () => {
      try {
        for await (const e of client.stream(request)) events.push(e);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/giving up after 3 tries: 529/);
    expect(retries(events).map((r) => r.retry)).toEqual([1, 2]);
    expect(fake.messageRequests()).toHaveLength(3);
  });

  it('follows the x-should-retry header over the status table', async () => {
    const { fake, client } = await setup([
      { fault: { type: 'status', status: 400, headers: { 'x-should-retry': 'true' } } },
      hello,
    ]);
    const { events } = await drain(client.stream(request));
    expect(retries(events)).toEqual([expect.objectContaining({ retry: 1, status: 400 })]);
    fake.push({ fault: { type: 'status', status: 500, headers: { 'x-should-retry': 'false' } } });
    const error = await drain(client.stream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/request rejected .*500/);
    expect((error as ProviderError).hint).toContain('--resume');
    expect(fake.messageRequests()).toHaveLength(3);
  });

  it('does not retry 401; it is an authentication error with exit 4 and a hint', async () => {
    const { fake, client } = await setup([
      { fault: { type: 'status', status: 401, message: 'invalid x-api-key' } },
    ]);
    const error = await drain(client.stream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect((error as ProviderError).exitCode).toBe(4);
    expect((error as ProviderError).message).toContain('invalid x-api-key');
    expect((error as ProviderError).hint).toContain('ANTHROPIC_API_KEY');
    expect(fake.messageRequests()).toHaveLength(1);
  });

  it('does not retry other 4xx', async () => {
    const { client } = await setup([
      { fault: { type: 'status', status: 400, message: 'model: not found' } },
    ]);
    const error = await drain(client.stream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(AuthenticationFailedError);
    expect((error as Error).message).toContain('400 model: not found');
  });

  it('stops a slow response when the signal fires', async () => {
    const { fake, client } = await setup([{ ...hello, delayMs: 20_000 }]);
    const controller = new AbortController();
    const pending = drain(client.stream(request, { signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    while (fake.messageRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await pending).toBeInstanceOf(LlmAbortedError);
  });

  it('stops waiting between retries when the signal fires', async () => {
    const { client } = await setup(
      [{ fault: { type: 'status', status: 429, retryAfter: 60 } }, hello],
      { retry_max_wait: 60 } as Record<string, number>,
    );
    const controller = new AbortController();
    const gen = client.stream(request, { signal: controller.signal });
    const first = await gen.next();
    expect(first.value).toMatchObject({ type: 'retry', delayMs: 60_000 });
    controller.abort();
    await expect(gen.next()).rejects.toBeInstanceOf(LlmAbortedError);
  });
});
