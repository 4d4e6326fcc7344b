import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/core/agent/events.js';
import { runAgent, type RunAgentOptions } from '../../src/core/agent/loop.js';
import type { Config } from '../../src/core/config/schema.js';
import { ProviderError } from '../../src/core/errors.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { costOf } from '../../src/core/llm/pricing.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type MessagesBody,
  type ScriptItem,
} from '../support/fake-anthropic.js';
import {
  drain,
  shellTool,
  testConfig,
  throwingTool,
  toolContext,
  writeFileTool,
} from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function attempt(
  script: ScriptItem[],
  options: Partial<RunAgentOptions> & { configInput?: Parameters<typeof testConfig>[0] } = {},
) {
  fake = await startFakeAnthropic({ script });
  const root = tempDir();
  const config: Config = testConfig(options.configInput ?? {});
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
  });
  const { configInput: _c, ...rest } = options;
  const run = await drain(
    runAgent({
      client,
      tools: [writeFileTool, shellTool, throwingTool],
      toolContext: toolContext(root, config),
      system: 'You are a test agent.',
      task: 'Create hello.txt',
      config,
      ...rest,
    }),
  );
  return { ...run, root, fake, config };
}

const types = (events: AgentEvent[]) => events.map((e) => e.type);
const lastUserContent = (body: MessagesBody | undefined) => {
  const last = body?.messages.at(-1);
  return typeof last?.content === 'string'
    ? [{ type: 'text', text: last.content }]
    : (last?.content ?? []);
};
const done: ScriptItem = {
  content: [{ type: 'text', text: 'All done.' }],
  usage: { input_tokens: 50, output_tokens: 10 },
};

