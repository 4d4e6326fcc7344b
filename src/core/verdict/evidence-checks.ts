import type { Spec, SpecCheck } from '../specs/model.js';

/**
 * The checks an attempt is validated with: the spec's `checks:` and the criteria's own
 * checks (`<!-- check: … -->`), each once. A criterion check is a check of the spec like
 * any other: it must pass, and when it does it is its criterion's evidence.
 */
export function attemptChecks(spec: Pick<Spec, 'checks' | 'criteria'>): SpecCheck[] {
  const out = [...spec.checks];
  const seen = new Set(out.map(checkResultName));
  for (const c of spec.criteria) {
    if (!c.check) continue;
    const name = checkResultName(c.check);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(c.check);
  }
  return out;
}

/** The name validate/ gives the check's result (validate.ts, file-checks.ts). */
export function checkResultName(check: SpecCheck): string {
  switch (check.kind) {
    case 'run':
      return `run: ${check.run}`;
    case 'file_exists':
      return `file_exists: ${check.path}`;
    case 'file_contains':
      return `file_contains: ${check.path} ~ /${check.pattern}/`;
    case 'expr':
      return `expr: ${check.expr}`;
  }
}
