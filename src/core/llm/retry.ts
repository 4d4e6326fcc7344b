import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderError } from '../errors.js';

/** How one failed request is handled. */
export type FailureKind =
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number }
  | { kind: 'auth'; status: number; message: string }
  | { kind: 'fatal'; status?: number; message: string }
  | { kind: 'abort' };

const RETRYABLE_STATUS = new Set([408, 409, 429]);

function headerValue(headers: unknown, name: string): string | null {
  if (headers && typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name);
  }
  return null;
}

/** `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const after = headerValue(headers, 'retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (Number.isFinite(Number(after))) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function apiMessage(error: APIError): string {
  const inner = (error.error as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof inner === 'string' ? inner : error.message;
}

/** Sorts an error thrown by the SDK (or by a stream that broke) into what to do next. */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof APIUserAbortError) return { kind: 'abort' };
  if (error instanceof APIConnectionError) {
    return { kind: 'retry', reason: `connection error: ${error.message}` };
  }
  if (error instanceof APIError) {
    const status = error.status as number | undefined;
    const message = apiMessage(error);
    if (status === undefined) {
      // An `event: error` inside an SSE stream (e.g. overloaded_error mid-response).
      return { kind: 'retry', reason: `stream error: ${message}` };
    }
    if (status === 401 || status === 403) return { kind: 'auth', status, message };
    // The API's own verdict, when it gives one, beats the status table (as in the SDK).
    const verdict = headerValue(error.headers, 'x-should-retry');
    const retryable =
      verdict === 'true' ||
      (verdict !== 'false' && (RETRYABLE_STATUS.has(status) || status >= 500));
    if (retryable) {
      const after = retryAfterMs(error.headers);
      return {
        kind: 'retry',
        reason: `${status} ${message}`,
        status,
        ...(after === undefined ? {} : { retryAfterMs: after }),
      };
    }
    return { kind: 'fatal', status, message: `${status} ${message}` };
  }
  // A stream that died after its headers ("terminated"), malformed SSE, an empty
  // stream: the response is unusable, the request is retried as a whole.
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', reason: `stream broken: ${message}` };
}

export interface BackoffOptions {
  /** Cap on any single wait, in ms. */
  maxWaitMs: number;
  baseMs?: number;
  random?: () => number;
}

/**
 * Wait before retry number `retry` (1-based): the server's retry-after when given,
 * otherwise 0.5 s·2ⁿ⁻¹ with up to 25% jitter; always capped at `maxWaitMs`.
 */
export function backoffDelay(
  retry: number,
  retryAfter: number | undefined,
  options: BackoffOptions,
): number {
  const base = options.baseMs ?? 500;
  const random = options.random ?? Math.random;
  const wanted =
    retryAfter !== undefined ? retryAfter : base * 2 ** (retry - 1) * (1 - 0.25 * random());
  return Math.round(Math.min(Math.max(0, wanted), options.maxWaitMs));
}

export function authError(status: number, message: string, baseURL: string): ProviderError {
  return new AuthenticationFailedError(
    `authentication failed (${status}) at ${baseURL}: ${message}`,
    {
      hint:
        status === 401
          ? 'check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN): the server rejected it'
          : 'the key is valid but not allowed to use this model or endpoint; check its workspace and permissions',
    },
  );
}

/** Sleeps `ms`, rejecting early when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** 401/403: every further request would fail the same way; callers stop the run. */
export class AuthenticationFailedError extends ProviderError {}
