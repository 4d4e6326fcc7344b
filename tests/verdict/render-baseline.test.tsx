/** The `baseline` event as the three readers show it: plain log, TUI, `mmm status`. */
import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import type { RunEvent } from '../../src/core/run/events.js';
import { PlainFormatter } from '../../src/ui/plain-format.js';
import { initialRunView, reduceRunView } from '../../src/ui/run-view.js';
import { LogLine } from '../../src/ui/tui/LogLine.js';
import { PLAIN_THEME, ThemeContext } from '../../src/ui/tui/theme.js';
import { mount, tick } from '../ui/ink-harness.js';

const event: RunEvent = {
  t: '2026-11-29T04:00:00.000Z',
  runId: '20261129-040000-ab12',
  type: 'baseline',
  commit: '3f2c9d41a7e0b8c1d2e3f4a5b6c7d8e9f0a1b2c3',
  durationMs: 1830,
  checks: [
    {
      name: 'test',
      passed: false,
      summary: '2 passed, 1 failed',
      exitCode: 1,
      failedTests: ['legacy'],
      durationMs: 900,
    },
  ],
  preExisting: ['test: test `legacy` fails'],
  flaky: ['flip'],
  source: 'taken',
};

describe('baseline rendering', () => {
  it('plain: the commands, each pre-existing failure and the flaky tests', () => {
    const lines = new PlainFormatter(pc.createColors(false)).format(event).map((l) => l.slice(9));
    expect(lines).toEqual([
      'baseline at 3f2c9d4: test 2 passed, 1 failed (1.8s)',
      "  pre-existing (not the model's task): test: test `legacy` fails",
      '  flaky (never decides alone): flip',
    ]);
  });

  it('TUI: a log line above the live area', async () => {
    const state = reduceRunView(initialRunView(), event);
    const item = state.log.at(-1);
    expect(item?.kind).toBe('baseline');
    const app = mount(
      <ThemeContext.Provider value={PLAIN_THEME}>
        <LogLine item={item!} />
      </ThemeContext.Provider>,
    );
    await tick();
    const frame = app.lastFrame();
    app.unmount();
    expect(frame).toContain('⚠ baseline at 3f2c9d4: test 2 passed, 1 failed');
    expect(frame).toContain("pre-existing (not the model's task): test: test `legacy` fails");
    expect(frame).toContain('flaky (never decides alone): flip');
  });
});
