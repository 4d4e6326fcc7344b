import { orderSpecs } from '../../core/specs/graph.js';
import { repoRelative } from '../../core/specs/load.js';
import type { Spec } from '../../core/specs/model.js';
import { color } from '../../ui/colors.js';
import { criteriaCount, renderSpecTable, renderStatusSummary } from '../../ui/specs-render.js';
import { loadValidSpecs } from './load-valid.js';

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
    ...(spec.number !== undefined ? { number: spec.number } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}),
  };
}

export async function listSpecsCommand(options: { cwd: string; json: boolean }): Promise<number> {
  const { specs, root, specDir } = await loadValidSpecs(options.cwd);
  const ordered = orderSpecs(specs);
  const dir = repoRelative(root, specDir) || '.';
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ spec_dir: dir, specs: ordered.map(specSummary) }, null, 2)}\n`,
    );
    return 0;
  }
  if (ordered.length === 0) {
    process.stdout.write(`No specs in ${dir}/. Write one with: mmm spec new "<title>"\n`);
    return 0;
  }
  process.stdout.write(
    `${renderSpecTable(ordered)}\n\n${color.dim(renderStatusSummary(ordered))}\n`,
  );
  return 0;
}
