import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheChart, costChart, timeChart, timelineChart, tokensChart } from './html-charts.js';
import { REPORT_CSS } from './html-style.js';
import type { AttemptReport, RunReport, SpecReport } from './model.js';
import { esc } from './svg.js';
import {
  diffstat,
  duration,
  headline,
  limitsLine,
  NOT_RECORDED,
  outcomeWord,
  percent,
  short,
  timeSplit,
  tokens,
  usd,
} from './units.js';

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, nothing
 * fetched. Readable in light and dark mode and on paper.
 */

const STATUS_CLASS: Record<string, string> = { done: 'ok', failed: 'bad', blocked: 'bad' };
const c = (s: string) => `<code>${esc(s)}</code>`;

/** Text glyphs, not emoji: they render in every font and on paper. */
const GLYPHS: Record<string, string> = {
  done: '✔',
  failed: '✘',
  blocked: '⊘',
  skipped: '–',
  pending: '·',
  'in-progress': '▶',
};
const icon = (status: string) =>
  `<span class="${STATUS_CLASS[status] ?? 'warn'}">${GLYPHS[status] ?? '•'}</span>`;

/** Markdown-ish text (spec titles, criteria): `code` spans become <code>, the rest is escaped. */
function md(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? c(part.slice(1, -1)) : esc(part)))
    .join('');
}

