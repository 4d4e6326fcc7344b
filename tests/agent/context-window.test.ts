import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/core/agent/events.js';
import { runAgent } from '../../src/core/agent/loop.js';
import type { ConfigInput } from '../../src/core/config/schema.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { parseContextOverflow } from '../../src/core/llm/overflow.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type Responder,
  type ScriptedReply,
} from '../support/fake-anthropic.js';
import { drain, testConfig, textTool, toolContext } from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** `read {n}`: returns n KB of text, like reading a large file. */
const readTool = textTool({
  name: 'read',
  description: 'Read a big file',
  properties: ['n'],
  summarize: ({ n }) => `read ${String(n)}`,
  text: ({ n = 0 }) => {
    const line = `line ${n} of a big file, with some text on it\n`;
    return line.repeat(Math.ceil((n * 1000) / line.length)).slice(0, n * 1000);
  },
  display: ({ n }) => `read ${String(n)} KB`,
});

/** Calls `read` `reads` times (each a different n, so no repeat guard), then finishes. */
function reader(reads: number, kb: number): Responder {
  let calls = 0;
  return (): ScriptedReply => {
    calls += 1;
    if (calls > reads) return { content: [{ type: 'text', text: 'Read them all.' }] };
    return {
      content: [{ type: 'tool_use', name: 'read', input: { n: kb + calls / 1000 } }],
      usage: { output_tokens: 20 },
    };
  };
}

async function attempt(script: Responder, window: number | undefined, input: ConfigInput = {}) {
  fake = await startFakeAnthropic({ script, ...(window ? { context: { window } } : {}) });
  const config = testConfig({ model: 'claude-haiku-4-5', max_turns: 200, ...input });
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
  });
  const run = await drain(
    runAgent({
      client,
      tools: [readTool],
      toolContext: toolContext(tempDir(), config),
      system: 'You read files.',
      task: 'Read the files.',
      config,
    }),
  );
  return { ...run, client };
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe('the context window', () => {
  it('recovers from "prompt is too long": learns the window, compacts, sends again, finishes', async () => {
    // The table says 200k for this model; the server's window is 20k.
    const { events, result, client } = await attempt(reader(30, 6), 20_000);
    expect(result.reason).toBe('end_turn');
    expect(fake?.context?.rejected).toHaveLength(1);
    // The client keeps what was learned: the run's next attempt starts below the window.
    expect(client.contextWindow).toBe(20_000);
    const retry = ofType(events, 'retry');
    expect(retry).toEqual([
      expect.objectContaining({ status: 400, reason: expect.stringMatching(/20000 tokens/) }),
    ]);
    // After learning, compaction keeps every later request under the window.
    expect(ofType(events, 'compaction').length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...(fake?.context?.promptSizes ?? []))).toBeLessThanOrEqual(20_000);
  });

  it('context.window keeps every request under it, compacting in large steps', async () => {
    const { events, result } = await attempt(reader(30, 6), 20_000, {
      context: { window: 20_000 },
    });
    expect(result.reason).toBe('end_turn');
    expect(fake?.context?.rejected).toEqual([]);
    const sizes = fake?.context?.promptSizes ?? [];
    expect(sizes).toHaveLength(31);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20_000 * 0.6 + 2000);
    // Down to the low-water mark (half the threshold) each time, so it happens rarely:
    // far fewer compactions than tool results.
    const compactions = ofType(events, 'compaction');
    expect(compactions.length).toBeGreaterThanOrEqual(2);
    expect(compactions.length).toBeLessThanOrEqual(10);
    for (const c of compactions) expect(c.afterTokens).toBeLessThanOrEqual(20_000 * 0.3 + 2000);
  });

  it('a prompt that cannot be compacted enough ends as a provider error that says what to set', async () => {
    const { result } = await attempt(reader(3, 1), 100);
    expect(result.reason).toBe('provider_error');
    expect(result.error).toMatch(/prompt is too long: \d+ tokens > 100 maximum/);
    expect(result.error).toMatch(/set context\.window to 100 or less/);
  });
});

describe('parseContextOverflow', () => {
  it('reads the wordings servers use for a prompt longer than the window', () => {
    expect(parseContextOverflow(400, 'prompt is too long: 202489 tokens > 200000 maximum')).toEqual(
      { tokens: 202489, maximum: 200000 },
    );
    expect(
      parseContextOverflow(
        400,
        "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens.",
      ),
    ).toEqual({ maximum: 131072, tokens: 140000 });
    expect(parseContextOverflow(413, 'input is too long for the context window')).toEqual({});
  });

  it('leaves other refusals alone', () => {
    expect(
      parseContextOverflow(
        400,
        'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens',
      ),
    ).toBeUndefined();
    expect(parseContextOverflow(400, 'model: not a valid model id')).toBeUndefined();
    expect(parseContextOverflow(429, 'prompt is too long: 5 tokens > 4 maximum')).toBeUndefined();
  });
});
