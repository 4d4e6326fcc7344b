import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderRun } from '../../src/ui/render-run.js';
import type { RunEvent } from '../../src/core/run/events.js';
import { ev, listHandle, scenario } from './fixtures.js';
import { A, B, laneScenario } from './lanes-fixtures.js';

class Capture extends EventEmitter {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const forced = process.env.FORCE_COLOR;
beforeEach(() => {
  delete process.env.FORCE_COLOR;
});
afterEach(() => {
  if (forced !== undefined) process.env.FORCE_COLOR = forced;
});

const TIME = /^\d\d:\d\d:\d\d /;

async function render(mode: 'plain' | 'json', events: RunEvent[] = laneScenario()) {
  const stdout = new Capture();
  const stderr = new Capture();
  await renderRun(listHandle(events), {
    mode,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    signals: false,
  });
  return { stdout: stdout.text, stderr: stderr.text };
}

async function plainLines(events?: RunEvent[]): Promise<string[]> {
  const { stdout } = await render('plain', events);
  const lines = stdout.trimEnd().split('\n');
  for (const line of lines) expect(line).toMatch(TIME);
  return lines.map((l) => l.replace(TIME, ''));
}

describe('plain renderer in a parallel run', () => {
  it('prefixes every line about a spec with its id and prints one line per lane event', async () => {
    expect(await plainLines()).toEqual([
      'run started 20261122-0147-ab12 on mmm/20261122-0147-ab12 · model claude-sonnet-4-5 · workflow specs · 2 specs at once',
      'limits: 10 iterations · $2.00 · 1M tokens · 30:00 · 2 specs: 02-add-x (pending), 03-y (pending)',
      'steps of each item: implement (agent) → check (validate) → commit (commit)',
      '[02-add-x] lane opened on mmm/20261122-0147-ab12--02-add-x',
      '[02-add-x] attempt 1/3 · iteration 1 · Add the x option',
      '[03-y] lane opened on mmm/20261122-0147-ab12--03-y',
      '[03-y] attempt 1/3 · iteration 2 · Make y faster',
      '[02-add-x]   ✔ edit view src/a.ts → 40 lines (2ms)',
      '[03-y] warning: spec 03-y has no checks besides the project tests',
      '[02-add-x]   checks passed (1)',
      '[02-add-x]     ✔ test: 8 passed (300ms)',
      '[02-add-x] ✔ attempt 1/3 passed → lane commit aaaa111',
      '[02-add-x] queued to merge',
      '[02-add-x] merging onto the run branch',
      '[03-y]   ✔ bash npm test → exit 0 (900ms)',
      '[03-y] ✔ attempt 1/3 passed → lane commit bbbb222',
      'totals: cost $0.02 · 1.2k tokens · 2 iterations · 0 commits · 18s',
      '[03-y] queued to merge after 02-add-x',
      '[02-add-x] ✔ merged as cccc333',
      '[02-add-x] spec → done',
      '[02-add-x] lane closed',
      '[03-y] merging onto the run branch',
      '[03-y] ✘ merge conflict, not merged: conflict in src/b.ts',
      '[03-y] lane closed',
      '[03-y] lane opened on mmm/20261122-0147-ab12--03-y',
      '[03-y] attempt 2/3 · iteration 3 · Make y faster',
      '[03-y] ✔ attempt 2/3 passed → lane commit dddd444',
      '[03-y] queued to merge',
      '[03-y] merging onto the run branch',
      '[03-y] ✔ merged as eeee555',
      '[03-y] spec → done',
      '[03-y] lane closed',
      'run completed: all specs done',
      '2 done · 0 failed · 2 commits · cost $0.03 · 1.2k tokens · 35s · branch mmm/20261122-0147-ab12 · exit 0',
      'next: git merge mmm/20261122-0147-ab12',
      'report: mmm report 20261122-0147-ab12 --out report.html',
    ]);
  });

  it('names who merges first and who waits, and a failure after merge', async () => {
    const [start] = laneScenario();
    const C = '04-z';
    const lines = await plainLines([
      start!,
      ev(1, { type: 'lane', specId: A, phase: 'queued', queue: [A] }),
      ev(2, { type: 'lane', specId: B, phase: 'queued', queue: [A, B] }),
      ev(3, { type: 'lane', specId: C, phase: 'queued', queue: [A, B, C] }),
      ev(4, { type: 'lane', specId: A, phase: 'merging', queue: [B, C] }),
      ev(5, {
        type: 'lane',
        specId: A,
        phase: 'merge_failed',
        reason: 'test "x" fails on the run branch',
        queue: [B, C],
      }),
    ]);
    expect(lines.slice(3)).toEqual([
      '[02-add-x] queued to merge',
      '[03-y] queued to merge after 02-add-x',
      '[04-z] queued to merge after 02-add-x, 03-y',
      '[02-add-x] merging onto the run branch (waiting: 03-y, 04-z)',
      '[02-add-x] ✘ failed on the run branch after merge, not merged: test "x" fails on the run branch',
    ]);
  });

  it('prefixes lines once a second spec starts while one runs, even without `parallel`', async () => {
    const serial = scenario();
    const lines = await plainLines([
      serial[0]!,
      serial[1]!,
      ev(2, {
        type: 'attempt_start',
        specId: 'validate-input',
        title: 'Validate input',
        iteration: 2,
        attempt: 1,
        maxAttempts: 3,
      }),
      ev(3, { type: 'step', specId: 'add-slugify', attempt: 1, step: 'validate' }),
      ev(4, {
        type: 'attempt_end',
        specId: 'add-slugify',
        attempt: 1,
        outcome: 'failed',
        feedback: 'no',
      }),
    ]);
    expect(lines.slice(2)).toEqual([
      'spec add-slugify attempt 1/3 · iteration 1 · Add a slugify option',
      '[validate-input] attempt 1/3 · iteration 2 · Validate input',
      '[add-slugify]   step validate',
      '[add-slugify] ✘ attempt 1/3 failed: no',
    ]);
  });
});

describe('JSON renderer in a parallel run', () => {
  it('passes lane events and the new fields through exactly as emitted', async () => {
    const events = laneScenario();
    const { stdout } = await render('json', events);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toEqual(events.map((e) => JSON.stringify(e)));
    const parsed = lines.map((l) => JSON.parse(l) as RunEvent);
    expect(parsed[0]).toMatchObject({ type: 'run_start', parallel: 2 });
    expect(
      parsed.filter((e) => e.type === 'lane').map((e) => (e.type === 'lane' ? e.phase : '')),
    ).toContain('conflict');
    expect(parsed.find((e) => e.type === 'warning')).toMatchObject({ specId: B });
  });
});
