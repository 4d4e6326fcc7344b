import { orderSpecs } from '../../core/specs/graph.js';
import { renderSpecDot, renderSpecTree } from '../../ui/specs-render.js';
import { loadValidSpecs } from './load-valid.js';

/** `mmm specs graph [--dot]`. */
export async function graphSpecsCommand(options: { cwd: string; dot: boolean }): Promise<number> {
  const { specs } = await loadValidSpecs(options.cwd);
  const ordered = orderSpecs(specs);
  const text = options.dot ? renderSpecDot(ordered) : renderSpecTree(ordered);
  if (text) process.stdout.write(`${text}\n`);
  return 0;
}