describe('runAgent end to end against the fake server', () => {
  it('edits land on disk, command output goes back, usage and cost are summed', async () => {
    const { events, result, root, fake, config } = await attempt([
      {
        content: [
          { type: 'text', text: 'I will create the file.' },
          {
            type: 'tool_use',
            id: 'toolu_1',
            name: 'write_file',
            input: { path: 'hello.txt', content: 'hi\n' },
          },
        ],
        usage: { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 500 },
      },
      {
        content: [
          {
            type: 'tool_use',
            id: 'toolu_2',
            name: 'shell',
            input: { command: 'cat hello.txt; echo marker-42' },
          },
        ],
        usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1500 },
      },
      done,
    ]);
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('hi\n');
    const requests = fake.messageRequests();
    expect(requests).toHaveLength(3);
    expect(lastUserContent(requests[1]?.body)).toEqual([
      expect.objectContaining({
        type: 'tool_result',
        tool_use_id: 'toolu_1',
        content: 'Wrote 3 characters to hello.txt.',
      }),
    ]);
    expect(lastUserContent(requests[2]?.body)).toEqual([
      expect.objectContaining({
        type: 'tool_result',
        tool_use_id: 'toolu_2',
        content: 'hi\nmarker-42\n',
      }),
    ]);
    expect(result).toMatchObject({
      type: 'attempt_end',
      reason: 'end_turn',
      summary: 'All done.',
      turns: 3,
    });
    expect(result.usage).toEqual({ input: 1150, output: 160, cacheWrite: 500, cacheRead: 1500 });
    const expectedCost = costOf('claude-sonnet-5-5', result.usage, config.pricing);
    expect(result.cost).toBeCloseTo(expectedCost ?? -1, 10);
    expect(result.cost).toBeCloseTo((1150 * 2 + 160 * 10 + 500 * 2.5 + 1500 * 0.1) / 1e6, 10);
    expect(events.at(-1)).toEqual(result);
    expect(types(events).slice(0, 9)).toEqual([
      'request_start',
      'text_delta',
      'text_delta',
      'usage',
      'text',
      'tool_call',
      'tool_result',
      'turn_end',
      'request_start',
    ]);
    const call = events.find((e) => e.type === 'tool_call');
    expect(call).toMatchObject({ name: 'write_file', summary: 'write hello.txt', turn: 1 });
    const usages = events.filter((e) => e.type === 'usage');
    expect(usages.at(-1)).toMatchObject({ total: result.usage, totalCost: result.cost });
  });

  it('splits a system prompt with a task into a cached stable block and the task', async () => {
    const { buildSystemPrompt } = await import('../../src/core/agent/prompt.js');
    const { systemBlocks } = await import('../../src/core/agent/request.js');
    const system = buildSystemPrompt({
      analysisSummary: 'TypeScript, npm',
      spec: { id: 'x', title: 'Do x', body: '## Objective\nDo x.', file: 'specs/x.md' },
      checks: ['test'],
      previousAttempts: [],
    });
    const blocks = systemBlocks(system);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(blocks[0]?.text).toContain('<project>');
    expect(blocks[0]?.text).not.toContain('<task');
    expect(blocks[1]?.cache_control).toBeUndefined();
    expect(blocks[1]?.text.startsWith('<task id="x"')).toBe(true);
    expect(blocks.map((b) => b.text).join('\n\n')).toBe(system);
  });

  it('puts cache breakpoints on the last tool, the system block and the latest message only', async () => {
    const { fake } = await attempt([
      { content: [{ type: 'tool_use', id: 'toolu_1', name: 'shell', input: { command: 'true' } }] },
      done,
    ]);
    const body = fake.messageRequests()[1]?.body;
    expect(body?.tools?.map((t) => Boolean(t.cache_control))).toEqual([false, false, true]);
    expect(Array.isArray(body?.system) && body.system[0]?.cache_control).toEqual({
      type: 'ephemeral',
    });
    const marked = body?.messages.flatMap((m, i) =>
      typeof m.content === 'string' ? [] : m.content.filter((b) => b.cache_control).map(() => i),
    );
    expect(marked).toEqual([2]);
    expect(body?.tools?.[0]).toMatchObject({ name: 'write_file' });
  });

  it('stops before the next request when the USD budget is spent', async () => {
    const { result, fake } = await attempt(
      [
        {
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'shell', input: { command: 'true' } }],
          usage: { input_tokens: 1_000_000, output_tokens: 0 },
        },
        done,
      ],
      { budget: { usd: 1.5 } },
    );
    expect(result.reason).toBe('budget_usd');
    expect(result.cost).toBe(2);
    expect(fake.messageRequests()).toHaveLength(1);
  });

  it('counts spent tokens of earlier attempts against the token budget', async () => {
    const { result, fake } = await attempt([done], { budget: { tokens: 100, spentTokens: 100 } });
    expect(result).toMatchObject({ reason: 'budget_tokens', turns: 0 });
    expect(fake.messageRequests()).toHaveLength(0);
  });

  it('stops at the deadline before any request', async () => {
    const { result, fake } = await attempt([done], { budget: { deadline: Date.now() - 1 } });
    expect(result).toMatchObject({ reason: 'budget_time', turns: 0 });
    expect(fake.messageRequests()).toHaveLength(0);
  });

  it('never treats an unknown price as zero: the USD budget cannot stop it, the cost stays unknown', async () => {
    const { result, events } = await attempt(
      [
        {
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'shell', input: { command: 'true' } }],
          usage: { input_tokens: 5_000_000 },
        },
        done,
      ],
      { budget: { usd: 0.01 }, configInput: { model: 'my-local-model' } },
    );
    expect(result.reason).toBe('end_turn');
    expect(result.cost).toBeNull();
    expect(events.find((e) => e.type === 'usage')).toMatchObject({ cost: null, totalCost: null });
  });

  it('ends with max_turns', async () => {
    fake = await startFakeAnthropic({
      script: (_req, i) => ({
        content: [
          { type: 'tool_use', id: `toolu_${i}`, name: 'shell', input: { command: `echo ${i}` } },
        ],
      }),
    });
    const root = tempDir();
    const config = testConfig({ max_turns: 3 });
    const client = createLlmClient({
      config,
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url },
    });
    const { result } = await drain(
      runAgent({
        client,
        tools: [shellTool],
        toolContext: toolContext(root, config),
        system: 's',
        task: 't',
        config,
      }),
    );
    expect(result).toMatchObject({ reason: 'max_turns', turns: 3 });
    expect(fake.messageRequests()).toHaveLength(3);
  });
});

