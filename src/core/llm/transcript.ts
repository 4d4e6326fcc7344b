import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { secretRedactor, type Redactor } from '../secrets/redact.js';
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

/**
 * Appends transcript lines; each write is one `appendFileSync` so lines never interleave.
 * Headers are never part of an entry, and every secret value (the API key, the auth
 * token, credential-like environment variables) is replaced with `[redacted:NAME]`
 * wherever it appears in the content — e.g. a tool result of a command that printed a
 * shell profile — because transcripts get shared in bug reports.
 */
export class TranscriptWriter {
  private seq = 0;
  private readonly path: string;
  private readonly redactor: Redactor;
  constructor(path: string, redactor: Redactor = secretRedactor()) {
    this.path = path;
    this.redactor = redactor;
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
    appendFileSync(this.path, this.redactor.stringify(entry) + '\n');
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
