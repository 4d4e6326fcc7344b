import { afterEach, describe, expect, it } from 'vitest';
import { MIN_OUTPUT_TOKENS, reserveRequest } from '../../src/core/agent/budget.js';
import { runAgent } from '../../src/core/agent/loop.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { costOf } from '../../src/core/llm/pricing.js';
import { addUsage, emptyUsage, totalTokens, type Usage } from '../../src/core/llm/usage.js';
import { shareOfRun } from '../../src/core/run/parallel/ledger.js';
import type { RunState } from '../../src/core/run/store/state.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type RecordedRequest,
  type ScriptedReply,
} from '../support/fake-anthropic.js';
import { drain, testConfig, textTool, toolContext } from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const MODEL = 'claude-sonnet-5'; // $2 in, $10 out, $2.50 cache write, $0.20 cache read
const price = (usage: Usage) => costOf(MODEL, usage, {});

/** A small deterministic PRNG, so that a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `echo {n}`: returns n characters. */
const echoTool = textTool({
  name: 'echo',
  description: 'Echo n characters',
  properties: ['n'],
  summarize: ({ n }) => `echo ${String(n)}`,
  text: ({ n }) => 'e'.repeat(Number(n)),
  display: () => 'echo',
});

describe('reserveRequest', () => {
  const spent = { usage: emptyUsage(), cost: 0 };
  it('leaves the request alone when the caps pay for its worst case', () => {
    expect(
      reserveRequest(
        { usd: 10, tokens: 1e6 },
        spent,
        { inputTokens: 5000, maxTokens: 8000 },
        price,
      ),
    ).toEqual({ maxTokens: 8000 });
  });

  it('lowers max_tokens to what the cap still pays for', () => {
    // $0.05 left; 5000 prompt tokens at the cache-write price cost $0.0125; output $10/M.
    const r = reserveRequest({ usd: 0.05 }, spent, { inputTokens: 5000, maxTokens: 8000 }, price);
    expect(r).toEqual({ maxTokens: Math.floor((0.05 - 0.0125) / 10e-6) });
    const t = reserveRequest(
      { tokens: 9000 },
      spent,
      { inputTokens: 5000, maxTokens: 8000 },
      price,
    );
    expect(t).toEqual({ maxTokens: 4000 });
  });

  it('stops before sending when the cap leaves fewer than the minimum output tokens', () => {
    const usd = 0.0125 + (MIN_OUTPUT_TOKENS - 1) * 10e-6;
    expect(reserveRequest({ usd }, spent, { inputTokens: 5000, maxTokens: 8000 }, price)).toEqual({
      stop: 'budget_usd',
    });
    expect(
      reserveRequest(
        { tokens: 5000 + MIN_OUTPUT_TOKENS - 1 },
        spent,
        { inputTokens: 5000, maxTokens: 8000 },
        price,
      ),
    ).toEqual({ stop: 'budget_tokens' });
  });

  it('cannot enforce an unknown price, and does not pretend to', () => {
    const unknown = () => null;
    expect(
      reserveRequest({ usd: 0.001 }, spent, { inputTokens: 5000, maxTokens: 8000 }, unknown),
    ).toEqual({
      maxTokens: 8000,
    });
  });
});