describe('runAgent stop reasons', () => {
  it('continues after max_tokens by asking the model to go on', async () => {
    const { result, fake } = await attempt([
      { content: [{ type: 'text', text: 'First half' }], stop_reason: 'max_tokens' },
      { content: [{ type: 'text', text: 'second half.' }] },
    ]);
    expect(result).toMatchObject({ reason: 'end_turn', turns: 2, summary: 'second half.' });
    const second = fake.messageRequests()[1]?.body;
    expect(second?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(lastUserContent(second))).toContain('cut off by the output token limit');
  });

  it('answers a tool call cut off by max_tokens with an error instead of running it', async () => {
    const { result, fake, root } = await attempt([
      {
        content: [
          { type: 'tool_use', id: 'toolu_cut', name: 'write_file', input: { path: 'half.txt' } },
        ],
        stop_reason: 'max_tokens',
      },
      done,
    ]);
    expect(result.reason).toBe('end_turn');
    expect(existsSync(join(root, 'half.txt'))).toBe(false);
    expect(lastUserContent(fake.messageRequests()[1]?.body)).toEqual([
      expect.objectContaining({ tool_use_id: 'toolu_cut', is_error: true }),
    ]);
  });

  it('resends after pause_turn with the paused content as the last message', async () => {
    const { result, fake } = await attempt([
      { content: [{ type: 'text', text: 'Working on it' }], stop_reason: 'pause_turn' },
      done,
    ]);
    expect(result).toMatchObject({ reason: 'end_turn', turns: 2 });
    const second = fake.messageRequests()[1]?.body;
    expect(second?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('keeps empty and whitespace-only text blocks out of the history it sends back', async () => {
    const { result, fake } = await attempt([
      {
        content: [
          { type: 'text', text: '' },
          { type: 'text', text: ' \n' },
          { type: 'tool_use', name: 'write_file', input: { path: 'a.txt', content: 'a' } },
        ],
      },
      done,
    ]);
    expect(result).toMatchObject({ reason: 'end_turn', turns: 2 });
    const assistant = fake.messageRequests()[1]?.body.messages[1];
    expect(assistant?.role).toBe('assistant');
    expect((assistant?.content as { type: string }[]).map((b) => b.type)).toEqual(['tool_use']);
  });

  it('ends with refusal', async () => {
    const { result } = await attempt([
      { content: [{ type: 'text', text: 'I cannot help.' }], stop_reason: 'refusal' },
    ]);
    expect(result).toMatchObject({ reason: 'refusal', summary: 'I cannot help.' });
    expect(result.error).toContain('refusal');
  });

  it('stops a loop of identical calls with identical results', async () => {
    const same = (i: number): ScriptItem => ({
      content: [
        { type: 'tool_use', id: `toolu_${i}`, name: 'shell', input: { command: 'echo same' } },
      ],
    });
    const run = await attempt([same(1), same(2), same(3), same(4), done]);
    expect(run.result.reason).toBe('tool_loop');
    expect(run.result.error).toContain('3 times');
    expect(run.fake.messageRequests()).toHaveLength(3);
  });

  it('answers malformed tool input, unknown tools and throwing tools with is_error results', async () => {
    const { result, fake, events } = await attempt([
      {
        content: [
          {
            type: 'tool_use',
            id: 'toolu_bad',
            name: 'write_file',
            rawJson: '{"path": "a.txt", "content": nope}',
          },
          { type: 'tool_use', id: 'toolu_wrong', name: 'write_file', input: { path: 42 } },
          { type: 'tool_use', id: 'toolu_unknown', name: 'teleport', input: {} },
          { type: 'tool_use', id: 'toolu_boom', name: 'explode', input: {} },
        ],
      },
      done,
    ]);
    expect(result.reason).toBe('end_turn');
    const results = lastUserContent(fake.messageRequests()[1]?.body) as unknown as {
      tool_use_id: string;
      is_error?: boolean;
      content: string;
    }[];
    expect(results.map((r) => [r.tool_use_id, r.is_error])).toEqual([
      ['toolu_bad', true],
      ['toolu_wrong', true],
      ['toolu_unknown', true],
      ['toolu_boom', true],
    ]);
    expect(results[0]?.content).toContain('not valid JSON');
    expect(results[1]?.content).toContain('needs string fields');
    expect(results[2]?.content).toContain('"teleport"');
    expect(results[3]?.content).toContain('kaboom');
    expect(
      events
        .filter((e) => e.type === 'tool_result')
        .every((e) => e.type === 'tool_result' && !e.ok),
    ).toBe(true);
  });

  it('reports exhausted retries as provider_error, and 401 as a thrown ProviderError', async () => {
    const over: ScriptItem = { fault: { type: 'status', status: 529 } };
    const { result, events } = await attempt([over, over], {
      configInput: { provider: { max_retries: 1 } },
    });
    expect(result.reason).toBe('provider_error');
    expect(result.error).toContain('giving up after 2 tries');
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({ type: 'retry', turn: 1, retry: 1, status: 529 }),
    ]);
    await fake?.close();
    const denied = await attempt([{ fault: { type: 'status', status: 401 } }]).catch(
      (e: unknown) => e,
    );
    expect(denied).toBeInstanceOf(ProviderError);
    expect((denied as ProviderError).exitCode).toBe(4);
  });

  it('ends as aborted when the signal fires during a slow response', async () => {
    const controller = new AbortController();
    fake = await startFakeAnthropic({ script: [{ ...done, delayMs: 20_000 }] });
    const root = tempDir();
    const config = testConfig();
    const client = createLlmClient({
      config,
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url },
    });
    const pending = drain(
      runAgent({
        client,
        tools: [],
        toolContext: toolContext(root, config),
        system: 's',
        task: 't',
        config,
        signal: controller.signal,
      }),
    );
    while (fake.messageRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await pending).result.reason).toBe('aborted');
  });

  it('stopAfterTool finishes the current call, then ends as aborted', async () => {
    let stop = false;
    const stopper = {
      ...writeFileTool,
      run: async (...args: Parameters<typeof writeFileTool.run>) => {
        const outcome = await writeFileTool.run(...args);
        stop = true; // e.g. the user pressed q while this call ran
        return outcome;
      },
    };
    const { result, root, events, fake } = await attempt(
      [
        {
          content: [
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'write_file',
              input: { path: 'one.txt', content: '1' },
            },
            {
              type: 'tool_use',
              id: 'toolu_2',
              name: 'write_file',
              input: { path: 'two.txt', content: '2' },
            },
          ],
        },
        done,
      ],
      { stopAfterTool: () => stop, tools: [stopper] },
    );
    expect(result.reason).toBe('aborted');
    expect(existsSync(join(root, 'one.txt'))).toBe(true);
    expect(existsSync(join(root, 'two.txt'))).toBe(false);
    expect(events.filter((e) => e.type === 'tool_call')).toHaveLength(1);
    expect(fake.messageRequests()).toHaveLength(1);
  });
});

