import { didYouMean } from '../config/did-you-mean.js';
import { numberKey } from './fields.js';
import {
  numberLabel,
  PRIORITIES,
  type Spec,
  type SpecPosition,
  type SpecProblem,
} from './model.js';

/** What a dependency on a spec number with no file means (`specs.missing_dependency`). */
export type MissingDependency = 'done' | 'error';

/**
 * The dependency graph between specs: problems (unknown dependencies, duplicate ids,
 * cycles), the work order, the ready set and the dependents of a spec.
 */

/**
 * Dependencies written as numbers (`dependencies: [1, 2]`, the prodigy style) refer to
 * the spec with that `number`; rewrite them to ids. Ids win over numbers; unresolvable
 * entries are left as written (buildGraph reports them). Returns new spec objects.
 */
export function resolveDependencies(specs: Spec[]): Spec[] {
  const ids = new Set(specs.map((s) => s.id));
  const byNumber = specsByNumber(specs);
  return specs.map((s) => {
    const dependsOn = s.dependsOn.map((dep) => {
      const key = numberKey(dep);
      if (ids.has(dep) || key === undefined) return dep;
      const match = byNumber.get(key);
      return match?.length === 1 && match[0] !== undefined ? match[0].id : dep;
    });
    return dependsOn.some((d, i) => d !== s.dependsOn[i]) ? { ...s, dependsOn } : s;
  });
}

/** Specs by number key (`174a`), several when a number is used twice. */
function specsByNumber(specs: Spec[]): Map<string, Spec[]> {
  const byNumber = new Map<string, Spec[]>();
  for (const s of specs) {
    const label = numberLabel(s);
    if (label === undefined) continue;
    const key = label.toLowerCase();
    byNumber.set(key, [...(byNumber.get(key) ?? []), s]);
  }
  return byNumber;
}

function depPosition(spec: Spec, index: number): SpecPosition {
  return spec.positions?.dependsOn?.[index] ?? { line: 1, column: 1 };
}

function problem(spec: Spec, at: SpecPosition, message: string): SpecProblem {
  return { file: spec.file, line: at.line, column: at.column, message, severity: 'error' };
}

/**
 * Unknown dependencies, duplicate ids and numbers, and cycles, as errors at the
 * `depends_on` entry or `id`. `options.otherIds`: ids (and numbers, as text) of spec files
 * that exist but could not be read at all, so their dependents do not get a second,
 * misleading error. A dependency on a number no spec has is the predecessor's convention
 * for a spec that was implemented and deleted: with `missingDependency: 'done'` (the
 * default) it is a warning and counts as done, with `'error'` an error.
 */
export function buildGraph(
  input: Spec[],
  options: { otherIds?: Iterable<string>; missingDependency?: MissingDependency } = {},
): { problems: SpecProblem[] } {
  const others = new Set(options.otherIds ?? []);
  const specs = resolveDependencies(input);
  const problems: SpecProblem[] = [];
  const byNumber = specsByNumber(input);
  for (const [key, same] of byNumber) {
    if (same.length < 2) continue;
    const [first, ...rest] = same;
    for (const spec of rest) {
      problems.push(
        problem(
          spec,
          { line: 1, column: 1 },
          `duplicate spec number ${key} (also used by ${first?.file}): renumber one of them (its "number:" or its file name)`,
        ),
      );
    }
  }
  const byId = new Map<string, Spec>();
  for (const spec of specs) {
    const first = byId.get(spec.id);
    if (first) {
      problems.push(
        problem(
          spec,
          spec.positions?.id ?? { line: 1, column: 1 },
          `duplicate spec id "${spec.id}" (also used by ${first.file}): set a different "id:" in one of them`,
        ),
      );
    } else byId.set(spec.id, spec);
  }
  const ids = [...byId.keys()];
  for (const spec of specs) {
    spec.dependsOn.forEach((dep, i) => {
      if (byId.has(dep) || others.has(dep)) return;
      const key = numberKey(dep);
      if (key !== undefined && (byNumber.get(key)?.length ?? 0) > 1) return; // reported above
      if (key !== undefined && !others.has(key)) {
        const error = options.missingDependency === 'error';
        problems.push({
          ...problem(
            spec,
            depPosition(spec, i),
            error
              ? `depends on spec ${key}, and no spec has that number: remove the dependency, or set specs.missing_dependency = "done" to count it as done`
              : `assumed done: no spec ${key} (a dependency on a spec number with no file counts as done; specs.missing_dependency = "error" makes it an error)`,
          ),
          severity: error ? 'error' : 'warning',
        });
        return;
      }
      const guess = dep.length > 2 ? didYouMean(dep, ids) : undefined;
      const why = /^\d+$/.test(dep)
        ? ` (no spec has id "${dep}" or number ${Number(dep)})`
        : guess
          ? ` (did you mean "${guess}"?)`
          : '';
      problems.push(problem(spec, depPosition(spec, i), `depends on unknown spec "${dep}"${why}`));
    });
  }
  for (const cycle of findCycles(specs, byId)) {
    const [head] = cycle;
    const spec = head === undefined ? undefined : byId.get(head);
    if (!spec) continue;
    const index = spec.dependsOn.indexOf(cycle[1] ?? '');
    problems.push(
      problem(
        spec,
        depPosition(spec, index),
        `dependency cycle: ${cycle.join(' -> ')}; remove one of these dependencies`,
      ),
    );
  }
  return { problems };
}

