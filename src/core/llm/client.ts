import Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../config/schema.js';
import { ProviderError } from '../errors.js';
import { logger } from '../log.js';
import { redactRequest } from '../secrets/redact-request.js';
import { registerSecret } from '../secrets/redact.js';
import { MessageAccumulator } from './accumulate.js';
import { ContextOverflowError, parseContextOverflow } from './overflow.js';
import { contextWindow } from './pricing.js';
import { createReplayClient } from './replay.js';
import { authError, backoffDelay, classifyFailure, sleep, type FailureKind } from './retry.js';
import { TranscriptWriter, type TranscriptRetry } from './transcript.js';
import { RequestWatchdog } from './watchdog.js';
import {
  LlmAbortedError,
  type LlmClient,
  type LlmRequest,
  type LlmStreamEvent,
  type LlmStreamOptions,
  type Message,
} from './types.js';

const log = logger('llm');
const ANTHROPIC_URL = 'https://api.anthropic.com';

export interface LlmClientOptions {
  config: Config;
  env?: NodeJS.ProcessEnv;
  /** Append every request/response here (JSONL). */
  transcriptPath?: string;
  /** Serve responses from this recorded transcript instead of the network. */
  replayPath?: string;
  /** Replay only: pause between streamed text chunks, so a UI looks alive. */
  replayDelayMs?: number;
}

/** Resolves the base URL: ANTHROPIC_BASE_URL, then config, then api.anthropic.com. */
export function resolveBaseUrl(config: Config, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.ANTHROPIC_BASE_URL?.trim();
  return (fromEnv || config.provider.base_url || ANTHROPIC_URL).replace(/\/+$/, '');
}

/** `auto` means Anthropic's typed tools only when talking to api.anthropic.com. */
export function resolveToolSchema(config: Config, baseURL: string): 'anthropic' | 'custom' {
  const wanted = config.provider.tool_schema;
  if (wanted !== 'auto') return wanted;
  try {
    return new URL(baseURL).hostname === 'api.anthropic.com' ? 'anthropic' : 'custom';
  } catch {
    return 'custom';
  }
}

export function createLlmClient(options: LlmClientOptions): LlmClient {
  const env = options.env ?? process.env;
  const baseURL = resolveBaseUrl(options.config, env);
  const toolSchema = resolveToolSchema(options.config, baseURL);
  if (options.replayPath) {
    return createReplayClient({
      path: options.replayPath,
      model: options.config.model,
      toolSchema,
      ...(options.config.context.window ? { contextWindow: options.config.context.window } : {}),
      delayMs: options.replayDelayMs ?? 0,
    });
  }
  const apiKey = env.ANTHROPIC_API_KEY?.trim() || null;
  const authToken = env.ANTHROPIC_AUTH_TOKEN?.trim() || null;
  if (!apiKey && !authToken) {
    throw new ProviderError('no Anthropic credentials: ANTHROPIC_API_KEY is not set', {
      hint:
        'export ANTHROPIC_API_KEY=sk-ant-… (get one at https://console.anthropic.com/settings/keys), ' +
        'or ANTHROPIC_AUTH_TOKEN for a proxy; local servers such as Ollama accept any value',
    });
  }
  const sdk = new Anthropic({
    // The SDK refuses both at once (TypeError); like its own env lookup, the API key wins.
    apiKey,
    authToken: apiKey ? null : authToken,
    baseURL,
    maxRetries: 0,
    timeout: options.config.provider.timeout * 1000,
    // The SDK logs to the console by default; Ink owns the terminal, so route it to our log.
    logger: {
      error: (message: string, ...rest: unknown[]) => log.error(message, rest),
      warn: (message: string, ...rest: unknown[]) => log.warn(message, rest),
      info: (message: string, ...rest: unknown[]) => log.debug(message, rest),
      debug: (message: string, ...rest: unknown[]) => log.debug(message, rest),
    },
  });
  // The credentials in use are secrets even when they came from options.env.
  registerSecret('ANTHROPIC_API_KEY', apiKey);
  registerSecret('ANTHROPIC_AUTH_TOKEN', authToken);
  const writer = options.transcriptPath ? new TranscriptWriter(options.transcriptPath) : undefined;
  return new LiveClient(sdk, options.config, baseURL, toolSchema, writer);
}

