import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountRun, tick } from './ink-harness.js';
import { MID_ATTEMPT, VALIDATION_FAILED, ev, scenario } from './fixtures.js';

const events = scenario();
const calls: string[] = [];
const handle = { requestStop: () => calls.push('requestStop'), abort: () => calls.push('abort') };
let unmounts: (() => void)[] = [];

function start(opts: { columns?: number; rows?: number; tty?: boolean } = {}) {
  const app = mountRun(handle, opts);
  unmounts.push(app.unmount);
  return app;
}

afterEach(() => {
  for (const u of unmounts) u();
  unmounts = [];
  calls.length = 0;
});

function lines(frame: string): string[] {
  return frame.split('\n');
}

describe('RunApp', () => {
  it('shows the header, the spec list and the gauges at run_start', async () => {
    const app = start();
    const frame = await app.feed(events.slice(0, 1));
    const l = lines(frame);
    expect(l[0]).toMatch(
      /^mmm · run 20261122-0147-ab12 · mmm\/20261122-0147-ab12 · claude-sonnet-4-5/,
    );
    expect(frame).toContain('· add-slugify      0/3  Add a slugify option');
    expect(frame).toContain('· validate-input   0/2  Validate input');
    expect(frame).toMatch(/cost \$0\.00\/\$2\.00 ░+ +tokens 0\/1M ░+ +time 0:00\/30:00/);
    expect(frame).toContain('· preparing the first attempt…');
    expect(l.at(-1)).toBe('q stop · d more details');
  });

  it('shows the attempt, the latest text and one line per tool call mid-attempt', async () => {
    const app = start();
    const frame = await app.feed(events.slice(0, MID_ATTEMPT));
    expect(frame).toContain('▶ add-slugify      0/3  Add a slugify option');
    expect(frame).toContain('▶ add-slugify · attempt 1/3 (0:10) · agent 0:09 · iteration 1');
    expect(frame).toContain('│ I will read the source first.');
    expect(frame).toContain('  ✔ edit view src/slug.js → 24 lines');
    expect(frame).toContain('  ✘ bash node --test → exit 1: 1 failing test');
    // live cost = last totals ($0) + usage since ($0.01); tokens 1200+300+800
    expect(frame).toMatch(/cost \$0\.01\/\$2\.00/);
    expect(frame).toMatch(/tokens 2\.3k\/1M/);
  });

  it('shows a running tool call without an outcome and the streamed text', async () => {
    const app = start();
    const frame = await app.feed([
      ...events.slice(0, 5),
      ev(5, {
        type: 'agent',
        specId: 'add-slugify',
        attempt: 1,
        event: {
          type: 'tool_call',
          turn: 1,
          id: 'x',
          name: 'bash',
          input: {},
          summary: 'npm test',
        },
      }),
    ]);
    expect(frame).toContain('│ I will read');
    expect(frame).toContain('  … bash npm test');
    expect(frame).not.toContain('npm test →');
  });

  it('shows failed checks with counts and failing test names', async () => {
    const app = start();
    const frame = await app.feed(events.slice(0, VALIDATION_FAILED + 1));
    expect(frame).toContain('· validate ');
    expect(frame).toContain(
      '✘ checks failed · 1 passed, 1 failed · ✘ run: node --test: 5 passed, 1 failed',
    );
    expect(frame).toContain('  failing: slugify keeps dashes');
  });

  it('moves finished attempts to the scrollback and ends with the summary', async () => {
    const app = start();
    const frame = await app.feed(events);
    const l = lines(frame);
    expect(l[0]).toBe('✘ add-slugify attempt 1/3 failed · 2 tool calls · 14s');
    expect(l[1]).toBe('  run: node --test: 5 passed, 1 failed · failing: slugify keeps dashes');
    expect(l[2]).toBe('✔ add-slugify attempt 2/3 passed · commit c0ffee1 · 4s');
    expect(l[3]).toBe('⚠ spec validate-input: no checks besides the project tests');
    expect(l[4]).toBe('⊘ validate-input blocked: depends on a failed spec');
    const summary = l.slice(l.findIndex((x) => x.startsWith('mmm ·')) + 1);
    expect(summary).toEqual([
      '✘ Run finished with failures · exit 1',
      '1 done · 0 failed · 1 blocked · 1 commit · cost $0.02 · 3.5k tokens · 26s',
      '1 spec done, 1 blocked',
      '✔ add-slugify      3/3  Add a slugify option',
      '⊘ validate-input   0/2  Validate input',
      'Next:',
      '  git log --oneline main..mmm/20261122-0147-ab12',
      '  git merge mmm/20261122-0147-ab12',
      'Report: mmm report 20261122-0147-ab12 --out report.html',
    ]);
    // no live parts after the end
    expect(frame).not.toContain('q stop');
  });

  it('shows an unknown cost as "unknown", never $0', async () => {
    const app = start();
    const unknown = events
      .slice(0, MID_ATTEMPT)
      .map((e) =>
        e.type === 'agent' && e.event.type === 'usage'
          ? { ...e, event: { ...e.event, cost: null, totalCost: null } }
          : e,
      );
    const frame = await app.feed(unknown);
    expect(frame).toContain('cost unknown/$2.00');
    expect(frame).not.toMatch(/cost \$0\.00/);
  });

  it('truncates long lines at 60 columns instead of wrapping them', async () => {
    const app = start({ columns: 60 });
    const long = 'x'.repeat(200);
    const frame = await app.feed([
      ...events.slice(0, MID_ATTEMPT),
      ev(MID_ATTEMPT, {
        type: 'agent',
        specId: 'add-slugify',
        attempt: 1,
        event: {
          type: 'tool_call',
          turn: 3,
          id: 'long',
          name: 'bash',
          input: {},
          summary: `echo ${long}`,
        },
      }),
      ev(MID_ATTEMPT + 1, { type: 'warning', message: `a very long warning ${long}` }),
    ]);
    const l = lines(frame);
    if (process.env.SHOW_FRAMES) console.log(frame);
    for (const line of l) expect([...line].length).toBeLessThanOrEqual(60);
    expect(l.find((x) => x.startsWith('  … bash echo xxx'))).toMatch(/x…$/);
    expect(l.find((x) => x.startsWith('⚠ a very long warning'))).toMatch(/…$/);
    expect(l[l.findIndex((x) => x.startsWith('mmm ·'))]).toMatch(/…$/);
  });

  it('keeps the live area below the terminal height', async () => {
    const app = start({ columns: 80, rows: 24 });
    const many = Array.from({ length: 20 }, (_, i) =>
      ev(20 + i, {
        type: 'agent',
        specId: 'add-slugify',
        attempt: 1,
        event: {
          type: 'tool_call',
          turn: 3,
          id: `m${i}`,
          name: 'bash',
          input: {},
          summary: `step ${i}`,
        },
      }),
    );
    const frame = await app.feed([...events.slice(0, MID_ATTEMPT), ...many]);
    expect(lines(frame).length).toBeLessThan(24);
    expect(frame).toContain('earlier tool calls');
    expect(frame).toContain('bash step 19');
  });

  it('q asks for a stop, a second q aborts; d toggles details', async () => {
    const app = start();
    await app.feed(events.slice(0, MID_ATTEMPT));
    // Keys are handled asynchronously; wait for their effect rather than a fixed delay.
    const settle = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });
    app.stdin.write('q');
    await settle(() => {
      expect(calls).toEqual(['requestStop']);
      expect(app.lastFrame()).toContain('stopping after the current tool call… q again to abort');
    });
    app.stdin.write('d');
    await settle(() => {
      expect(app.lastFrame()).toContain('✔ edit view src/slug.js → 24 lines (3ms)');
      expect(app.lastFrame()).toContain(
        'tokens in 1.2k · out 300 · cache write 0 / read 800 · iteration 0/10 · 0 commits',
      );
    });
    app.stdin.write('d');
    await settle(() => expect(app.lastFrame()).not.toContain('tokens in'));
    app.stdin.write('q');
    await settle(() => {
      expect(calls).toEqual(['requestStop', 'abort']);
      expect(app.lastFrame()).toContain('aborting…');
    });
  });

  it('Ctrl-C counts like q', async () => {
    const app = start();
    await app.feed(events.slice(0, 1));
    app.stdin.write('\x03');
    await vi.waitFor(() => expect(calls).toEqual(['requestStop']), { timeout: 5000, interval: 10 });
    app.stdin.write('\x03');
    await vi.waitFor(() => expect(calls).toEqual(['requestStop', 'abort']), {
      timeout: 5000,
      interval: 10,
    });
  });

  it('does not crash and ignores keys when stdin is not raw-capable', async () => {
    const app = start({ tty: false });
    const frame = await app.feed(events.slice(0, MID_ATTEMPT));
    expect(frame).toContain('Ctrl-C stop');
    app.stdin.write('q');
    await tick();
    expect(calls).toEqual([]);
  });
});
