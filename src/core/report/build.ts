import { costOf, priceOf } from '../llm/pricing.js';
import type { ModelPricing } from '../config/schema.js';
import type { CheckResult, Iteration, ReportInput, RunEvent } from './input.js';
import {
  REPORT_VERSION,
  type AttemptReport,
  type CheckReport,
  type CommitReport,
  type RunReport,
  type SpecReport,
  type Tokens,
} from './model.js';
import { attemptEvents, attemptKey, sumTime, type AttemptEvents } from './timing.js';

/** Lines of a failing check's output shown in a report. */
export const OUTPUT_HEAD_LINES = 8;

const tokensOf = (u: Tokens): number => u.input + u.output + u.cacheWrite + u.cacheRead;

function runModel(input: ReportInput): string | null {
  const start = [...input.events].reverse().find((e) => e.type === 'run_start');
  if (start && start.type === 'run_start') return start.model;
  const model = input.state.config.model;
  return typeof model === 'string' ? model : null;
}

function pricing(input: ReportInput): Record<string, ModelPricing> {
  const p = input.state.config.pricing;
  return p && typeof p === 'object' ? (p as Record<string, ModelPricing>) : {};
}

function checkReport(c: CheckResult): CheckReport {
  const lines = (c.output ?? '').split('\n').filter((l) => l.trim() !== '');
  return {
    name: c.name,
    passed: c.passed,
    summary: c.summary,
    durationMs: c.durationMs,
    failedTests: c.failedTests ?? [],
    outputHead: c.passed ? [] : lines.slice(0, OUTPUT_HEAD_LINES),
  };
}

function commitReport(input: ReportInput, sha: string): CommitReport {
  const facts = input.commits[sha];
  if (!facts) {
    return { sha, subject: null, trailers: [], files: [], insertions: null, deletions: null };
  }
  const sum = (k: 'added' | 'deleted') => facts.files.reduce((n, f) => n + (f[k] ?? 0), 0);
  return {
    sha: facts.sha || sha,
    subject: facts.subject,
    trailers: facts.trailers,
    files: facts.files,
    insertions: sum('added'),
    deletions: sum('deleted'),
  };
}

/** One line per reason an attempt was not accepted. */
function failureReasons(it: Iteration, facts: AttemptEvents | undefined): string[] {
  if (it.outcome === undefined || it.outcome === 'passed') return [];
  if (it.outcome === 'no_changes') return ['the attempt changed no file'];
  if (it.outcome === 'stopped') return ['the run was stopped during this attempt'];
  if (it.outcome === 'agent_error') {
    const why = facts?.agentError ?? facts?.agentStop ?? it.feedback ?? 'the agent failed';
    return [`agent error: ${why.split('\n')[0] ?? why}`];
  }
  const verdict = facts?.verdict;
  if (verdict && verdict.newFailures.length) return verdict.newFailures;
  const failing = (it.validation ?? []).filter((c) => !c.passed);
  if (failing.length) return failing.map((c) => `${c.name}: ${c.summary}`);
  const contradicted = (it.criteria ?? []).filter((c) => c.status === 'contradicted');
  if (contradicted.length) {
    return contradicted.map((c) => `criterion ${c.n} contradicted: ${c.reason ?? c.text}`);
  }
  const first = it.feedback?.split('\n').find((l) => l.trim() !== '');
  return [first ?? 'rejected (the reason was not recorded)'];
}

/** `cost` split by token kind in proportion to each kind's list price × tokens. */
export function costByKind(
  cost: number | null,
  usage: Tokens,
  price: { input: number; output: number; cache_write: number; cache_read: number } | undefined,
): Tokens | null {
  if (cost === null || !price) return null;
  const raw = {
    input: usage.input * price.input,
    output: usage.output * price.output,
    cacheWrite: usage.cacheWrite * price.cache_write,
    cacheRead: usage.cacheRead * price.cache_read,
  };
  const sum = raw.input + raw.output + raw.cacheWrite + raw.cacheRead;
  if (sum <= 0) return { input: cost, output: 0, cacheWrite: 0, cacheRead: 0 };
  const k = cost / sum;
  return {
    input: raw.input * k,
    output: raw.output * k,
    cacheWrite: raw.cacheWrite * k,
    cacheRead: raw.cacheRead * k,
  };
}

/** Lanes for a Gantt chart: an attempt goes in the first lane free at its start. */
function assignLanes(attempts: AttemptReport[]): void {
  const laneEnds: number[] = [];
  const order = [...attempts].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  for (const a of order) {
    const start = Date.parse(a.startedAt);
    const end = a.endedAt ? Date.parse(a.endedAt) : start + (a.durationMs ?? 0);
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane === -1) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    a.lane = lane;
  }
}

type Price = Parameters<typeof costByKind>[2];

