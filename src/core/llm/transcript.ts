import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import type { LlmRequest, Message } from './types.js';

/** The request part of a transcript line: what was sent, never keys or headers. */
export interface TranscriptRequest extends LlmRequest {
  model: string;
}

export interface TranscriptRetry {
  retry: number;
  delayMs: number;
  reason: string;
  status?: number;
}

/** One line of transcript.jsonl: one request and its final response. */
export interface TranscriptEntry {
  seq: number;
  /** ISO time the response completed. */
  t: string;
  request: TranscriptRequest;
  response: Message;
  /** Retries that happened before this response, when any. */
  retries?: TranscriptRetry[];
}

/** What a secret is replaced with when it shows up in a request or response. */
export const REDACTED = '[redacted]';

/**
 * Appends transcript lines; each write is one `appendFileSync` so lines never interleave.
 * Headers are never part of an entry; `secrets` (the API key, the auth token) are also
 * replaced by REDACTED wherever they appear in the content — e.g. a tool result of a
 * command that printed a shell profile — because transcripts get shared in bug reports.
 */
export class TranscriptWriter {
  private seq = 0;
  private readonly path: string;
  private readonly secrets: string[];
  constructor(path: string, secrets: readonly (string | null | undefined)[] = []) {
    this.path = path;
    // Short values would redact ordinary text; real keys and tokens are long.
    this.secrets = secrets.filter((v): v is string => typeof v === 'string' && v.length >= 8);
    mkdirSync(dirname(path), { recursive: true });
    this.seq = countLines(path);
  }

  append(request: TranscriptRequest, response: Message, retries: TranscriptRetry[]): void {
    this.seq += 1;
    const entry: TranscriptEntry = {
      seq: this.seq,
      t: new Date().toISOString(),
      request,
      response,
      ...(retries.length ? { retries } : {}),
    };
    let line = JSON.stringify(entry);
    for (const secret of this.secrets) {
      // Match the secret as it appears inside a JSON string.
      line = line.split(JSON.stringify(secret).slice(1, -1)).join(REDACTED);
    }
    appendFileSync(this.path, line + '\n');
  }
}

function countLines(path: string): number {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '').length;
  } catch {
    return 0;
  }
}

/** Reads and checks a transcript; a bad line is an InputError naming file and line. */
export function readTranscript(path: string): TranscriptEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read transcript ${path}: ${(error as Error).message}`, {
      hint: 'pass the transcript.jsonl of a recorded run (.mmm/runs/<run-id>/transcript.jsonl)',
    });
  }
  const entries: TranscriptEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as Partial<TranscriptEntry>;
      if (
        typeof value !== 'object' ||
        value === null ||
        typeof value.request !== 'object' ||
        typeof value.response !== 'object' ||
        !Array.isArray(value.response?.content) ||
        !Array.isArray(value.request?.messages)
      ) {
        problems.push(
          `${path}:${index + 1}:1: not a transcript entry (needs request and response)`,
        );
        return;
      }
      entries.push(value as TranscriptEntry);
    } catch (error) {
      problems.push(`${path}:${index + 1}:1: invalid JSON: ${(error as Error).message}`);
    }
  });
  if (problems.length) {
    throw new InputError(`transcript ${path} is not valid`, {
      problems,
      hint: 'transcripts are JSON lines written by mmm; re-record it instead of editing it',
    });
  }
  return entries;
}
