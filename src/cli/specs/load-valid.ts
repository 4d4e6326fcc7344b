import { resolveSpecDir } from '../../core/specs/spec-dir.js';
import { assertValidSpecs, loadSpecs, type LoadedSpecs } from '../../core/specs/load.js';
import { formatProblem } from '../../core/specs/model.js';
import { paint } from '../../ui/colors.js';

export interface ValidSpecs extends LoadedSpecs {
  root: string;
  specDir: string;
}

/** Print warnings to stderr, one `file:line:col: warning: …` per line. */
export function printWarnings(result: LoadedSpecs): void {
  for (const p of result.problems) {
    if (p.severity === 'warning') process.stderr.write(`${paint.yellow(formatProblem(p))}\n`);
  }
}

/**
 * Load the specs of the project around `cwd` for a command that needs them valid:
 * errors throw InputError (exit 2), warnings go to stderr.
 */
export async function loadValidSpecs(cwd: string): Promise<ValidSpecs> {
  const { root, specDir } = await resolveSpecDir(cwd);
  const result = await loadSpecs(root, specDir);
  assertValidSpecs(result);
  printWarnings(result);
  return { ...result, root, specDir };
}
