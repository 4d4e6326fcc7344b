import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src/core/run/events.js';
import { mountRun } from './ink-harness.js';
import { ev } from './fixtures.js';
import {
  A,
  A_MERGING,
  BOTH_RUNNING,
  B_REATTEMPTED,
  LANE_BODIES,
  laneScenario,
} from './lanes-fixtures.js';

const events = laneScenario();
const handle = { requestStop: () => {}, abort: () => {} };
let unmounts: (() => void)[] = [];

function start(opts: { columns?: number; rows?: number } = {}) {
  const app = mountRun(handle, opts);
  unmounts.push(app.unmount);
  return app;
}

afterEach(() => {
  for (const u of unmounts) u();
  unmounts = [];
});

const lines = (frame: string): string[] => frame.split('\n');
const live = (frame: string): string[] => {
  const l = lines(frame);
  return l.slice(l.findIndex((x) => x.startsWith('mmm ·')));
};

describe('RunApp in a parallel run', () => {
  it('shows one line per lane and the merge queue instead of the attempt panel', async () => {
    const app = start();
    const frame = await app.feed(events.slice(0, BOTH_RUNNING));
    expect(live(frame).slice(1, 6)).toEqual([
      '▶ 02-add-x   0/2  Add the x option',
      '▶ 03-y       0/1  Make y faster',
      '▶ 02-add-x  attempt 1/3   0:08  implement          Add the x option',
      '▶ 03-y      attempt 1/3   0:06  implement          Make y faster',
      'merge queue: empty',
    ]);
    expect(frame).not.toContain('iteration 1');
    expect(frame).not.toContain('view src/a.ts');
    expect(frame).toContain('⚠ [03-y] spec 03-y has no checks besides the project tests');
  });

  it("ticks each lane's elapsed time from the start of its attempt", async () => {
    const app = start();
    await app.feed(events.slice(0, BOTH_RUNNING));
    // One more event, a second later: the harness clock is the time of the last event.
    const frame = await app.feed(events.slice(BOTH_RUNNING, BOTH_RUNNING + 1));
    expect(frame).toContain('▶ 02-add-x  attempt 1/3   0:09  check              Add the x option');
    expect(frame).toContain('▶ 03-y      attempt 1/3   0:07  implement          Make y faster');
  });

  it('shows the spec being merged and the specs waiting', async () => {
    const app = start();
    const frame = await app.feed(events.slice(0, A_MERGING));
    expect(live(frame).slice(3, 6)).toEqual([
      '⟳ 02-add-x  attempt 1/3   0:17  merging            Add the x option',
      '· 03-y      attempt 1/3   0:15  queued to merge    Make y faster',
      'merge queue: merging 02-add-x · waiting: 03-y',
    ]);
    expect(frame).toContain(
      '✔ 02-add-x attempt 1/3 passed · lane commit aaaa111 · 1 tool call · 11s',
    );
  });

  it('writes merges and conflicts to the scrollback and shows the re-attempt in its new lane', async () => {
    const app = start();
    const conflict = await app.feed(events.slice(0, A_MERGING + 5));
    expect(conflict).toContain('✔ 02-add-x merged onto the run branch as cccc333');
    expect(conflict).toContain('✘ 03-y merge conflict, not merged: conflict in src/b.ts');
    expect(conflict).toContain('✘ 03-y      attempt 1/3   0:20  merge conflict     Make y faster');
    expect(conflict).not.toMatch(/^. 02-add-x +attempt \d\/\d +\d/m);
    const again = await app.feed(events.slice(A_MERGING + 5, B_REATTEMPTED));
    expect(live(again).slice(3, 5)).toEqual([
      '▶ 03-y      attempt 2/3   0:00  agent              Make y faster',
      'merge queue: empty',
    ]);
  });

  it('ends with the summary and no lanes', async () => {
    const app = start();
    const frame = await app.feed(events);
    expect(frame).toContain('✔ 03-y merged onto the run branch as eeee555');
    expect(frame).toContain('✔ Run completed · exit 0');
    expect(frame).not.toContain('merge queue');
    expect(frame).not.toMatch(/attempt \d\/\d +\d+:\d\d/);
  });

  it('keeps lane lines within 80 columns, cutting the title', async () => {
    const app = start({ columns: 80 });
    const longId = 'x'.repeat(30);
    const first = LANE_BODIES[0];
    if (first?.type !== 'run_start') throw new Error('fixture changed');
    const title = 'A title far too long for the little room a lane line has left';
    const feed: RunEvent[] = [
      ev(0, {
        ...first,
        specs: [{ id: longId, title, status: 'pending', criteriaDone: 0, criteriaTotal: 1 }],
      }),
      ev(1, {
        type: 'attempt_start',
        specId: longId,
        title,
        iteration: 1,
        attempt: 10,
        maxAttempts: 10,
      }),
      ev(2, {
        type: 'step_start',
        specId: longId,
        attempt: 10,
        id: 'a-very-long-step-identifier',
        kind: 'agent',
      }),
    ];
    const frame = await app.feed(feed);
    for (const line of lines(frame)) expect([...line].length).toBeLessThanOrEqual(80);
    const lane = lines(frame).find((l) => l.includes('attempt 10/10'));
    expect(lane).toMatch(/^▶ x{23}… {2}attempt 10\/10 {2} 0:01 {2}a-very-long-step-… A title fa…$/);
  });

  it('d shows the latest tool call under each lane', async () => {
    const app = start();
    await app.feed(events.slice(0, BOTH_RUNNING));
    app.stdin.write('d');
    await vi.waitFor(
      () => {
        const l = live(app.lastFrame());
        const a = l.findIndex((x) => x.startsWith(`▶ ${A}  attempt`));
        expect(l[a + 1]).toBe('    ✔ edit view src/a.ts → 40 lines');
        expect(l[a + 3]).toBe('    … bash npm test');
      },
      { timeout: 5000, interval: 10 },
    );
  });

  it('keeps the live area below the terminal height with many lanes', async () => {
    const first = LANE_BODIES[0];
    if (first?.type !== 'run_start') throw new Error('fixture changed');
    const ids = Array.from({ length: 8 }, (_, i) => `0${i}-spec`);
    const feed: RunEvent[] = [
      ev(0, {
        ...first,
        parallel: 8,
        specs: ids.map((id) => ({
          id,
          title: id,
          status: 'pending',
          criteriaDone: 0,
          criteriaTotal: 1,
        })),
      }),
      ...ids.flatMap((id, i) => [
        ev(1 + i, {
          type: 'attempt_start',
          specId: id,
          title: id,
          iteration: i + 1,
          attempt: 1,
          maxAttempts: 3,
        }),
        ev(1 + i, {
          type: 'agent',
          specId: id,
          attempt: 1,
          event: {
            type: 'tool_call',
            turn: 1,
            id: `t${i}`,
            name: 'bash',
            input: {},
            summary: 'ls',
          },
        }),
      ]),
    ];
    for (const rows of [10, 12, 24]) {
      const app = start({ rows });
      const frame = await app.feed(feed);
      expect(lines(frame).length).toBeLessThan(rows);
      expect(frame).toContain('merge queue: empty');
      if (rows < 24) expect(frame).toMatch(/… \d more lanes/);
      else expect(frame).toContain('▶ 07-spec  attempt 1/3');
      app.stdin.write('d');
      await vi.waitFor(
        () => {
          const f = app.lastFrame();
          expect(f).toContain('d fewer details');
          expect(lines(f).length).toBeLessThan(rows);
          if (rows < 24) expect(f).toMatch(/… \d more lanes/);
          else expect(f).toContain('▶ 07-spec  attempt 1/3   0:00  agent');
        },
        { timeout: 5000, interval: 10 },
      );
    }
  });
});
