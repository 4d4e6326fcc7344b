import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/core/agent/events.js';
import { runAgent } from '../../src/core/agent/loop.js';
import type { Config } from '../../src/core/config/schema.js';
import { InputError, ProviderError } from '../../src/core/errors.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import type { TranscriptEntry } from '../../src/core/llm/transcript.js';
import type { LlmClient } from '../../src/core/llm/types.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type ScriptItem,
} from '../support/fake-anthropic.js';
import { drain, shellTool, testConfig, toolContext, writeFileTool } from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const script: ScriptItem[] = [
  { fault: { type: 'status', status: 529 } },
  {
    content: [
      { type: 'text', text: 'Creating the file now, then checking it.' },
      {
        type: 'tool_use',
        id: 'toolu_a',
        name: 'write_file',
        input: { path: 'out.txt', content: 'one\n' },
      },
    ],
    usage: { input_tokens: 300, output_tokens: 40, cache_creation_input_tokens: 200 },
  },
  {
    // The command prints a temp path and a timing: it differs between runs.
    content: [
      {
        type: 'tool_use',
        id: 'toolu_b',
        name: 'shell',
        input: { command: 'pwd; date +%N; cat out.txt' },
      },
    ],
    usage: { input_tokens: 20, output_tokens: 30, cache_read_input_tokens: 500 },
  },
  {
    content: [{ type: 'text', text: 'Done: out.txt holds "one".' }],
    usage: { input_tokens: 30, output_tokens: 12 },
  },
];

async function runWith(client: LlmClient, config: Config, task = 'Write out.txt') {
  const root = tempDir();
  const run = await drain(
    runAgent({
      client,
      tools: [writeFileTool, shellTool],
      toolContext: toolContext(root, config),
      system: 'You are a test agent.',
      task,
      config,
    }),
  );
  return { ...run, root };
}

/** Events minus what legitimately varies: delta chunking and tool durations. */
function comparable(events: AgentEvent[]) {
  return events
    .filter((e) => e.type !== 'text_delta')
    .map((e) => (e.type === 'tool_result' ? { ...e, durationMs: 0 } : e));
}

async function record(): Promise<{ transcript: string; events: AgentEvent[]; config: Config }> {
  fake = await startFakeAnthropic({ script: [...script] });
  const transcript = join(tempDir(), 'run', 'transcript.jsonl');
  const config = testConfig();
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'sk-ant-very-secret', ANTHROPIC_BASE_URL: fake.url },
    transcriptPath: transcript,
  });
  const { events } = await runWith(client, config);
  return { transcript, events, config };
}