function figure(caption: string, chart: string): string {
  return `<figure><figcaption>${esc(caption)}</figcaption>${chart}</figure>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

function cards(r: RunReport): string {
  const t = r.totals;
  const savings =
    t.cacheSavings === null ? NOT_RECORDED : `${usd(t.cacheSavings)} saved by the cache`;
  return `<div class="cards">${[
    card(usd(t.cost), savings),
    card(tokens(t.tokens), `tokens · cache share ${percent(t.cacheShare)}`),
    card(duration(r.run.durationMs), 'duration'),
    card(`${t.specs.done ?? 0} / ${t.specs.total}`, 'specs done'),
    card(String(t.iterations), 'iterations'),
    card(String(t.commits), 'commits'),
  ].join('')}</div>`;
}

function facts(r: RunReport): string {
  const u = r.totals.usage;
  const rows: [string, string][] = [
    [
      'Outcome',
      esc(`${r.run.live ? 'running' : r.run.status}${r.run.reason ? ` — ${r.run.reason}` : ''}`),
    ],
    [
      'Branch',
      `${c(r.run.branch)} from ${r.run.baseBranch ? `${c(r.run.baseBranch)} at ` : ''}${c(short(r.run.baseCommit))}`,
    ],
    ['Model', esc(r.run.model ?? NOT_RECORDED)],
    ['Started', esc(r.run.createdAt)],
    [
      'Cost',
      esc(
        r.totals.costWithoutCache === null
          ? usd(r.totals.cost)
          : `${usd(r.totals.cost)} (${usd(r.totals.costWithoutCache)} without prompt caching)`,
      ),
    ],
    [
      'Tokens',
      esc(
        `input ${tokens(u.input)} · cache read ${tokens(u.cacheRead)} · cache write ${tokens(u.cacheWrite)} · output ${tokens(u.output)}`,
      ),
    ],
    [
      'Time split',
      esc(
        `${timeSplit(r.totals.time)}${r.totals.time && r.run.parallel > 1 ? ` (summed over ${r.run.parallel} lanes working at the same time)` : ''}`,
      ),
    ],
    ['Limits', esc(limitsLine(r))],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function baseline(r: RunReport): string {
  const b = r.baseline;
  if (!b) return `<p class="muted">Baseline: ${NOT_RECORDED}.</p>`;
  const checks = b.checks
    .map((x) => `<li class="${x.passed ? 'ok' : 'bad'}">${c(x.name)} ${esc(x.summary)}</li>`)
    .join('');
  const pre = b.preExisting.length
    ? `<p>Pre-existing failures (never counted against an attempt):</p><ul>${b.preExisting.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '<p>No pre-existing failures.</p>';
  const flaky = b.flaky.length
    ? `<p>Flaky (never decide alone): ${b.flaky.map(c).join(', ')}</p>`
    : '';
  return `<p>Taken at ${c(short(b.commit))} before any model call, in ${esc(duration(b.durationMs))}.</p><ul>${checks}</ul>${pre}${flaky}`;
}

function specTable(specs: SpecReport[]): string {
  const rows = specs
    .map(
      (s) =>
        `<tr><td>${icon(s.status)}</td><td><a href="#spec-${esc(s.id)}">${esc(s.id)}</a> ${md(s.title)}</td><td class="${STATUS_CLASS[s.status] ?? 'warn'}">${esc(s.status)}</td><td class="num">${s.attempts.length}</td><td>${s.commit ? c(short(s.commit)) : ''}</td><td class="num">${esc(usd(s.cost))}</td><td class="num">${esc(duration(s.durationMs))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th></th><th>Spec</th><th>Outcome</th><th class="num">Attempts</th><th>Commit</th><th class="num">Cost</th><th class="num">Time</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const CRITERION_CLASS: Record<string, string> = {
  verified: 'ok',
  ticked: 'ok',
  unverified: 'warn',
  contradicted: 'bad',
};

function attempt(a: AttemptReport): string {
  const parts = [
    `<h4>Attempt ${a.attempt}: <span class="${a.outcome === 'passed' ? 'ok' : a.outcome ? 'bad' : 'warn'}">${esc(outcomeWord(a.outcome))}</span></h4>`,
    `<p class="muted">${esc(`${usd(a.cost)} · ${tokens(a.tokens)} tokens · ${duration(a.durationMs)} (${timeSplit(a.time)})`)}</p>`,
  ];
  if (a.failureReasons.length) {
    parts.push(`<ul>${a.failureReasons.map((f) => `<li class="bad">${md(f)}</li>`).join('')}</ul>`);
  }
  for (const k of a.checks) {
    const head = `<p><span class="${k.passed ? 'ok' : 'bad'}">${k.passed ? '✔' : '✘'}</span> ${c(k.name)} ${esc(k.summary)} <span class="muted">${esc(duration(k.durationMs))}</span></p>`;
    parts.push(head);
    if (k.outputHead.length) parts.push(`<pre>${esc(k.outputHead.join('\n'))}</pre>`);
  }
  if (a.preExisting.length) {
    parts.push(`<p class="muted">Pre-existing, not counted: ${esc(a.preExisting.join('; '))}</p>`);
  }
  if (a.commit) {
    const files = a.commit.files
      .map(
        (f) =>
          `<li>${c(f.path)} ${f.added === null ? 'binary' : `<span class="ok">+${f.added}</span> <span class="bad">−${f.deleted ?? 0}</span>`}</li>`,
      )
      .join('');
    parts.push(
      `<p>Commit ${c(short(a.commit.sha))} ${esc(a.commit.subject ?? '')} <span class="muted">(${esc(diffstat(a.commit))})</span></p><ul>${files}</ul>`,
    );
  }
  if (a.patch) {
    const href = a.patchFile && isAbsolute(a.patchFile) ? pathToFileURL(a.patchFile).href : a.patch;
    parts.push(`<p>Saved patch: <a href="${esc(href)}">${c(a.patch)}</a></p>`);
  }
  return `<div class="attempt-box">${parts.join('')}</div>`;
}

function spec(s: SpecReport): string {
  const criteria = s.criteria.length
    ? `<ul class="criteria">${s.criteria
        .map(
          (k) =>
            `<li><span class="badge ${CRITERION_CLASS[k.status] ?? ''}">${esc(k.status)}</span> ${k.n}. ${md(k.text)}${k.evidence.length ? ` <span class="muted">— ${md(k.evidence.join('; '))}</span>` : k.reason ? ` <span class="muted">— ${md(k.reason)}</span>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';
  return `<section class="spec" id="spec-${esc(s.id)}"><h3>${icon(s.status)} ${esc(s.id)}: ${md(s.title)}</h3><p class="muted">${esc(`${s.status} · ${s.attempts.length} attempt${s.attempts.length === 1 ? '' : 's'} · ${usd(s.cost)} · ${s.file}`)}</p>${s.failure ? `<p class="bad">${esc(s.failure)}</p>` : ''}${criteria}${s.attempts.map(attempt).join('')}</section>`;
}

export function renderHtml(r: RunReport): string {
  const charts = r.attempts.length
    ? [
        figure('Tokens per iteration, by kind', tokensChart(r)),
        figure('Cost per iteration, by kind of token', costChart(r)),
        figure('Cache share of prompt tokens over the run', cacheChart(r)),
        figure('Timeline of attempts per spec', timelineChart(r)),
        figure('Where the time went: model, tools, validation', timeChart(r)),
      ].join('\n')
    : '<p class="muted">No attempts yet.</p>';
  const warnings = r.warnings.length
    ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li class="warn">${esc(w)}</li>`).join('')}</ul>`
    : '';
  const next = r.next.length ? `<h2>Next</h2><pre>${esc(r.next.join('\n'))}</pre>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>mmm run ${esc(r.run.id)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>mmm run ${esc(r.run.id)}</h1>
<p class="muted">${esc(headline(r))}</p>
${cards(r)}
${facts(r)}
<h2>Charts</h2>
${charts}
<h2>Baseline</h2>
${baseline(r)}
<h2>Specs</h2>
${r.specs.length ? specTable(r.specs) : '<p class="muted">No specs in this run.</p>'}
${r.specs.map(spec).join('\n')}
${warnings}
${next}
<footer>Generated by mmm from .mmm/runs/${esc(r.run.id)} (state.json and events.jsonl).</footer>
</main>
</body>
</html>
`;
}
