import { afterEach, describe, expect, it } from 'vitest';
import { admitRequest } from '../../src/core/agent/admission.js';
import { Conversation } from '../../src/core/agent/conversation.js';
import type { AgentEvent } from '../../src/core/agent/events.js';
import { runTurn, type TurnEnv, type TurnOutcome } from '../../src/core/agent/turn.js';
import { AuthenticationFailedError } from '../../src/core/llm/retry.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { costOf } from '../../src/core/llm/pricing.js';
import { emptyUsage, type Usage } from '../../src/core/llm/usage.js';
import { shareOfRun } from '../../src/core/run/parallel/ledger.js';
import type { RunState } from '../../src/core/run/store/state.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type ScriptItem,
} from '../support/fake-anthropic.js';
import { testConfig, writeFileTool } from '../support/test-tools.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A run with a token cap; the ledger reads only its limits and totals. */
function runState(): RunState {
  const state = {
    limits: { maxIterations: 10, tokens: 1_000_000 },
    totals: { usage: emptyUsage(), cost: 0, iterations: 0, commits: 0, elapsedMs: 0 },
  } satisfies Pick<RunState, 'limits' | 'totals'>;
  return state as RunState;
}

/**
 * One turn against the fake server, through the real client, admitted against this
 * agent's share of a run's budget. Records each event with whether another lane saw the
 * request held then.
 */
async function turn(script: ScriptItem[], provider: { max_retries?: number } = {}) {
  fake = await startFakeAnthropic({ script });
  const config = testConfig({ model: 'claude-sonnet-5', provider });
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
  });
  const conversation = new Conversation(
    client,
    { tools: [writeFileTool], system: 'You write files.', task: 'Write a.txt' },
    config.context.compact_threshold,
  );
  const state = runState();
  const other = shareOfRun(state);
  const price = (usage: Usage) => costOf(client.model, usage, config.pricing);
  const env: TurnEnv = { client, conversation, price, signals: {} };
  const spent = { usage: { ...emptyUsage(), input: 10 }, cost: 0.5 };
  const admission = await admitRequest({
    budget: { shared: shareOfRun(state) },
    spent,
    turns: 3,
    maxTurns: 10,
    stopping: () => false,
    inputTokens: conversation.estimate(),
    maxTokens: 2000,
    price,
  });
  if ('stop' in admission) throw new Error(`not admitted: ${admission.stop}`);
  const heldBefore = other.othersHolding();
  const seen: { event: AgentEvent; held: boolean }[] = [];
  const generator = runTurn(env, 4, spent, admission);
  let outcome: TurnOutcome | undefined;
  let thrown: unknown;
  try {
    for (let next = await generator.next(); ; next = await generator.next()) {
      if (next.done) {
        outcome = next.value;
        break;
      }
      seen.push({ event: next.value, held: other.othersHolding() });
    }
  } catch (error) {
    thrown = error;
  }
  const heldAfter = other.othersHolding();
  return { outcome, thrown, seen, conversation, heldBefore, heldAfter, fake };
}

describe('runTurn: one request turn', () => {
  it('streams the request, counts the response, and adds it to the conversation', async () => {
    const { outcome, seen, conversation, heldBefore, heldAfter } = await turn([
      {
        content: [
          { type: 'text', text: 'Writing it.' },
          { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: { path: 'a.txt' } },
        ],
        usage: { input_tokens: 300, output_tokens: 40 },
      },
    ]);
    // Consecutive deltas as one: the fake streams a text in several.
    const order = seen.filter((s, i) => s.event.type !== seen[i - 1]?.event.type);
    expect(order.map((s) => s.event.type)).toEqual([
      'request_start',
      'text_delta',
      'usage',
      'text',
    ]);
    expect(seen[0]?.event).toEqual({
      type: 'request_start',
      turn: 4,
      model: 'claude-sonnet-5',
      messages: 1,
    });
    const usage = { ...emptyUsage(), input: 300, output: 40 };
    expect(order[2]?.event).toMatchObject({
      type: 'usage',
      turn: 4,
      usage,
      total: { ...usage, input: 310 },
    });
    expect(outcome).toMatchObject({
      kind: 'response',
      text: 'Writing it.',
      spent: { usage: { ...usage, input: 310 } },
    });
    if (outcome?.kind !== 'response') throw new Error('no response');
    expect(outcome.spent.cost).toBeCloseTo(0.5 + (300 * 2 + 40 * 10) / 1e6, 10);
    expect(outcome.message.stop_reason).toBe('tool_use');
    // The next request sends the response back as the assistant's message.
    expect(conversation.length).toBe(2);
    expect(conversation.request(1000).messages[1]).toMatchObject({ role: 'assistant' });
    // Held from the admission until the usage event has been taken in, released after it.
    expect(heldBefore).toBe(true);
    expect(seen.map((s) => [s.event.type, s.held])).toEqual(
      seen.map((s) => [s.event.type, s.event.type !== 'text']),
    );
    expect(heldAfter).toBe(false);
  });

  it('sends the max_tokens the admission granted, with the cache breakpoints', async () => {
    const { fake } = await turn([{ content: [{ type: 'text', text: 'ok' }] }]);
    const body = fake.messageRequests()[0]?.body;
    expect(body?.max_tokens).toBe(2000);
    expect(body?.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'text', text: 'Write a.txt', cache_control: { type: 'ephemeral' } }],
      },
    ]);
  });

  it('a request that fails ends the turn as provider_error and releases its hold', async () => {
    const { outcome, seen, heldAfter } = await turn([{ fault: { type: 'status', status: 529 } }], {
      max_retries: 0,
    });
    expect(outcome).toMatchObject({ kind: 'ended', reason: 'provider_error' });
    expect(outcome?.kind === 'ended' && outcome.error).toContain('giving up after 1 try');
    expect(seen.map((s) => s.event.type)).toEqual(['request_start']);
    expect(heldAfter).toBe(false);
  });

  it('a rejected key throws, and the hold is released all the same', async () => {
    const { thrown, heldAfter, conversation } = await turn([
      { fault: { type: 'status', status: 401 } },
    ]);
    expect(thrown).toBeInstanceOf(AuthenticationFailedError);
    expect(heldAfter).toBe(false);
    expect(conversation.length).toBe(1);
  });
});
