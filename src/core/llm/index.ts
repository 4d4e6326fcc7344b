export { createLlmClient, resolveBaseUrl, resolveToolSchema } from './client.js';
export type { LlmClientOptions } from './client.js';
export { costOf, contextWindow, priceOf, modelFamily, DEFAULT_CONTEXT_WINDOW } from './pricing.js';
export { readTranscript } from './transcript.js';
export type { TranscriptEntry, TranscriptRequest } from './transcript.js';
export { LlmAbortedError, INVALID_JSON_KEY } from './types.js';
export { AuthenticationFailedError } from './retry.js';
export type { LlmClient, LlmRequest, LlmStreamEvent, LlmStreamOptions } from './types.js';
