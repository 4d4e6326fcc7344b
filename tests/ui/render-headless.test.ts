import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseMode, renderRun } from '../../src/ui/render-run.js';
import { listHandle, manualHandle, scenario } from './fixtures.js';

/** A stream object that records what was written (not a TTY: no colors). */
class Capture extends EventEmitter {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function streams() {
  const stdout = new Capture();
  const stderr = new Capture();
  return {
    stdout,
    stderr,
    opts: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      signals: false,
    },
  };
}

const TIME = /^\d\d:\d\d:\d\d /;

// Renderers decide colors from the stream and the environment: make the environment neutral.
const forced = process.env.FORCE_COLOR;
beforeEach(() => {
  delete process.env.FORCE_COLOR;
});
afterEach(() => {
  if (forced !== undefined) process.env.FORCE_COLOR = forced;
});

describe('plain renderer', () => {
  it('prints one timestamped line per meaningful event, no escapes, text once per turn, totals once per attempt', async () => {
    const { stdout, stderr, opts } = streams();
    await renderRun(listHandle(scenario()), { mode: 'plain', ...opts });
    const lines = stdout.text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(TIME);
    expect(stdout.text).not.toContain('\x1b');
    expect(stderr.text).toBe('');
    expect(lines.map((l) => l.replace(TIME, ''))).toEqual([
      'run started 20261122-0147-ab12 on mmm/20261122-0147-ab12 · model claude-sonnet-4-5 · workflow specs',
      'limits: 10 iterations · $2.00 · 1M tokens · 30:00 · 2 specs: add-slugify (pending), validate-input (pending)',
      'spec add-slugify attempt 1/3 · iteration 1 · Add a slugify option',
      '  assistant: I will read the source first.',
      '  ✔ edit view src/slug.js → 24 lines (3ms)',
      '  ✘ bash node --test → exit 1: 1 failing test (900ms)',
      '  agent finished: end_turn after 2 turns · cost $0.01',
      '  step validate',
      '  checks failed: 1 of 2',
      '    ✘ run: node --test: 5 passed, 1 failed (800ms)',
      '      failing: slugify keeps dashes',
      '    ✔ file_contains: src/slug.js: found (1ms)',
      '✘ add-slugify attempt 1/3 failed: run: node --test failed: slugify keeps dashes',
      'totals: cost $0.01 · 2.3k tokens · 1 iteration · 0 commits · 16s',
      'spec add-slugify attempt 2/3 · iteration 2 · Add a slugify option',
      '  assistant: Fixed the dash handling.',
      '  checks passed (1)',
      '    ✔ run: node --test: 6 passed (700ms)',
      '  step commit',
      '✔ add-slugify attempt 2/3 passed → commit c0ffee1',
      'spec add-slugify → done',
      'warning: spec validate-input: no checks besides the project tests',
      'spec validate-input → blocked: depends on a failed spec',
      'totals: cost $0.02 · 3.5k tokens · 2 iterations · 1 commit · 25s',
      'run failed: 1 spec done, 1 blocked',
      '1 done · 0 failed · 1 commit · cost $0.02 · 3.5k tokens · 26s · branch mmm/20261122-0147-ab12 · exit 1',
      'next: git log --oneline main..mmm/20261122-0147-ab12',
      'next: git merge mmm/20261122-0147-ab12',
      'report: mmm report 20261122-0147-ab12 --out report.html',
    ]);
  });

  it('timestamps the stop notices of a first and second Ctrl-C, and stops then aborts', async () => {
    const { stdout, opts } = streams();
    const handle = manualHandle();
    const [first] = scenario();
    if (first) handle.push(first);
    // renderPlain installs its signal handlers synchronously, before its first await.
    const done = renderRun(handle, { mode: 'plain', ...opts, signals: true });
    process.emit('SIGINT');
    process.emit('SIGINT');
    handle.end();
    await done;
    expect(handle.calls).toEqual(['requestStop', 'abort']);
    const lines = stdout.text.trimEnd().split('\n');
    expect(lines.filter((l) => /stopping|aborting/.test(l))).toEqual([
      expect.stringMatching(
        /^\d\d:\d\d:\d\d stopping after the current tool call… \(Ctrl-C again to abort\)$/,
      ),
      expect.stringMatching(/^\d\d:\d\d:\d\d aborting…$/),
    ]);
    for (const line of lines) expect(line).toMatch(TIME);
  });

  it('does not print the totals sent after every request inside an attempt', async () => {
    const { stdout, opts } = streams();
    const [start, attempt] = scenario();
    const totals = scenario().find((e) => e.type === 'totals')!;
    await renderRun(listHandle([start!, attempt!, totals, totals]), { mode: 'plain', ...opts });
    expect(stdout.text).not.toContain('totals:');
  });

  it('prints a multi-line text indented, capped at 20 lines', async () => {
    const { stdout, opts } = streams();
    const [start] = scenario();
    const text = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n');
    const e = {
      ...start!,
      type: 'agent',
      specId: 'a',
      attempt: 1,
      event: { type: 'text', turn: 1, text },
    } as const;
    await renderRun(listHandle([e as never]), { mode: 'plain', ...opts });
    const lines = stdout.text
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(TIME, ''));
    expect(lines[0]).toBe('  assistant: line 1');
    expect(lines[1]).toBe('             line 2');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('             … 5 more lines');
  });
});

describe('JSON renderer', () => {
  it('writes every event as one JSON line, exactly as emitted; the summary on stderr', async () => {
    const { stdout, stderr, opts } = streams();
    const events = scenario();
    await renderRun(listHandle(events), { mode: 'json', ...opts });
    const lines = stdout.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(events.length);
    lines.forEach((line, i) => {
      expect(line).toBe(JSON.stringify(events[i]));
      expect(JSON.parse(line)).toEqual(events[i]);
    });
    expect(stderr.text.split('\n')).toEqual([
      'mmm: run failed: 1 spec done, 1 blocked · 1 commit · cost $0.02 · 26s',
      'mmm: next: git log --oneline main..mmm/20261122-0147-ab12',
      'mmm: next: git merge mmm/20261122-0147-ab12',
      '',
    ]);
  });
});

describe('chooseMode', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('uses the TUI only on a TTY, outside CI, without --no-tui', () => {
    expect(chooseMode({}, {}, tty)).toBe('tui');
    expect(chooseMode({ tui: true }, {}, tty)).toBe('tui');
    expect(chooseMode({}, {}, pipe)).toBe('plain');
    expect(chooseMode({}, { CI: 'true' }, tty)).toBe('plain');
    expect(chooseMode({}, { CI: '1' }, tty)).toBe('plain');
    expect(chooseMode({}, { CI: 'false' }, tty)).toBe('tui');
    expect(chooseMode({ tui: false }, {}, tty)).toBe('plain');
    expect(chooseMode({}, { TERM: 'dumb' }, tty)).toBe('plain');
  });
  it('--json wins', () => {
    expect(chooseMode({ json: true }, {}, tty)).toBe('json');
    expect(chooseMode({ json: true, tui: false }, { CI: '1' }, pipe)).toBe('json');
  });
});
