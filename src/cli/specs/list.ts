import { orderSpecs } from '../../core/specs/graph.js';
import { assertValidSpecs } from '../../core/specs/load.js';
import { formatProblem, numberLabel, type Spec } from '../../core/specs/model.js';
import { color } from '../../ui/colors.js';
import { criteriaCount, renderSpecTable, renderStatusSummary } from '../../ui/specs-render.js';
import {
  describeLayouts,
  loadProjectSpecs,
  printWarnings,
  specDirJson,
  specDirsShown,
} from './load-valid.js';
import { ExitCode } from '../../core/errors.js';

/** The JSON shape of one spec in `mmm specs --json`. */
export function specSummary(spec: Spec): Record<string, unknown> {
  return {
    id: spec.id,
    title: spec.title,
    file: spec.file,
    status: spec.status,
    priority: spec.priority,
    depends_on: spec.dependsOn,
    criteria: criteriaCount(spec),
    ...(spec.number !== undefined
      ? { number: spec.numberSuffix ? numberLabel(spec) : spec.number }
      : {}),
    ...(spec.layout && spec.layout !== 'file' ? { layout: spec.layout } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}),
  };
}

export async function listSpecsCommand(options: { cwd: string; json: boolean }): Promise<ExitCode> {
  const result = await loadProjectSpecs(options.cwd);
  const { specs, layouts } = result;
  const ordered = orderSpecs(specs);
  if (options.json) {
    // Invalid specs still print the JSON, with the errors (and exit 2).
    const errors = result.problems.filter((p) => p.severity === 'error');
    process.stdout.write(
      `${JSON.stringify({ spec_dir: specDirJson(result), layouts, specs: ordered.map(specSummary), ...(errors.length ? { errors: errors.map((p) => ({ ...p, text: formatProblem(p) })) } : {}) }, null, 2)}\n`,
    );
    return errors.length ? ExitCode.BadInput : ExitCode.Ok;
  }
  assertValidSpecs(result);
  printWarnings(result);
  if (ordered.length === 0) {
    process.stdout.write(
      `No specs in ${specDirsShown(result)}. Write one with: mmm spec new "<title>"\n`,
    );
    return ExitCode.Ok;
  }
  const flat =
    layouts.length <= 1 && Object.keys(layouts[0]?.layouts ?? {}).every((l) => l === 'file');
  const from = flat ? '' : `\n${color.dim(`from ${describeLayouts(layouts)}`)}`;
  process.stdout.write(
    `${renderSpecTable(ordered)}\n\n${color.dim(renderStatusSummary(ordered))}${from}\n`,
  );
  return ExitCode.Ok;
}
