import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/core/agent/loop.js';
import { InputError } from '../../src/core/errors.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { readTranscript } from '../../src/core/llm/transcript.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type ScriptedReply,
} from '../support/fake-anthropic.js';
import { drain, testConfig, textTool, toolContext } from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** `out {n, i}`: returns n characters naming call i. */
const outTool = textTool({
  name: 'out',
  description: 'Print n characters',
  properties: ['n', 'i'],
  summarize: (input) => `out ${JSON.stringify(input)}`,
  text: ({ n = 0, i }) => `${String(i)}:`.padEnd(n, 'o'),
  display: () => 'out',
});

function model(turns: number, size: number) {
  let calls = 0;
  return (): ScriptedReply => {
    calls += 1;
    if (calls > turns) return { content: [{ type: 'text', text: 'Done.' }] };
    return {
      content: [
        { type: 'text', text: `Turn ${calls}.` },
        { type: 'tool_use', id: `toolu_${calls}`, name: 'out', input: { n: size, i: calls } },
      ],
    };
  };
}

async function record(turns: number, size: number, configInput = {}, window?: number) {
  fake = await startFakeAnthropic({
    script: model(turns, size),
    context: window ? { window } : {},
  });
  const dir = tempDir();
  const path = join(dir, 'transcript.jsonl');
  const config = testConfig({ model: 'claude-haiku-4-5', max_turns: 1000, ...configInput });
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
    transcriptPath: path,
  });
  const run = await drain(
    runAgent({
      client,
      tools: [outTool],
      toolContext: toolContext(dir, config),
      system: 'You print.',
      task: 'Print things.',
      config,
    }),
  );
  const sent = fake.messageRequests().map((r) => r.body);
  await fake.close();
  fake = undefined;
  return { ...run, path, sent, config, dir };
}

describe('linear transcripts', () => {
  it('store each turn once, and read back as the whole requests that were sent, compaction included', async () => {
    const { path, sent, events } = await record(30, 2000, { context: { window: 8000 } });
    expect(events.filter((e) => e.type === 'compaction').length).toBeGreaterThanOrEqual(2);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            from?: { seq: number; keep: number };
            request: { system?: unknown; tools?: unknown };
          },
      );
    expect(lines[0]?.from).toBeUndefined();
    expect(lines.slice(1).every((l) => l.from !== undefined)).toBe(true);
    expect(
      lines.slice(1).every((l) => l.request.system === undefined && l.request.tools === undefined),
    ).toBe(true);
    const entries = readTranscript(path);
    expect(entries).toHaveLength(sent.length);
    entries.forEach((entry, i) => {
      const body = sent[i];
      expect(entry.request.messages).toEqual(body?.messages);
      expect(entry.request.system).toEqual(body?.system);
      expect(entry.request.tools).toEqual(body?.tools);
    });
  });

  it('grow linearly: bytes per turn stay flat from 10 to 80 turns', async () => {
    const short = await record(10, 3000);
    const long = await record(80, 3000);
    const perTurn = (r: { path: string; sent: unknown[] }) =>
      readFileSync(r.path).length / r.sent.length;
    expect(perTurn(long) / perTurn(short)).toBeLessThan(1.3);
    // Each result is stored once: whole requests would hold 80 results on a line of turn 80,
    // and storing again the message that carried the cache breakpoint, two.
    expect(perTurn(long)).toBeLessThan(2 * 3000);
  });

  it('replay from a linear transcript runs the same attempt offline', async () => {
    const { path, config, dir, result } = await record(6, 500);
    const replay = createLlmClient({ config, env: {}, replayPath: path });
    const again = await drain(
      runAgent({
        client: replay,
        tools: [outTool],
        toolContext: toolContext(dir, config),
        system: 'You print.',
        task: 'Print things.',
        config,
      }),
    );
    expect(again.result).toMatchObject({ reason: 'end_turn', turns: result.turns });
  });

  it('still reads transcripts of whole requests, and names a line that refers to nothing', () => {
    const dir = tempDir();
    const path = join(dir, 'old.jsonl');
    const request = (messages: unknown[]) => ({
      model: 'm',
      system: [{ type: 'text', text: 's' }],
      tools: [],
      max_tokens: 10,
      messages,
    });
    const response = { id: 'x', type: 'message', role: 'assistant', content: [], usage: {} };
    const user = { role: 'user', content: 'hi' };
    const old = [
      { seq: 1, t: 'now', request: request([user]), response },
      {
        seq: 2,
        t: 'now',
        request: request([user, { role: 'assistant', content: 'yo' }]),
        response,
      },
    ];
    writeFileSync(path, old.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(readTranscript(path).map((e) => e.request.messages.length)).toEqual([1, 2]);

    const broken = {
      seq: 3,
      t: 'now',
      request: { model: 'm', max_tokens: 1, messages: [] },
      response,
      from: { seq: 9, keep: 1 },
    };
    writeFileSync(path, [...old, broken].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const error = (() => {
      try {
        readTranscript(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      `${path}:3:1: refers to request 9, which no earlier line holds`,
    ]);
  });
});
