import { assertValidSpecs } from '../../core/specs/load.js';
import { color } from '../../ui/colors.js';
import {
  describeLayouts,
  loadProjectSpecs,
  printWarnings,
  specDirJson,
  specDirsShown,
} from './load-valid.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm specs validate [--strict] [--json]`: exit 0, or 2 with every problem listed. */
export async function validateSpecsCommand(options: {
  cwd: string;
  strict: boolean;
  json: boolean;
}): Promise<ExitCode> {
  const result = await loadProjectSpecs(options.cwd);
  const failing = result.problems.filter((p) => options.strict || p.severity === 'error');
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ spec_dir: specDirJson(result), specs: result.specs.length, valid: failing.length === 0, layouts: result.layouts, problems: result.problems }, null, 2)}\n`,
    );
    return failing.length === 0 ? ExitCode.Ok : ExitCode.BadInput;
  }
  assertValidSpecs(result, { strict: options.strict });
  printWarnings(result);
  const n = result.specs.length;
  const warnings = result.problems.length;
  const flat =
    result.layouts.length <= 1 &&
    Object.keys(result.layouts[0]?.layouts ?? {}).every((l) => l === 'file');
  const where = flat ? specDirsShown(result) : describeLayouts(result.layouts);
  process.stdout.write(
    `${color.green('✓')} ${n} spec${n === 1 ? '' : 's'} in ${where} valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`,
  );
  return ExitCode.Ok;
}
