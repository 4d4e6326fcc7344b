import type { Spec } from '../../specs/model.js';

/**
 * Which ready specs a parallel run starts now (pure). A spec is ready when its
 * dependencies are done on the run branch (interpreter/plan.ts readySpecs); two specs whose
 * declared `files:` globs may overlap never run at the same time — the later one in spec
 * order waits. Specs without `files:` declare nothing, so they may run together (their
 * conflicts, if any, are found when merging).
 */

const GLOB_CHARS = /[*?[\]{}!]/;

/** The literal directory part of a glob, up to its first wildcard: `src/a/` of `src/a/**`. */
export function staticPrefix(glob: string): string {
  const clean = glob.replace(/^\.\//, '').replace(/^\/+/, '');
  const parts = clean.split('/');
  const literal: string[] = [];
  for (const part of parts) {
    if (GLOB_CHARS.test(part)) return literal.length ? `${literal.join('/')}/` : '';
    literal.push(part);
  }
  return literal.join('/');
}

function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * Whether two globs may match a common path. Conservative: a false "yes" only serialises
 * two specs, a false "no" would let them race. Two literal paths overlap when equal (or one
 * is a directory of the other); with a wildcard, when the literal prefixes nest.
 */
export function globsMayOverlap(a: string, b: string): boolean {
  const pa = staticPrefix(a);
  const pb = staticPrefix(b);
  if (!isGlob(a) && !isGlob(b)) {
    return pa === pb || pa.startsWith(`${pb}/`) || pb.startsWith(`${pa}/`);
  }
  return pa.startsWith(pb) || pb.startsWith(pa);
}

/**
 * Two specs that live in one file (the tasks of a task-master tasks.json) overlap too:
 * mmm writes each one's status back into that file.
 */
export function specsMayOverlap(
  a: Pick<Spec, 'files' | 'file'>,
  b: Pick<Spec, 'files' | 'file'>,
): boolean {
  if (a.file === b.file) return true;
  return a.files.some((x) => b.files.some((y) => globsMayOverlap(x, y)));
}

/**
 * The ready specs to start, in order, given the specs running now and the free lanes: a
 * candidate is skipped while it may overlap a running spec or one picked before it.
 */
export function specsToStart(ready: Spec[], running: Spec[], free: number): Spec[] {
  const picked: Spec[] = [];
  const busy = new Set(running.map((s) => s.id));
  for (const spec of ready) {
    if (picked.length >= free) break;
    if (busy.has(spec.id)) continue;
    if ([...running, ...picked].some((other) => specsMayOverlap(spec, other))) continue;
    picked.push(spec);
  }
  return picked;
}
