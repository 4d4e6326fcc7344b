import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { logger } from '../../log.js';
import type { RunEvent } from '../events.js';

const log = logger('event-log');

/** `events.jsonl`: one RunEvent per line, appended synchronously so a crash loses at most one. */
export interface EventLog {
  readonly path: string;
  append(event: RunEvent): void;
}

/**
 * Open (or create) an event log for appending. A line torn by a crash (no final newline)
 * is closed off first, so the next event starts on its own line.
 */
export function openEventLog(path: string): EventLog {
  mkdirSync(dirname(path), { recursive: true });
  terminateTornLine(path);
  return {
    path,
    append(event: RunEvent): void {
      appendFileSync(path, JSON.stringify(event) + '\n');
    },
  };
}

/** Append '\n' when the file exists, is not empty and does not end with one. */
export function terminateTornLine(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) appendFileSync(path, '\n');
  } finally {
    closeSync(fd);
  }
}

/**
 * Every event of the log, in order. A missing file is an empty log; lines that do not
 * parse (a write torn by a crash) are skipped.
 */
export async function readEventLog(path: string): Promise<RunEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: RunEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (
        value &&
        typeof value === 'object' &&
        typeof (value as { type?: unknown }).type === 'string'
      ) {
        events.push(value as RunEvent);
        return;
      }
    } catch {
      // fall through
    }
    log.warn('skipped unreadable event line', { path, line: i + 1 });
  });
  return events;
}
