import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
import {
  describeTurn,
  fileWritingModel,
  finish,
  spawnImprove,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
  runIdOf,
} from '../improve/helpers.js';
import { chartCounts, findChromium, screenshot } from './html-check.js';

/**
 * `mmm report` of a real run made end to end with the fake server: one spec passes at
 * once, one is retried after a failed check, one fails twice and is given up.
 */
let fake: FakeAnthropic | undefined;
let repo: string;
let runId: string;
let env: Record<string, string>;
/** The real run's HTML report, kept for the Chromium test and as an artifact. */
const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts');
const E2E_HTML = join(ARTIFACTS, 'report-e2e.html');

async function makeRun(): Promise<void> {
  repo = improveRepo([
    { id: 'pass', title: 'Write a', checks: ['file_exists: a.txt'] },
    { id: 'retry', title: 'Write b', checks: ['file_exists: b.txt'] },
    { id: 'fail', title: 'Write c', checks: ['file_exists: c.txt'], maxAttempts: 2 },
  ]);
  fake = await startFakeAnthropic({
    script: fileWritingModel({
      pass: { path: 'a.txt', text: 'alpha\n' },
      retry: {
        path: 'b.txt',
        text: (t) => (t.system.includes('Validation failed') ? 'beta\n' : 'bug\n'),
      },
      fail: { path: 'c.txt', text: 'bug again\n' },
    }),
  });
  env = modelEnv(fake.url);
  const r = await improve(repo, ['--report', join(repo, 'at-the-end.md')], env);
  expect(r.exitCode, r.stderr).toBe(1);
  runId = runIdOf(runEnd(r.stdout).branch);
  expect(r.stderr).toContain(`mmm: report written to ${join(repo, 'at-the-end.md')}`);
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const report = (...args: string[]) => runMmm(['report', ...args], { cwd: repo, env });

interface JsonReport {
  run: { id: string; status: string };
  totals: { iterations: number; commits: number; time: unknown; tokens: number };
  specs: {
    id: string;
    status: string;
    attempts: {
      outcome: string;
      failureReasons: string[];
      patch: string | null;
      time: { modelMs: number; toolsMs: number; validationMs: number } | null;
      commit: { insertions: number | null; trailers: [string, string][] } | null;
      checks: { name: string; passed: boolean; outputHead: string[] }[];
    }[];
  }[];
  attempts: unknown[];
}

describe('mmm report of a run with a passed, a retried and a failed spec', () => {
  it('reports it in each format: json, markdown, pr, html', async () => {
    await makeRun();
    await checkJson();
    await checkMarkdown();
    await checkPr();
    await checkHtml();
    await checkStats();
  }, 60_000);

  /** `mmm runs --stats`: pass rate, cost per commit, median attempts, failure reasons. */
  async function checkStats(): Promise<void> {
    const r = await runMmm(['runs', '--stats', '--json'], { cwd: repo, env });
    expect(r.exitCode, r.stderr).toBe(0);
    const stats = JSON.parse(r.stdout) as {
      runs: number;
      attempts: { judged: number; passed: number; passRate: number };
      commits: number;
      costPerCommit: number;
      cost: number;
      specs: { tried: number; medianAttempts: number };
      failureReasons: { reason: string; count: number }[];
    };
    expect(stats.runs).toBe(1);
    expect(stats.attempts).toEqual({ judged: 5, passed: 2, passRate: 0.4 });
    expect(stats.commits).toBe(2);
    expect(stats.costPerCommit).toBeCloseTo(stats.cost / 2, 10);
    expect(stats.specs).toMatchObject({ tried: 3, done: 2, failed: 1, medianAttempts: 2 });
    expect(stats.failureReasons.reduce((n, f) => n + f.count, 0)).toBeGreaterThanOrEqual(3);
    const text = await runMmm(['runs', '--stats'], { cwd: repo, env });
    expect(text.stdout).toContain('attempts passed:          40% (2 of 5)');
    expect(text.stdout).toContain(
      'attempts per spec:        median 2 (3 specs tried: 2 done, 1 failed)',
    );
    expect(text.stdout).toContain('most frequent failure reasons:');
  }

  async function checkJson(): Promise<void> {
    const r = await report('--format', 'json');
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.run.id).toBe(runId);
    expect(j.run.status).toBe('failed');
    expect(j.specs.map((s) => [s.id, s.status, s.attempts.map((a) => a.outcome)])).toEqual([
      ['pass', 'done', ['passed']],
      ['retry', 'done', ['failed', 'passed']],
      ['fail', 'failed', ['failed', 'failed']],
    ]);
    expect(j.totals.iterations).toBe(5);
    expect(j.totals.commits).toBe(2);
    const [pass, retry, fail] = j.specs;
    expect(pass?.attempts[0]?.commit?.insertions).toBe(2); // a.txt and the spec's status
    expect(pass?.attempts[0]?.commit?.trailers).toContainEqual(['Mmm-Spec', 'pass']);
    const rejected = retry?.attempts[0];
    expect(rejected?.failureReasons.join('\n')).toMatch(/test/);
    expect(rejected?.patch).toBe(`.mmm/runs/${runId}/attempts/retry-1.patch`);
    expect(existsSync(join(repo, rejected?.patch ?? 'none'))).toBe(true);
    const failing = rejected?.checks.find((c) => !c.passed);
    expect(failing?.outputHead.join('\n')).toContain('b.txt contains a bug');
    for (const a of j.specs.flatMap((s) => s.attempts)) {
      expect(a.time).not.toBeNull();
      expect(a.time?.validationMs).toBeGreaterThan(0);
    }
    expect(fail?.attempts[1]?.patch).toBe(`.mmm/runs/${runId}/attempts/fail-2.patch`);
  }

  /** Markdown (the default): the facts, the baseline, each spec and attempt. */
  async function checkMarkdown(): Promise<void> {
    const r = await report();
    expect(r.exitCode, r.stderr).toBe(0);
    const md = r.stdout;
    // `mmm improve --report FILE` wrote the same report when the run ended.
    expect(readFileSync(join(repo, 'at-the-end.md'), 'utf8')).toBe(md);
    expect(md).toMatch(new RegExp(`^# mmm run ${runId} — failed: 2 of 3 specs done`));
    expect(md).toContain('| Branch | `mmm/' + runId + '` from `main`');
    expect(md).toContain('## Baseline');
    expect(md).toContain('No pre-existing failures.');
    expect(md).toMatch(/\| ✅ \| pass: Write a \| done \| 1 \|/);
    expect(md).toMatch(/\| ✅ \| retry: Write b \| done \| 2 \|/);
    expect(md).toMatch(/\| ❌ \| fail: Write c \| failed/);
    expect(md).toContain('#### Attempt 1: rejected');
    expect(md).toContain('not ok - b.txt contains a bug');
    expect(md).toContain(`Saved patch: \`.mmm/runs/${runId}/attempts/retry-1.patch\``);
    expect(md).toMatch(/Commit `[0-9a-f]{7}` mmm: Write a \(\+2 −1 in 2 files\)/);
    expect(md).toMatch(/\(model \d[^·]* · tools [^·]+ · validation [^·]+ · other [^)]+\)/);
  }

  /** A pull-request body with the summary, the evidence and the trailers. */
  async function checkPr(): Promise<void> {
    const r = await report('--format', 'pr');
    expect(r.exitCode, r.stderr).toBe(0);
    const body = r.stdout;
    expect(body).toMatch(/^## failed: 2 of 3 specs done/);
    expect(body).toContain('| Cost | Tokens | Iterations | Commits | Duration |');
    expect(body).toContain(`Mmm-Run: ${runId}\nMmm-Spec: pass\nMmm-Attempt: 1`);
    expect(body).toContain(`Mmm-Spec: retry\nMmm-Attempt: 2`);
    expect(body).toContain('<summary>❌ <b>fail</b>: Write c — failed, 2 attempts</summary>');
    expect(body).toContain(`mmm report ${runId} --out report.html`);
    expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
  }

  /** One self-contained file whose charts have a bar or point per attempt. */
  async function checkHtml(): Promise<void> {
    const out = join(repo, 'report.html');
    const r = await report(runId, '--out', out);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import/i);
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).toContain('@media print');
    expect(chartCounts(html)).toEqual({
      tokenBars: 5,
      tokenSegments: expect.any(Number) as number,
      costBars: 5,
      costSegments: expect.any(Number) as number,
      cachePoints: 5,
      timelineAttempts: 5,
      timeBars: 5,
    });
    // Accepted attempts are green (pass, retry #2), rejected ones red (retry #1, fail #1, #2).
    expect(html.match(/class="attempt o-ok"/g)).toHaveLength(2);
    expect(html.match(/class="attempt o-bad"/g)).toHaveLength(3);
    // A rejected attempt links its saved patch.
    expect(html).toContain(
      `<a href="${pathToFileURL(join(repo, '.mmm', 'runs', runId, 'attempts', 'retry-1.patch')).href}">`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    copyFileSync(out, E2E_HTML);
  }

  const chromium = findChromium();
  it.skipIf(!chromium)(
    chromium
      ? 'html: renders in headless Chromium (screenshot kept in tests/.artifacts/)'
      : 'html: renders in headless Chromium — SKIPPED: no chromium on PATH (apt-get install chromium)',
    async () => {
      expect(existsSync(E2E_HTML), 'the first test writes the report').toBe(true);
      const png = join(ARTIFACTS, 'report.png');
      await screenshot(chromium as string, E2E_HTML, png);
      const bytes = readFileSync(png);
      // A PNG, of the width asked for, and not blank (a rendered page compresses worse).
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(bytes.readUInt32BE(16)).toBe(1000);
      expect(bytes.length).toBeGreaterThan(20_000);
    },
    30_000,
  );

  it('reports a run while it is going: the attempt under way is in progress', async () => {
    repo = improveRepo([
      { id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] },
      { id: 'slow', title: 'Write b', checks: ['file_exists: b.txt'] },
    ]);
    const files = fileWritingModel({ first: { path: 'a.txt', text: 'alpha\n' } });
    fake = await startFakeAnthropic({
      // The second spec's first request is held for long enough to report meanwhile.
      script: (request) =>
        describeTurn(request).taskId === 'slow'
          ? { ...finish('Thinking.'), delayMs: 20_000 }
          : files(request),
    });
    env = modelEnv(fake.url);
    const live = spawnImprove(repo, [], env);
    try {
      await live.waitFor((e) => e.type === 'attempt_start' && e.specId === 'slow');
      const r = await report('--format', 'json');
      expect(r.exitCode, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as JsonReport & { run: { live: boolean } };
      expect(j.run.live).toBe(true);
      expect(j.specs.map((s) => [s.id, s.attempts.map((a) => a.outcome)])).toEqual([
        ['first', ['passed']],
        ['slow', [null]],
      ]);
      const md = await report();
      expect(md.stdout).toContain('— running: 1 of 2 specs done');
      expect(md.stdout).toContain('#### Attempt 1: in progress');
    } finally {
      live.child.kill('SIGKILL');
      await live.done;
    }
  }, 60_000);

  it('refuses a bad format or an unknown run with exit 2, writing nothing', async () => {
    repo = improveRepo([]);
    env = modelEnv('http://127.0.0.1:9');
    const none = await report();
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('no runs yet');
    const bad = await report('--format', 'pdf');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--format pdf: not a report format');
    expect(bad.stderr).toContain('md, html, json, pr');
    const noDir = await improve(repo, ['--report', join(repo, 'no', 'such', 'dir.html')], env);
    expect(noDir.exitCode).toBe(2);
    expect(noDir.stderr).toContain('the directory');
    expect(existsSync(join(repo, '.mmm', 'runs'))).toBe(false);
    const missing = await report('20200101-000000-abcd');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no run 20200101-000000-abcd');
  });
});
