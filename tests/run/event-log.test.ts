import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { openEventLog, readEventLog } from '../../src/core/run/store/event-log.js';
import type { RunEvent } from '../../src/core/run/events.js';

const ev = (message: string): RunEvent => ({
  t: '2026-11-22T01:00:00.000Z',
  runId: 'r',
  type: 'warning',
  message,
});

describe('event log', () => {
  it('appends one JSON line per event and reads them back', async () => {
    const path = join(tempDir(), 'run', 'events.jsonl');
    const log = openEventLog(path);
    log.append(ev('one'));
    log.append(ev('two\nlines'));
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(await readEventLog(path)).toEqual([ev('one'), ev('two\nlines')]);
  });

  it('tolerates a torn last line, and a reopened log starts on a fresh line', async () => {
    const path = join(tempDir(), 'events.jsonl');
    openEventLog(path).append(ev('kept'));
    appendFileSync(path, '{"t":"2026-11-22T01:00:01.000Z","runId":"r","type":"war');
    expect(await readEventLog(path)).toEqual([ev('kept')]);
    openEventLog(path).append(ev('after resume'));
    expect(await readEventLog(path)).toEqual([ev('kept'), ev('after resume')]);
  });

  it('reads a missing log as empty', async () => {
    expect(await readEventLog(join(tempDir(), 'nope.jsonl'))).toEqual([]);
  });
});
