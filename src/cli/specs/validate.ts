import { resolveSpecDir } from '../../core/specs/spec-dir.js';
import { assertValidSpecs, loadSpecs, repoRelative } from '../../core/specs/load.js';
import { color } from '../../ui/colors.js';
import { printWarnings } from './load-valid.js';

/** `mmm specs validate [--strict] [--json]`: exit 0, or 2 with every problem listed. */
export async function validateSpecsCommand(options: {
  cwd: string;
  strict: boolean;
  json: boolean;
}): Promise<number> {
  const { root, specDir } = await resolveSpecDir(options.cwd);
  const result = await loadSpecs(root, specDir);
  const dir = repoRelative(root, specDir) || '.';
  const failing = result.problems.filter((p) => options.strict || p.severity === 'error');
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ spec_dir: dir, specs: result.specs.length, valid: failing.length === 0, problems: result.problems }, null, 2)}\n`,
    );
    return failing.length === 0 ? 0 : 2;
  }
  assertValidSpecs(result, { strict: options.strict });
  printWarnings(result);
  const n = result.specs.length;
  const warnings = result.problems.length;
  process.stdout.write(
    `${color.green('✓')} ${n} spec${n === 1 ? '' : 's'} in ${dir}/ valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`,
  );
  return 0;
}
