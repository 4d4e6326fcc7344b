import { didYouMean } from '../../config/did-you-mean.js';
import { InputError } from '../../errors.js';
import { dependentsOf, orderSpecs } from '../../specs/graph.js';
import type { Spec } from '../../specs/model.js';
import type { SpecSummary } from '../events.js';
import type { RunState, SpecState } from '../store/state.js';

/**
 * Which specs a run works on and in what order: the selection at the start, the next
 * spec to attempt, and blocking the dependents of a spec that failed.
 */
export interface SpecPlan {
  order: string[];
  specs: Record<string, SpecState>;
  /** Named with --spec but already done, or otherwise left out: told to the user. */
  notes: string[];
}

/** `draft` too: the predecessor wrote every spec as a draft (see specs/graph.ts). */
const WORKABLE = new Set(['draft', 'ready', 'in-progress']);

/** `--spec` ids that do not exist → InputError (exit 2) with a did-you-mean. */
export function checkSpecIds(specs: Spec[], ids: string[]): void {
  const known = specs.map((s) => s.id);
  const problems = ids
    .filter((id) => !known.includes(id))
    .map((id) => {
      const guess = didYouMean(id, known);
      return `--spec ${id}: no spec has this id${guess ? ` (did you mean "${guess}"?)` : ''}`;
    });
  if (problems.length > 0) {
    throw new InputError(`unknown spec id${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: 'list the spec ids with `mmm specs`',
    });
  }
}

/**
 * The specs of a run: with `ids`, those specs (whatever their status, unless done);
 * otherwise every spec whose status is draft, ready or in-progress. A selected spec that
 * depends on a spec that is neither done nor selected is blocked from the start.
 */
export function planSpecs(all: Spec[], ids?: string[]): SpecPlan {
  const ordered = orderSpecs(all);
  const byId = new Map(ordered.map((s) => [s.id, s]));
  const notes: string[] = [];
  const selected = new Set<string>();
  for (const spec of ordered) {
    const named = ids?.includes(spec.id) ?? false;
    if (ids && !named) continue;
    if (spec.status === 'done') {
      if (named)
        notes.push(`spec ${spec.id} is already done (status: done in ${spec.file}); skipped`);
      continue;
    }
    if (!named && !WORKABLE.has(spec.status)) continue;
    selected.add(spec.id);
  }
  const specs: Record<string, SpecState> = {};
  const order: string[] = [];
  for (const spec of ordered) {
    if (!selected.has(spec.id)) continue;
    order.push(spec.id);
    const missing = spec.dependsOn.filter((dep) => {
      const d = byId.get(dep);
      if (!d || d.status === 'done') return false;
      return !selected.has(dep) || specs[dep]?.status === 'blocked';
    });
    specs[spec.id] = {
      title: spec.title,
      file: spec.file,
      status: missing.length ? 'blocked' : 'pending',
      attempts: 0,
      ...(missing.length
        ? {
            failure: `depends on ${missing
              .map((m) => `${m} (${byId.get(m)?.status ?? 'unknown'})`)
              .join(', ')}, not done and not part of this run`,
          }
        : {}),
    };
  }
  return { order, specs, notes };
}

function depsDone(spec: Spec, state: RunState, all: Map<string, Spec>): boolean {
  return spec.dependsOn.every((dep) => {
    if (state.specs[dep]) return state.specs[dep].status === 'done';
    // No such spec (a number whose file was deleted once done): assumed done, as the
    // loader warned (specs.missing_dependency = "error" stops before the run instead).
    if (!all.has(dep)) return true;
    return all.get(dep)?.status === 'done';
  });
}

/**
 * The next spec to attempt: one already in progress (an interrupted run continues the
 * spec it was on), else the first pending spec in work order whose dependencies are done.
 */
export function nextSpec(state: RunState, specs: Spec[]): Spec | undefined {
  const all = new Map(specs.map((s) => [s.id, s]));
  for (const wanted of ['in-progress', 'pending'] as const) {
    for (const id of state.specOrder) {
      const spec = all.get(id);
      if (!spec || state.specs[id]?.status !== wanted) continue;
      if (depsDone(spec, state, all)) return spec;
    }
  }
  return undefined;
}

/**
 * Every spec that could start now, in the order nextSpec would pick them: in progress
 * first, then pending, each with its dependencies done (a parallel run's candidates).
 */
export function readySpecs(state: RunState, specs: Spec[]): Spec[] {
  const all = new Map(specs.map((s) => [s.id, s]));
  const ready: Spec[] = [];
  for (const wanted of ['in-progress', 'pending'] as const) {
    for (const id of state.specOrder) {
      const spec = all.get(id);
      if (!spec || state.specs[id]?.status !== wanted) continue;
      if (depsDone(spec, state, all)) ready.push(spec);
    }
  }
  return ready;
}

/** Mark every pending spec that depends on `id` (directly or not) blocked; their ids. */
export function blockDependents(state: RunState, specs: Spec[], id: string): string[] {
  const blocked: string[] = [];
  for (const dep of dependentsOf(specs, id)) {
    const s = state.specs[dep];
    if (!s || (s.status !== 'pending' && s.status !== 'in-progress')) continue;
    state.specs[dep] = { ...s, status: 'blocked', failure: `depends on ${id}, which failed` };
    blocked.push(dep);
  }
  return blocked;
}

/** Pending specs left that can never become ready (their dependency is missing). */
export function strandedSpecs(state: RunState, specs: Spec[]): string[] {
  const all = new Map(specs.map((s) => [s.id, s]));
  return state.specOrder.filter((id) => {
    const s = state.specs[id];
    return (s?.status === 'pending' || s?.status === 'in-progress') && !all.has(id);
  });
}

export function specSummaries(state: RunState, specs: Spec[]): SpecSummary[] {
  const all = new Map(specs.map((s) => [s.id, s]));
  return state.specOrder.map((id) => {
    const s = state.specs[id] as SpecState;
    const spec = all.get(id);
    const total = spec?.criteria.length ?? 0;
    // Done: every criterion ticked but those left unverified (no evidence).
    const done =
      s.status === 'done'
        ? Math.max(0, total - (s.unverified?.length ?? 0))
        : (spec?.criteria.filter((c) => c.done).length ?? 0);
    return {
      id,
      title: s.title,
      status: s.status,
      criteriaDone: done,
      criteriaTotal: total,
      ...(s.failure ? { reason: s.failure } : {}),
      ...(s.commit ? { commit: s.commit } : {}),
      attempts: s.attempts,
    };
  });
}