describe('caps that hold', () => {
  it('over 20 randomized runs, spend never passes the cap by more than one request’s worst case', async () => {
    let lowered = 0;
    for (let run = 0; run < 20; run++) {
      const seed = 1000 + run;
      const rand = random(seed);
      const byTokens = run % 2 === 1;
      const cap = byTokens ? Math.round(50_000 + rand() * 300_000) : 0.05 + rand() * 0.3;

      const model = (request: RecordedRequest): ScriptedReply => {
        const wanted = Math.round(50 + rand() * 6000);
        const allowed = request.body.max_tokens ?? 0;
        const cut = wanted > allowed;
        return {
          content: [
            { type: 'text', text: `step ${rand()}` },
            { type: 'tool_use', name: 'echo', input: { n: Math.round(rand() * 8000) } },
          ],
          ...(cut ? { stop_reason: 'max_tokens' as const } : {}),
          usage: { output_tokens: cut ? allowed : wanted },
        };
      };
      fake = await startFakeAnthropic({ script: model, context: {} });
      const config = testConfig({ model: MODEL, max_turns: 500, max_output_tokens: 8000 });
      const client = createLlmClient({
        config,
        env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
      });
      const { result } = await drain(
        runAgent({
          client,
          tools: [echoTool],
          toolContext: toolContext(tempDir(), config),
          system: 'You spend money.',
          task: `Run ${run}.`,
          config,
          budget: byTokens ? { tokens: cap } : { usd: cap },
        }),
      );
      const biggestPrompt = Math.max(...(fake.context?.promptSizes ?? [0]));
      const sent = fake.messageRequests();
      await fake.close();
      fake = undefined;
      const worstCase = { ...emptyUsage(), cacheWrite: biggestPrompt, output: 8000 };
      const where = `run ${run} (seed ${seed}, cap ${cap})`;
      expect(result.reason, where).toBe(byTokens ? 'budget_tokens' : 'budget_usd');
      if (byTokens) {
        expect(totalTokens(result.usage), where).toBeLessThanOrEqual(cap + totalTokens(worstCase));
      } else {
        expect(result.cost, where).not.toBeNull();
        expect(result.cost ?? 0, where).toBeLessThanOrEqual(cap + (price(worstCase) ?? 0));
      }
      // Stronger than the promise, because the fake counts tokens as mmm estimates them
      // (4 characters each): the reservation keeps spend under the cap itself.
      const spentNow = byTokens ? totalTokens(result.usage) : (result.cost ?? 0);
      expect(spentNow, where).toBeLessThanOrEqual(cap);
      lowered += sent.filter((r) => (r.body.max_tokens ?? 0) < 8000).length;
    }
    // The last request of a run often got fewer output tokens to stay within its cap.
    expect(lowered).toBeGreaterThan(5);
  });

  it('two agents sharing a cap with room for one request: the second is sent once the first settled', async () => {
    fake = await startFakeAnthropic({
      script: () => ({
        content: [{ type: 'text', text: 'Done.' }],
        usage: { input_tokens: 100, output_tokens: 50 },
      }),
    });
    const config = testConfig({ model: MODEL, max_output_tokens: 8000 });
    // A prompt of about 100 tokens and 8000 output tokens fit once under 9000, not twice.
    const state = {
      limits: { maxIterations: 10, tokens: 9000 },
      totals: { usage: emptyUsage(), cost: 0, iterations: 0, commits: 0, elapsedMs: 0 },
    } satisfies Pick<RunState, 'limits' | 'totals'>;
    const agent = () =>
      runAgent({
        client: createLlmClient({
          config,
          env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake?.url },
        }),
        tools: [echoTool],
        toolContext: toolContext(tempDir(), config),
        system: 'You share.',
        task: 'Say done.',
        config,
        budget: { shared: shareOfRun(state as RunState) },
      });
    const order: string[] = [];
    // Drives one agent as a run's agent step does: its usage goes into the run's totals.
    const drive = async (name: string, gen: ReturnType<typeof agent>) => {
      for (let next = await gen.next(); !next.done; next = await gen.next()) {
        const event = next.value;
        order.push(`${name} ${event.type}`);
        if (event.type === 'usage') state.totals.usage = addUsage(state.totals.usage, event.usage);
      }
    };
    await Promise.all([drive('a', agent()), drive('b', agent())]);
    const at = (entry: string) => order.indexOf(entry);
    expect(at('a request_start')).toBeGreaterThanOrEqual(0);
    expect(at('b request_start')).toBeGreaterThan(at('a usage'));
    expect(order.filter((e) => e.endsWith('attempt_end'))).toHaveLength(2);
    expect(fake.messageRequests().map((r) => r.body.max_tokens)).toEqual([8000, 8000]);
  });
});
