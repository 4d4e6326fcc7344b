import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/core/report/build.js';
import { renderHtml } from '../../src/core/report/html.js';
import { renderMarkdown } from '../../src/core/report/markdown.js';
import { PR_BODY_LIMIT, renderPrBody } from '../../src/core/report/pr.js';
import { median, runStats } from '../../src/core/report/stats.js';
import { chartCounts } from './html-check.js';
import { syntheticInput } from './synthetic-input.js';

describe('the report of a 50-spec run (state and events made up directly)', () => {
  const input = syntheticInput(50);
  const report = buildReport(input);

  it('counts every spec and attempt', () => {
    expect(report.specs).toHaveLength(50);
    expect(report.attempts).toHaveLength(16 * 3 + 34 * 2);
    expect(report.totals.specs).toMatchObject({ total: 50, done: 34, failed: 16 });
  });

  it("splits each attempt's cost by token kind, adding up to its cost", () => {
    for (const a of report.attempts) {
      const k = a.costByKind;
      expect(k).not.toBeNull();
      expect(
        (k?.input ?? 0) + (k?.output ?? 0) + (k?.cacheWrite ?? 0) + (k?.cacheRead ?? 0),
      ).toBeCloseTo(a.cost ?? -1, 10);
      // sonnet 5.5: input $2, cache read $0.10 per MTok → 12k input cost 6× 40k cache reads
      expect((k?.input ?? 0) / (k?.cacheRead ?? 1)).toBeCloseTo((12_000 * 2) / (40_000 * 0.1), 6);
    }
  });

  it('--format pr stays under 64 KB, every spec still named', () => {
    const full = renderMarkdown(report);
    expect(Buffer.byteLength(full)).toBeGreaterThan(64 * 1024); // the full report would not fit
    const body = renderPrBody(report);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(PR_BODY_LIMIT);
    expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
    for (const s of report.specs) expect(body).toContain(s.id);
    expect(body).toContain('<details');
    expect(body).toContain(`mmm report ${report.run.id} --out report.html`);
  });

  it('--format pr stays under the limit for 600 specs too, with a count of the rest', () => {
    const body = renderPrBody(buildReport(syntheticInput(600, { events: false })));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(PR_BODY_LIMIT);
    expect(body).toMatch(/… \d+ more specs: see the full report\./);
  });

  it('html: one bar, point and timeline rect per attempt', () => {
    const n = report.attempts.length;
    expect(chartCounts(renderHtml(report))).toEqual({
      tokenBars: n,
      tokenSegments: n * 4,
      costBars: n,
      costSegments: n * 4,
      cachePoints: n,
      timelineAttempts: n,
      timeBars: n,
    });
  });
});

describe('a run recorded before events or timings existed', () => {
  const report = buildReport(syntheticInput(3, { events: false }));

  it('says "not recorded" instead of inventing numbers', () => {
    expect(report.eventsRecorded).toBe(false);
    expect(report.attempts.every((a) => a.time === null)).toBe(true);
    expect(report.totals.time).toBeNull();
    const md = renderMarkdown(report);
    expect(md).toContain('| Time split | not recorded |');
    expect(md).toContain('time splits and verdict details are not recorded');
    expect(md).toContain('Baseline: not recorded.');
    const html = renderHtml(report);
    expect(html).toContain('Time split: not recorded');
    expect(chartCounts(html).timeBars).toBe(0);
  });
});

describe('runs --stats across runs', () => {
  it('adds up attempts, commits and costs, and ranks the failure reasons', () => {
    const one = syntheticInput(3); // specs 0, 1 pass on attempt 2; spec 2 fails 3 times
    const two = syntheticInput(6, { events: false });
    const s = runStats([one, two], [{ runId: 'x', error: 'broken' }]);
    expect(s.runs).toBe(2);
    expect(s.unreadable).toHaveLength(1);
    // run one: 2 + 2 + 3 attempts, 2 passed; run two: twice that.
    expect(s.attempts).toEqual({ judged: 21, passed: 6, passRate: 6 / 21 });
    expect(s.commits).toBe(6);
    expect(s.costPerCommit).toBeCloseTo((21 * 0.05) / 6, 10);
    expect(s.specs).toEqual({ tried: 9, done: 6, failed: 3, medianAttempts: 2 });
    expect(s.failureReasons).toEqual([{ reason: 'test: 40 failed', count: 15 }]);
  });

  it('median of an even and an odd count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
