import type { AttemptReport, RunReport, SpecReport } from './model.js';
import type { CriterionVerdict } from './input.js';
import {
  diffstat,
  duration,
  limitsLine,
  NOT_RECORDED,
  oneLine,
  outcomeWord,
  percent,
  short,
  statusIcon,
  timeSplit,
  tokens,
  usd,
} from './units.js';

/** Markdown building blocks shared by the report (markdown.ts) and the PR body (pr.ts). */

/** Text for a table cell: one line, pipes escaped. */
export function cell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/**
 * Inline text on one line. Spec titles, criteria and verdicts are markdown already (they
 * quote code in backticks), so only `<` is escaped: no raw HTML gets into a PR body.
 */
export function inline(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** `code` that survives backticks inside. */
export function code(text: string): string {
  const t = oneLine(text);
  const ticks = (t.match(/`+/g) ?? []).reduce((n, s) => Math.max(n, s.length), 0);
  const fence = '`'.repeat(ticks + 1);
  return ticks ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
}

/** A fenced block that survives fences inside. */
export function fenced(lines: string[], lang = ''): string[] {
  const longest = lines.reduce((n, l) => Math.max(n, (l.match(/`{3,}/g) ?? [''])[0].length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence + lang, ...lines, fence];
}

export function usageLine(u: {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}): string {
  return `input ${tokens(u.input)} · cache read ${tokens(u.cacheRead)} · cache write ${tokens(u.cacheWrite)} · output ${tokens(u.output)}`;
}

export function costLine(r: RunReport): string {
  const t = r.totals;
  if (t.cost === null) return 'unknown (no price for this model; add one under [pricing])';
  if (t.cacheSavings === null || t.costWithoutCache === null) return usd(t.cost);
  const verb = t.cacheSavings >= 0 ? 'saved' : 'cost';
  return `${usd(t.cost)} (prompt caching ${verb} ${usd(Math.abs(t.cacheSavings))}; ${usd(t.costWithoutCache)} without it)`;
}

/** The run's facts as a two-column table. */
export function factsTable(r: RunReport): string[] {
  const t = r.totals;
  const base = r.run.baseBranch
    ? `${code(r.run.baseBranch)} at ${code(short(r.run.baseCommit))}`
    : code(short(r.run.baseCommit));
  const rows: [string, string][] = [
    [
      'Outcome',
      `${r.run.live ? 'running' : r.run.status}${r.run.reason ? ` — ${r.run.reason}` : ''}`,
    ],
    ['Branch', `${code(r.run.branch)} from ${base}`],
    ['Model', r.run.model ?? NOT_RECORDED],
    ['Started', r.run.createdAt],
    ['Duration', duration(r.run.durationMs)],
    ['Cost', costLine(r)],
    ['Tokens', `${tokens(t.tokens)}: ${usageLine(t.usage)} · cache share ${percent(t.cacheShare)}`],
    ['Iterations', `${t.iterations} · ${t.commits} commit${t.commits === 1 ? '' : 's'}`],
    [
      'Time split',
      `${timeSplit(t.time)}${t.time && r.run.parallel > 1 ? ` (summed over ${r.run.parallel} lanes working at the same time)` : ''}`,
    ],
    ['Limits', limitsLine(r)],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
}

/** One row per spec. */
export function specTable(specs: SpecReport[]): string[] {
  return [
    '| | Spec | Outcome | Attempts | Commit | Cost | Time |',
    '|---|---|---|--:|---|--:|--:|',
    ...specs.map(
      (s) =>
        `| ${statusIcon(s.status)} | ${cell(`${s.id}: ${s.title}`)} | ${cell(s.status + (s.failure ? ` — ${s.failure}` : ''))} | ${s.attempts.length} | ${s.commit ? code(short(s.commit)) : ''} | ${usd(s.cost)} | ${duration(s.durationMs)} |`,
    ),
  ];
}

const CRITERION_ICONS: Record<string, string> = {
  verified: '✅',
  ticked: '☑️',
  unverified: '⚠️',
  contradicted: '❌',
};

export function criteriaLines(criteria: CriterionVerdict[]): string[] {
  return criteria.map((c) => {
    const why = c.evidence.length
      ? `: ${c.evidence.map(oneLine).join('; ')}`
      : c.reason
        ? `: ${oneLine(c.reason)}`
        : '';
    return `- ${CRITERION_ICONS[c.status] ?? '•'} ${c.n}. ${inline(c.text)} — **${c.status}**${inline(why)}`;
  });
}

export function baselineLines(r: RunReport): string[] {
  const b = r.baseline;
  if (!b) return [`Baseline: ${NOT_RECORDED}.`];
  const checks = b.checks.map((c) => `${c.name} ${c.passed ? 'passed' : 'failed'} (${c.summary})`);
  const lines = [
    `Taken at ${code(short(b.commit))} before any model call in ${duration(b.durationMs)}: ${checks.join(' · ') || 'no commands'}.`,
  ];
  if (b.preExisting.length) {
    lines.push('', 'Pre-existing failures (never counted against an attempt):');
    for (const p of b.preExisting) lines.push(`- ${inline(p)}`);
  } else lines.push('', 'No pre-existing failures.');
  if (b.flaky.length) lines.push('', `Flaky (never decide alone): ${b.flaky.map(code).join(', ')}`);
  return lines;
}

/** An attempt: outcome, cost, time split, failing checks with their first lines, commit or patch. */
export function attemptLines(a: AttemptReport, options: { output: boolean }): string[] {
  const lines = [
    `#### Attempt ${a.attempt}: ${outcomeWord(a.outcome)}`,
    '',
    `${usd(a.cost)} · ${tokens(a.tokens)} tokens · ${duration(a.durationMs)} (${timeSplit(a.time)})`,
  ];
  if (a.failureReasons.length) {
    lines.push('', 'Why it was rejected:');
    for (const f of a.failureReasons) lines.push(`- ${inline(f)}`);
  }
  const failing = a.checks.filter((c) => !c.passed);
  const passing = a.checks.filter((c) => c.passed);
  if (passing.length) {
    lines.push(
      '',
      `Passed: ${passing.map((c) => `${code(c.name)} (${oneLine(c.summary)})`).join(', ')}`,
    );
  }
  for (const c of failing) {
    lines.push('', `Failed: ${code(c.name)} — ${inline(c.summary)} (${duration(c.durationMs)})`);
    if (c.failedTests.length) lines.push(`- failing tests: ${c.failedTests.map(code).join(', ')}`);
    if (options.output && c.outputHead.length) lines.push('', ...fenced(c.outputHead));
  }
  if (a.preExisting.length) {
    lines.push('', `Pre-existing, not counted: ${a.preExisting.map(inline).join('; ')}`);
  }
  if (a.commit) {
    const subject = a.commit.subject ? ` ${inline(a.commit.subject)}` : '';
    lines.push('', `Commit ${code(short(a.commit.sha))}${subject} (${diffstat(a.commit)})`);
    for (const f of a.commit.files) {
      const stat = f.added === null ? 'binary' : `+${f.added} −${f.deleted ?? 0}`;
      lines.push(`- ${code(f.path)} ${stat}`);
    }
  }
  if (a.patch) lines.push('', `Saved patch: ${code(a.patch)}`);
  return lines;
}
