import { orderSpecs } from '../../core/specs/graph.js';
import { renderSpecDot, renderSpecTree } from '../../ui/specs-render.js';
import { loadValidSpecs } from './load-valid.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm specs graph [--dot]`. */
export async function graphSpecsCommand(options: { cwd: string; dot: boolean }): Promise<ExitCode> {
  const { specs } = await loadValidSpecs(options.cwd);
  const ordered = orderSpecs(specs);
  const text = options.dot ? renderSpecDot(ordered) : renderSpecTree(ordered);
  if (text) process.stdout.write(`${text}\n`);
  return ExitCode.Ok;
}