describe('record and replay', () => {
  it('records one line per exchange, without keys', async () => {
    const { transcript } = await record();
    const text = readFileSync(transcript, 'utf8');
    expect(text).not.toContain('sk-ant-very-secret');
    expect(text.toLowerCase()).not.toContain('authorization');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TranscriptEntry);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(lines[0]?.request).toMatchObject({ model: 'claude-sonnet-5-5', max_tokens: 16000 });
    expect(lines[0]?.request.messages).toEqual([
      { role: 'user', content: [expect.objectContaining({ text: 'Write out.txt' })] },
    ]);
    expect(lines[0]?.retries).toEqual([expect.objectContaining({ retry: 1, status: 529 })]);
    expect(lines[2]?.response.content[0]).toMatchObject({
      type: 'text',
      text: 'Done: out.txt holds "one".',
    });
  });

  it('redacts the key and token wherever they appear in what is recorded', async () => {
    fake = await startFakeAnthropic({
      script: [{ content: [{ type: 'text', text: 'Your profile sets sk-ant-leaky-key-123.' }] }],
    });
    const transcript = join(tempDir(), 'transcript.jsonl');
    const client = createLlmClient({
      config: testConfig(),
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-leaky-key-123',
        ANTHROPIC_AUTH_TOKEN: 'tok"en-with-quote',
        ANTHROPIC_BASE_URL: fake.url,
      },
      transcriptPath: transcript,
    });
    await drain(
      client.stream({
        system: [{ type: 'text', text: 'test' }],
        messages: [
          {
            role: 'user',
            content: 'cat ~/.profile: export K=sk-ant-leaky-key-123 T=tok"en-with-quote',
          },
        ],
        tools: [],
        max_tokens: 100,
      }),
    );
    const text = readFileSync(transcript, 'utf8');
    expect(text).not.toContain('sk-ant-leaky-key-123');
    expect(text).not.toContain('en-with-quote');
    const entry = JSON.parse(text) as TranscriptEntry;
    expect(entry.request.messages[0]?.content).toBe(
      'cat ~/.profile: export K=[redacted:ANTHROPIC_API_KEY] T=[redacted:ANTHROPIC_AUTH_TOKEN]',
    );
    expect(entry.response.content[0]).toMatchObject({
      text: 'Your profile sets [redacted:ANTHROPIC_API_KEY].',
    });
  });

  it('replays the recorded run offline with the same events and the same files', async () => {
    const recorded = await record();
    await fake?.close();
    fake = undefined;
    const replayClient = createLlmClient({
      config: recorded.config,
      env: {},
      replayPath: recorded.transcript,
      replayDelayMs: 1,
    });
    const replayed = await runWith(replayClient, recorded.config);
    expect(comparable(replayed.events)).toEqual(comparable(recorded.events));
    expect(replayed.events.filter((e) => e.type === 'text_delta').length).toBeGreaterThan(2);
    expect(readFileSync(join(replayed.root, 'out.txt'), 'utf8')).toBe('one\n');
    expect(replayed.result).toMatchObject({
      reason: 'end_turn',
      summary: 'Done: out.txt holds "one".',
    });
  });

  it('fails with a clear divergence message when the run no longer matches', async () => {
    const recorded = await record();
    const client = createLlmClient({
      config: recorded.config,
      env: {},
      replayPath: recorded.transcript,
    });
    const changed = await runWith(client, recorded.config, 'Write a different file');
    expect(changed.result.reason).toBe('provider_error');
    expect(changed.result.error).toContain(
      'transcript diverged at request 1: expected the last message to carry text "Write out.txt", got text "Write a different file"',
    );
  });

  it('names the tool_result it expected when tool ids differ', async () => {
    const recorded = await record();
    const lines = readFileSync(recorded.transcript, 'utf8').trim().split('\n');
    const third = JSON.parse(lines[2] ?? '') as TranscriptEntry;
    // The recording answered another call than the one this run answers.
    const last = third.request.messages.at(-1);
    if (last && Array.isArray(last.content))
      (last.content[0] as { tool_use_id: string }).tool_use_id = 'toolu_X';
    const edited = join(tempDir(), 'edited.jsonl');
    writeFileSync(edited, [lines[0], lines[1], JSON.stringify(third)].join('\n') + '\n');
    const client = createLlmClient({ config: recorded.config, env: {}, replayPath: edited });
    const run = await runWith(client, recorded.config);
    expect(run.result.reason).toBe('provider_error');
    expect(run.result.error).toContain(
      'transcript diverged at request 3: expected the last message to carry tool_result for toolu_X, got tool_result for toolu_b',
    );
  });

  it('fails when the run sends more requests than were recorded', async () => {
    const recorded = await record();
    const lines = readFileSync(recorded.transcript, 'utf8').trim().split('\n');
    const short = join(tempDir(), 'short.jsonl');
    writeFileSync(short, lines.slice(0, 2).join('\n') + '\n');
    const client = createLlmClient({ config: recorded.config, env: {}, replayPath: short });
    const run = await runWith(client, recorded.config);
    expect(run.result.error).toMatch(
      /transcript diverged at request 3: the transcript holds only 2 requests/,
    );
    expect(run.result.error).toContain('tool_result for toolu_b');
  });

  it('rejects a transcript that is not JSONL with file and line', () => {
    const path = join(tempDir(), 'bad.jsonl');
    writeFileSync(path, '{"seq":1}\nnot json\n');
    let error: unknown;
    try {
      createLlmClient({ config: testConfig(), env: {}, replayPath: path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      `${path}:1:1: not a transcript entry (needs request and response)`,
      expect.stringContaining(`${path}:2:1: invalid JSON`),
    ]);
    expect(error).not.toBeInstanceOf(ProviderError);
  });
});
