import { didYouMean } from '../config/did-you-mean.js';
import { PRIORITIES, type Spec, type SpecPosition, type SpecProblem } from './model.js';

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
  const byNumber = new Map<number, string[]>();
  for (const s of specs) {
    if (s.number !== undefined) byNumber.set(s.number, [...(byNumber.get(s.number) ?? []), s.id]);
  }
  return specs.map((s) => {
    const dependsOn = s.dependsOn.map((dep) => {
      if (ids.has(dep) || !/^\d+$/.test(dep)) return dep;
      const match = byNumber.get(Number(dep));
      return match?.length === 1 && match[0] !== undefined ? match[0] : dep;
    });
    return dependsOn.some((d, i) => d !== s.dependsOn[i]) ? { ...s, dependsOn } : s;
  });
}

function depPosition(spec: Spec, index: number): SpecPosition {
  return spec.positions?.dependsOn?.[index] ?? { line: 1, column: 1 };
}

function problem(spec: Spec, at: SpecPosition, message: string): SpecProblem {
  return { file: spec.file, line: at.line, column: at.column, message, severity: 'error' };
}

/**
 * Unknown dependencies, duplicate ids and cycles, as errors at the `depends_on` entry
 * or `id`. `options.otherIds`: ids (and numbers, as text) of spec files that exist but
 * did not parse, so their dependents do not get a second, misleading error.
 */
export function buildGraph(
  input: Spec[],
  options: { otherIds?: Iterable<string> } = {},
): { problems: SpecProblem[] } {
  const others = new Set(options.otherIds ?? []);
  const specs = resolveDependencies(input);
  const problems: SpecProblem[] = [];
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

function compareSpecs(a: Spec, b: Spec): number {
  const p = PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority);
  if (p !== 0) return p;
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

/** Statuses a run may pick up. `draft`, `done`, `failed` and `blocked` are left alone. */
const WORKABLE = new Set(['ready', 'in-progress']);

/**
 * Specs that can be worked on now, in work order: status ready or in-progress, not in
 * `done`, and every dependency either in `done` or marked `status: done` in its file.
 */
export function readySpecs(input: Spec[], done: Set<string>): Spec[] {
  const specs = resolveDependencies(input);
  const doneIds = new Set(done);
  for (const s of specs) if (s.status === 'done') doneIds.add(s.id);
  const ready = new Set(
    specs
      .filter((s) => WORKABLE.has(s.status) && !doneIds.has(s.id))
      .filter((s) => s.dependsOn.every((d) => doneIds.has(d)))
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