function attemptReport(
  input: ReportInput,
  it: Iteration,
  facts: AttemptEvents | undefined,
  price: Price,
): AttemptReport {
  const start = Date.parse(it.startedAt);
  const end = it.endedAt ? Date.parse(it.endedAt) : NaN;
  return {
    index: it.index,
    specId: it.specId,
    attempt: it.attempt,
    startedAt: it.startedAt,
    endedAt: it.endedAt ?? null,
    durationMs: Number.isFinite(end - start) ? Math.max(0, end - start) : null,
    outcome: it.outcome ?? null,
    usage: { ...it.usage },
    tokens: tokensOf(it.usage),
    cost: it.cost,
    costByKind: costByKind(it.cost, it.usage, price),
    time: facts?.time ?? null,
    checks: (it.validation ?? []).map(checkReport),
    failureReasons: failureReasons(it, facts),
    preExisting: facts?.verdict?.preExisting ?? [],
    flaky: facts?.verdict?.flaky ?? [],
    criteria: it.criteria ?? [],
    commit: it.commit ? commitReport(input, it.commit) : null,
    patch: it.patch ? (input.patches[it.patch] ?? it.patch) : null,
    patchFile: it.patch ?? null,
    summary: it.summary?.trim() || null,
    feedback: it.feedback ?? null,
    lane: 0,
  };
}

function sumCost(costs: (number | null)[]): number | null {
  let total = 0;
  for (const c of costs) {
    if (c === null) return null;
    total += c;
  }
  return total;
}

function warnings(events: readonly RunEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) if (e.type === 'warning' && !out.includes(e.message)) out.push(e.message);
  return out;
}

/** The report of a run, from what source.ts read. Pure. */
export function buildReport(input: ReportInput): RunReport {
  const { state } = input;
  const byAttempt = attemptEvents(input.events);
  const model = runModel(input);
  const price = model ? priceOf(model, pricing(input)) : undefined;
  const attempts = state.iterations.map((it) =>
    attemptReport(input, it, byAttempt.get(attemptKey(it.specId, it.attempt)), price),
  );
  assignLanes(attempts);
  const ordered = new Set(state.specOrder);
  const ids = [...ordered, ...Object.keys(state.specs).filter((id) => !ordered.has(id))];
  const bySpec = new Map<string, AttemptReport[]>();
  for (const a of attempts) bySpec.set(a.specId, [...(bySpec.get(a.specId) ?? []), a]);
  const specs: SpecReport[] = ids.flatMap((id) => {
    const s = state.specs[id];
    if (!s) return [];
    const mine = bySpec.get(id) ?? [];
    const withCriteria = [...mine].reverse().find((a) => a.criteria.length > 0);
    return [
      {
        id,
        title: s.title,
        file: s.file,
        status: s.status,
        failure: s.failure ?? null,
        unverified: s.unverified ?? [],
        commit: s.commit ?? null,
        attempts: mine,
        cost: mine.length ? sumCost(mine.map((a) => a.cost)) : 0,
        tokens: mine.reduce((n, a) => n + a.tokens, 0),
        durationMs: mine.reduce((n, a) => n + (a.durationMs ?? 0), 0),
        criteria: withCriteria?.criteria ?? [],
      },
    ];
  });
  const counts: Record<string, number> & { total: number } = { total: specs.length };
  for (const s of specs) counts[s.status] = (counts[s.status] ?? 0) + 1;

  const usage = { ...state.totals.usage };
  const prompt = usage.input + usage.cacheWrite + usage.cacheRead;
  const uncached = model
    ? costOf(
        model,
        { input: prompt, output: usage.output, cacheWrite: 0, cacheRead: 0 },
        pricing(input),
      )
    : null;
  const cost = state.totals.cost;
  const b = state.baseline;
  return {
    version: REPORT_VERSION,
    run: {
      id: state.runId,
      status: state.status,
      live: input.live,
      reason: state.stopReason ?? null,
      branch: state.branch,
      baseBranch: state.baseBranch,
      baseCommit: state.baseCommit,
      workflow: state.workflow,
      model,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      durationMs: state.totals.elapsedMs,
      parallel: state.parallel?.width ?? 1,
      inPlace: state.inPlace,
    },
    totals: {
      usage,
      tokens: tokensOf(usage),
      cost,
      costWithoutCache: cost === null ? null : uncached,
      // Rounded to a millionth of a dollar: float noise must not read as a saving.
      cacheSavings:
        cost === null || uncached === null ? null : Math.round((uncached - cost) * 1e6) / 1e6,
      cacheShare: prompt > 0 ? usage.cacheRead / prompt : null,
      iterations: Math.max(state.totals.iterations, state.iterations.length),
      commits: state.totals.commits,
      specs: counts,
      time: sumTime(attempts.map((a) => a.time)),
    },
    limits: state.limits,
    baseline: b
      ? {
          commit: b.commit,
          takenAt: b.takenAt,
          durationMs: b.durationMs,
          checks: b.results.map((r) => ({ name: r.name, passed: r.passed, summary: r.summary })),
          preExisting: b.preExisting,
          flaky: b.flaky,
        }
      : null,
    specs,
    attempts,
    warnings: warnings(input.events),
    next: input.next,
    eventsRecorded: input.eventsRecorded,
  };
}
