import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { secretRedactor, type Redactor } from '../secrets/redact.js';
import type { LlmRequest, Message, MessageParam } from './types.js';

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

/** One exchange of a transcript, as read back: the whole request and its final response. */
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
 * A line as stored. A request that continues an earlier one (the next turn of the same
 * conversation) stores only what is new: `from` names the earlier line and how many of
 * its messages come first, `request.messages` holds the rest, and `system` and `tools`
 * are left out when they are the earlier line's. So a transcript of N turns is O(N) in
 * size. A line without `from` holds the whole request (all lines of older transcripts).
 */
interface StoredLine extends Omit<TranscriptEntry, 'request'> {
  request: Omit<TranscriptRequest, 'system' | 'tools'> &
    Partial<Pick<TranscriptRequest, 'system' | 'tools'>>;
  /** `unmark`: the last kept message is sent without its cache breakpoint. */
  from?: { seq: number; keep: number; unmark?: boolean };
}

/** Earlier requests a new one may continue (several, for interleaved conversations). */
const RECENT = 8;

interface Recent {
  seq: number;
  request: TranscriptRequest;
}

/** How many leading messages `next` shares with `base` (same object, or same JSON). */
function sharedPrefix(base: MessageParam[], next: MessageParam[]): number {
  const n = Math.min(base.length, next.length);
  let i = 0;
  while (i < n && (base[i] === next[i] || JSON.stringify(base[i]) === JSON.stringify(next[i]))) {
    i++;
  }
  return i;
}

/** `message` without the cache breakpoint on its last block (as withLatestBreakpoint set it). */
function unmarked(message: MessageParam): MessageParam {
  if (typeof message.content === 'string') return message;
  const last = message.content.at(-1);
  if (!last || !('cache_control' in last)) return message;
  const { cache_control: _marker, ...rest } = last;
  return { ...message, content: [...message.content.slice(0, -1), rest] } as MessageParam;
}

/**
 * The earlier request's last message carried the cache breakpoint; this request sends it
 * again without one. When that is the only difference, it is kept too (`unmark`), so a
 * turn's tool results are stored once, not twice.
 */
function keepsUnmarked(base: MessageParam[], next: MessageParam[], shared: number): boolean {
  const kept = base[shared];
  const sent = next[shared];
  return (
    shared === base.length - 1 &&
    kept !== undefined &&
    sent !== undefined &&
    JSON.stringify(unmarked(kept)) === JSON.stringify(sent)
  );
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Appends transcript lines; each write is one `appendFileSync` so lines never interleave.
 * Headers are never part of an entry, and every secret value (the API key, the auth
 * token, credential-like environment variables) is replaced with `[redacted:NAME]`
 * wherever it appears in the content — e.g. a tool result of a command that printed a
 * shell profile — because transcripts get shared in bug reports.
 *
 * Messages already written are compared by identity first (the agent sends the same
 * message objects turn after turn), so finding what is new costs O(new), not O(all).
 */
export class TranscriptWriter {
  private seq = 0;
  private readonly path: string;
  private readonly redactor: Redactor;
  private recent: Recent[] = [];
  constructor(path: string, redactor: Redactor = secretRedactor()) {
    this.path = path;
    this.redactor = redactor;
    mkdirSync(dirname(path), { recursive: true });
    this.seq = countLines(path);
  }

  append(request: TranscriptRequest, response: Message, retries: TranscriptRetry[]): void {
    this.seq += 1;
    // The earlier request sharing the most leading messages; with none shared (the
    // first message was the one marked for the cache), the latest, for its system and tools.
    let base: Recent | undefined;
    let keep = 0;
    for (const candidate of this.recent) {
      if (candidate.request.model !== request.model) continue;
      const shared = sharedPrefix(candidate.request.messages, request.messages);
      if (shared > keep || (shared === keep && keep === 0)) {
        base = candidate;
        keep = shared;
      }
    }
    const unmark =
      base !== undefined && keepsUnmarked(base.request.messages, request.messages, keep);
    if (unmark) keep += 1;
    const { system, tools, messages, ...rest } = request;
    const line: StoredLine = {
      seq: this.seq,
      t: new Date().toISOString(),
      request: base
        ? {
            ...rest,
            ...(same(base.request.system, system) ? {} : { system }),
            ...(same(base.request.tools, tools) ? {} : { tools }),
            messages: messages.slice(keep),
          }
        : request,
      ...(base ? { from: { seq: base.seq, keep, ...(unmark ? { unmark } : {}) } } : {}),
      response,
      ...(retries.length ? { retries } : {}),
    };
    appendFileSync(this.path, this.redactor.stringify(line) + '\n');
    this.recent = [...this.recent.slice(-(RECENT - 1)), { seq: this.seq, request }];
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

/** Why a stored line cannot be read, or undefined. */
function lineProblem(value: Partial<StoredLine>): string | undefined {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.request !== 'object' ||
    typeof value.response !== 'object' ||
    !Array.isArray(value.response?.content) ||
    !Array.isArray(value.request?.messages)
  ) {
    return 'not a transcript entry (needs request and response)';
  }
  return undefined;
}

/**
 * Reads and checks a transcript, resolving each line to its whole request; a bad line
 * is an InputError naming file and line.
 */
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
  const bySeq = new Map<number, TranscriptEntry>();
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const at = `${path}:${index + 1}:1`;
    let value: StoredLine;
    try {
      value = JSON.parse(raw) as StoredLine;
    } catch (error) {
      problems.push(`${at}: invalid JSON: ${(error as Error).message}`);
      return;
    }
    const problem = lineProblem(value);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      return;
    }
    const entry = resolve(value, bySeq);
    if (typeof entry === 'string') {
      problems.push(`${at}: ${entry}`);
      return;
    }
    entries.push(entry);
    if (typeof entry.seq === 'number') bySeq.set(entry.seq, entry);
  });
  if (problems.length) {
    throw new InputError(`transcript ${path} is not valid`, {
      problems,
      hint: 'transcripts are JSON lines written by mmm; re-record it instead of editing it',
    });
  }
  return entries;
}

/** The whole request of a stored line, or why it cannot be rebuilt. */
function resolve(line: StoredLine, bySeq: Map<number, TranscriptEntry>): TranscriptEntry | string {
  const { from, request, ...rest } = line;
  if (from === undefined) return { ...rest, request: request as TranscriptRequest };
  const base = bySeq.get(from.seq);
  if (!base) return `refers to request ${from.seq}, which no earlier line holds`;
  if (!Number.isInteger(from.keep) || from.keep < 0 || from.keep > base.request.messages.length) {
    return `keeps ${from.keep} messages of request ${from.seq}, which has ${base.request.messages.length}`;
  }
  const kept = base.request.messages.slice(0, from.keep);
  const last = kept.at(-1);
  if (from.unmark === true && last) kept[kept.length - 1] = unmarked(last);
  return {
    ...rest,
    request: {
      ...request,
      system: request.system ?? base.request.system,
      tools: request.tools ?? base.request.tools,
      messages: [...kept, ...request.messages],
    },
  };
}