describe('compaction', () => {
  it('replaces old tool outputs with placeholders once the context passes the threshold', async () => {
    const big = (i: number): ScriptItem => ({
      content: [
        {
          type: 'tool_use',
          id: `toolu_${i}`,
          name: 'shell',
          input: { command: `printf 'x%.0s' $(seq 1 400); echo ${i}` },
        },
      ],
      usage: { input_tokens: i < 5 ? 1000 : 150_000 },
    });
    const { events, fake, result } = await attempt([big(1), big(2), big(3), big(4), big(5), done], {
      configInput: { model: 'claude-haiku-4-5', context: { compact_threshold: 0.5 } },
    });
    expect(result.reason).toBe('end_turn');
    const compaction = events.find((e) => e.type === 'compaction');
    expect(compaction).toMatchObject({ type: 'compaction', turn: 5, compacted: 2 });
    // The estimate: the last response's prompt and output, plus the tool output added since.
    if (compaction?.type !== 'compaction') throw new Error('no compaction');
    expect(compaction.beforeTokens).toBeGreaterThan(150_005);
    expect(compaction.beforeTokens).toBeLessThan(150_005 + 200);
    const last = fake.messageRequests().at(-1)?.body;
    const contents = last?.messages.flatMap((m) =>
      typeof m.content === 'string'
        ? []
        : m.content.filter((b) => b.type === 'tool_result').map((b) => String(b.content)),
    );
    expect(contents?.[0]).toMatch(/^\[output of `\$ printf .*` compacted: 402 chars\]$/);
    expect(contents?.[1]).toContain('compacted');
    expect(contents?.slice(2).every((c) => c.startsWith('xxxx'))).toBe(true);
    expect(contents).toHaveLength(5);
  });

  it('on model_context_window_exceeded compacts, answers the cut-off tool call and goes on', async () => {
    const call = (id: string, stop?: 'model_context_window_exceeded'): ScriptItem => ({
      content: [
        {
          type: 'tool_use',
          id,
          name: 'shell',
          input: { command: `printf 'y%.0s' $(seq 1 300); echo ${id}` },
        },
      ],
      ...(stop ? { stop_reason: stop } : {}),
    });
    const { events, fake, result } = await attempt([
      call('toolu_a'),
      call('toolu_b'),
      call('toolu_cut', 'model_context_window_exceeded'),
      done,
    ]);
    expect(result).toMatchObject({ reason: 'end_turn', turns: 4 });
    expect(events.filter((e) => e.type === 'compaction')).toEqual([
      expect.objectContaining({ turn: 3, compacted: 1 }),
    ]);
    // The cut-off call was not run, but answered so that the next request is valid.
    expect(events.filter((e) => e.type === 'tool_call').map((e) => e.id)).toEqual([
      'toolu_a',
      'toolu_b',
    ]);
    expect(lastUserContent(fake.messageRequests()[3]?.body)).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_cut', is_error: true }),
    ]);
  });
});
