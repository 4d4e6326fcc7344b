import { isDeepStrictEqual } from 'node:util';
import { ProviderError } from '../errors.js';
import { contextWindow } from './pricing.js';
import { sleep } from './retry.js';
import { readTranscript, type TranscriptEntry, type TranscriptRequest } from './transcript.js';
import {
  LlmAbortedError,
  type LlmClient,
  type LlmRequest,
  type LlmStreamEvent,
  type LlmStreamOptions,
  type Message,
  type MessageParam,
} from './types.js';

export interface ReplayOptions {
  path: string;
  model: string;
  toolSchema: 'anthropic' | 'custom';
  /** Pause between streamed text chunks (ms). */
  delayMs: number;
  /** config `context.window`, when set (compaction must decide as in the recording). */
  contextWindow?: number;
}

/** A client that serves a recorded transcript in order, without network. */
export function createReplayClient(options: ReplayOptions): LlmClient {
  const entries = readTranscript(options.path);
  let next = 0;
  const model = entries[0]?.request.model ?? options.model;
  return {
    model,
    toolSchema: recordedToolSchema(entries) ?? options.toolSchema,
    contextWindow: options.contextWindow ?? contextWindow(model),
    async *stream(
      request: LlmRequest,
      streamOptions: LlmStreamOptions = {},
    ): AsyncGenerator<LlmStreamEvent, Message> {
      const { signal } = streamOptions;
      if (signal?.aborted) throw new LlmAbortedError();
      const index = next;
      const entry = entries[index];
      const actual: TranscriptRequest = { model, ...request };
      if (!entry) {
        throw divergence(
          index,
          `the transcript holds only ${entries.length} request${entries.length === 1 ? '' : 's'}; ` +
            `this run sent one more (${describeLast(actual.messages)})`,
        );
      }
      const problem = compareRequests(entry.request, actual);
      if (problem) throw divergence(index, problem);
      next += 1;
      for (const retry of entry.retries ?? []) yield { type: 'retry', ...retry };
      for (const block of entry.response.content) {
        if (block.type !== 'text') continue;
        for (const chunk of chunkText(block.text)) {
          if (options.delayMs > 0) {
            try {
              await sleep(options.delayMs, signal);
            } catch {
              throw new LlmAbortedError();
            }
          }
          if (signal?.aborted) throw new LlmAbortedError();
          yield { type: 'text_delta', text: chunk };
        }
      }
      yield { type: 'message', message: entry.response };
      return entry.response;
    },
  };
}

/** Declares tools the way the recording did, whatever the current base URL. */
function recordedToolSchema(entries: TranscriptEntry[]): 'anthropic' | 'custom' | undefined {
  const tools = entries[0]?.request.tools;
  if (!tools?.length) return undefined;
  return tools.some((t) => 'input_schema' in t) ? 'custom' : 'anthropic';
}

function divergence(index: number, detail: string): ProviderError {
  return new ProviderError(`transcript diverged at request ${index + 1}: ${detail}`, {
    hint: 'the code, spec or prompt changed since the transcript was recorded; record it again',
  });
}

/** Splits text into word-boundary chunks of about 24 characters. */
export function chunkText(text: string): string[] {
  return text.match(/[\s\S]{1,24}(?:\s+|$)|[\s\S]{1,24}/g) ?? [];
}

type Block = Record<string, unknown> & { type: string };

function blocksOf(message: MessageParam): Block[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : (message.content as unknown as Block[]);
}

function clip(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function describeBlock(block: Block | undefined): string {
  if (!block) return 'nothing';
  switch (block.type) {
    case 'text':
      return `text "${clip(String(block.text))}"`;
    case 'tool_use':
      return `tool_use ${String(block.name)} (${String(block.id)})`;
    case 'tool_result':
      return `tool_result for ${String(block.tool_use_id)}`;
    default:
      return `a ${block.type} block`;
  }
}

function describeLast(messages: MessageParam[]): string {
  const last = messages.at(-1);
  if (!last) return 'no messages';
  const blocks = blocksOf(last);
  return `last message: ${last.role} with ${blocks.map((b) => describeBlock(b)).join(', ')}`;
}

/** Strict where mmm's inputs are stable, lenient where tool output varies between runs. */
function compareBlocks(expected: Block, actual: Block): boolean {
  if (expected.type !== actual.type) return false;
  switch (expected.type) {
    case 'text':
      return expected.text === actual.text;
    case 'tool_use':
      return (
        expected.id === actual.id &&
        expected.name === actual.name &&
        isDeepStrictEqual(expected.input, actual.input)
      );
    case 'tool_result':
      return expected.tool_use_id === actual.tool_use_id;
    default:
      return true;
  }
}

/** Returns why `actual` does not match the recorded request, or undefined when it does. */
export function compareRequests(
  expected: TranscriptRequest,
  actual: TranscriptRequest,
): string | undefined {
  if (expected.model !== actual.model) {
    return `expected model ${expected.model}, got ${actual.model}`;
  }
  const toolNames = (r: TranscriptRequest): string =>
    r.tools.map((t) => ('name' in t ? t.name : '?')).join(', ');
  if (toolNames(expected) !== toolNames(actual)) {
    return `expected tools [${toolNames(expected)}], got [${toolNames(actual)}]`;
  }
  const count = Math.min(expected.messages.length, actual.messages.length);
  const lastIndex = actual.messages.length - 1;
  for (let i = 0; i < count; i++) {
    const e = expected.messages[i] as MessageParam;
    const a = actual.messages[i] as MessageParam;
    const where = i === lastIndex ? 'the last message' : `message ${i + 1}`;
    if (e.role !== a.role) return `expected ${where} to come from ${e.role}, got ${a.role}`;
    const eb = blocksOf(e);
    const ab = blocksOf(a);
    for (let j = 0; j < Math.max(eb.length, ab.length); j++) {
      const x = eb[j];
      const y = ab[j];
      if (!x || !y || !compareBlocks(x, y)) {
        return `expected ${where} to carry ${describeBlock(x)}, got ${describeBlock(y)}`;
      }
    }
  }
  if (expected.messages.length !== actual.messages.length) {
    return (
      `expected ${expected.messages.length} messages, got ${actual.messages.length} ` +
      `(${describeLast(actual.messages)})`
    );
  }
  return undefined;
}

export type { TranscriptEntry };