class LiveClient implements LlmClient {
  readonly model: string;
  contextWindow: number;
  constructor(
    private readonly sdk: Anthropic,
    private readonly config: Config,
    private readonly baseURL: string,
    readonly toolSchema: 'anthropic' | 'custom',
    private readonly writer: TranscriptWriter | undefined,
  ) {
    this.model = config.model;
    this.contextWindow = config.context.window ?? contextWindow(config.model);
  }

  async *stream(
    request: LlmRequest,
    options: LlmStreamOptions = {},
  ): AsyncGenerator<LlmStreamEvent, Message> {
    const { signal } = options;
    const maxRetries = this.config.provider.max_retries;
    const maxWaitMs = this.config.provider.retry_max_wait * 1000;
    const retries: TranscriptRetry[] = [];
    const { idle_timeout: idle, timeout } = this.config.provider;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new LlmAbortedError();
      const watchdog = new RequestWatchdog(idle * 1000, timeout * 1000, signal);
      try {
        const stream = await this.sdk.messages.create(
          { model: this.model, ...redactRequest(request), stream: true },
          { maxRetries: 0, signal: watchdog.signal },
        );
        const accumulator = new MessageAccumulator();
        for await (const event of stream) {
          watchdog.touch();
          const text = accumulator.add(event);
          if (text) yield { type: 'text_delta', text };
        }
        watchdog.dispose();
        const message = accumulator.finish();
        this.writer?.append({ model: this.model, ...request }, message, retries);
        yield { type: 'message', message };
        return message;
      } catch (error) {
        watchdog.dispose();
        if (signal?.aborted) throw new LlmAbortedError();
        const failure: FailureKind = watchdog.expired
          ? { kind: 'retry', reason: watchdog.expired }
          : classifyFailure(error);
        if (failure.kind === 'abort') throw new LlmAbortedError();
        if (failure.kind === 'auth') throw authError(failure.status, failure.message, this.baseURL);
        if (failure.kind === 'fatal') {
          const overflow = parseContextOverflow(failure.status, failure.message);
          if (overflow) {
            throw new ContextOverflowError(
              `request rejected by ${this.baseURL}: ${failure.message}`,
              overflow.maximum,
              overflow.tokens,
              { cause: error },
            );
          }
          throw new ProviderError(`request rejected by ${this.baseURL}: ${failure.message}`, {
            hint: fatalHint(failure.status),
            cause: error,
          });
        }
        if (attempt >= maxRetries) {
          throw new ProviderError(
            `giving up after ${attempt + 1} ${attempt === 0 ? 'try' : 'tries'}: ${failure.reason}`,
            {
              hint: 'the provider is unavailable or rate-limiting; resume later with `mmm improve --resume`, or raise provider.max_retries',
              cause: error,
            },
          );
        }
        const delayMs = backoffDelay(attempt + 1, failure.retryAfterMs, { maxWaitMs });
        const retry: TranscriptRetry = {
          retry: attempt + 1,
          delayMs,
          reason: failure.reason,
          ...(failure.status === undefined ? {} : { status: failure.status }),
        };
        retries.push(retry);
        log.warn('retrying request', retry);
        yield { type: 'retry', ...retry };
        try {
          await sleep(delayMs, signal);
        } catch {
          throw new LlmAbortedError();
        }
      }
    }
  }
}

/** What to check after a request the server refused for good. */
function fatalHint(status: number | undefined): string {
  switch (status) {
    case 404:
      return 'check the model id (config `model` or --model) and provider.base_url';
    case 413:
      return 'the request is too large; lower context.compact_threshold or tools.output_limit';
    case 400:
      return 'check the model id (config `model` or --model) and max_output_tokens for this model';
    default:
      return 'the server refused the request and asked not to retry it; try again later with `mmm improve --resume`';
  }
}