/** Each elementary cycle found by depth-first search, as a closed path `a, b, a`. */
function findCycles(specs: Spec[], byId: Map<string, Spec>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (s === undefined) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const spec of sortByPriorityThenFile(specs)) if (!state.has(spec.id)) visit(spec.id);
  return cycles;
}

/** Priority, then number (numerically, `174` < `174a` < `175`; unnumbered last), then file. */
function compareSpecs(a: Spec, b: Spec): number {
  const p = PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority);
  if (p !== 0) return p;
  const an = a.number ?? Infinity;
  const bn = b.number ?? Infinity;
  if (an !== bn) return an < bn ? -1 : 1;
  const as = a.numberSuffix ?? '';
  const bs = b.numberSuffix ?? '';
  if (as !== bs) return as < bs ? -1 : 1;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function sortByPriorityThenFile(specs: Spec[]): Spec[] {
  return [...specs].sort(compareSpecs);
}

/**
 * Topological order (a spec after everything it depends on); among specs whose
 * dependencies are placed, higher priority first, then file name. Specs caught in a
 * cycle come last, in priority/file order. Unknown dependencies are ignored.
 */
export function orderSpecs(input: Spec[]): Spec[] {
  const specs = resolveDependencies(input);
  const byId = new Map<string, Spec>();
  for (const s of specs) if (!byId.has(s.id)) byId.set(s.id, s);
  const remaining = new Map<Spec, number>();
  const dependents = new Map<string, Spec[]>();
  for (const s of specs) {
    const deps = new Set(s.dependsOn.filter((d) => byId.has(d) && d !== s.id));
    remaining.set(s, deps.size);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), s]);
  }
  // `available` stays sorted in reverse, so the next spec is popped from the end.
  const available = specs.filter((s) => remaining.get(s) === 0).sort((a, b) => compareSpecs(b, a));
  const out: Spec[] = [];
  const placed = new Set<Spec>();
  while (available.length > 0) {
    const next = available.pop() as Spec;
    out.push(next);
    placed.add(next);
    if (byId.get(next.id) !== next) continue;
    for (const d of dependents.get(next.id) ?? []) {
      const left = (remaining.get(d) ?? 0) - 1;
      remaining.set(d, left);
      if (left === 0) insertSorted(available, d);
    }
  }
  const orderedInput = new Map(specs.map((s, i) => [s, input[i] as Spec]));
  const rest = sortByPriorityThenFile(specs.filter((s) => !placed.has(s)));
  return [...out, ...rest].map((s) => orderedInput.get(s) ?? s);
}

/** Insert into an array sorted by descending `compareSpecs` order. */
function insertSorted(list: Spec[], spec: Spec): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareSpecs(list[mid] as Spec, spec) > 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, spec);
}

/**
 * Statuses a run may pick up: `draft` too (the predecessor wrote every spec as a draft;
 * `pending`, `todo` and `open` are read as `ready`). `done`, `failed` and `blocked` are
 * left alone.
 */
export const WORKABLE_STATUSES: ReadonlySet<string> = new Set(['draft', 'ready', 'in-progress']);

/**
 * Specs that can be worked on now, in work order: status draft, ready or in-progress, not
 * in `done`, and every dependency either in `done`, marked `status: done` in its file, or
 * not a spec at all (a number with no file: assumed done, see buildGraph).
 */
export function readySpecs(input: Spec[], done: Set<string>): Spec[] {
  const specs = resolveDependencies(input);
  const doneIds = new Set(done);
  const known = new Set(specs.map((s) => s.id));
  for (const s of specs) if (s.status === 'done') doneIds.add(s.id);
  const ready = new Set(
    specs
      .filter((s) => WORKABLE_STATUSES.has(s.status) && !doneIds.has(s.id))
      .filter((s) => s.dependsOn.every((d) => doneIds.has(d) || !known.has(d)))
      .map((s) => s.id),
  );
  return orderSpecs(input).filter((s) => ready.has(s.id));
}

/** Ids of every spec that depends on `id`, directly or not, in work order. */
export function dependentsOf(input: Spec[], id: string): string[] {
  const specs = resolveDependencies(input);
  const found = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const s of specs) {
      if (s.dependsOn.includes(current) && !found.has(s.id) && s.id !== id) {
        found.add(s.id);
        queue.push(s.id);
      }
    }
  }
  return orderSpecs(input)
    .map((s) => s.id)
    .filter((x) => found.has(x));
}
