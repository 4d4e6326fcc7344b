import { InputError } from '../errors.js';
import { formatProblem } from '../specs/model.js';
import { loadWorkflow } from './load.js';
import type { Workflow, WorkflowSource } from './model.js';
import { parseWorkflow, workflowNameOf } from './parse.js';

/**
 * The interpreter's way in to workflow files, through the parser and validator of
 * workflow/load.ts: a file with any problem is refused (InputError, exit 2, every problem
 * with file:line:col) before a step runs.
 */

/** A workflow by name (project file, else built-in) or path. */
export function readWorkflow(nameOrPath: string, root: string, cwd?: string): Promise<Workflow> {
  return loadWorkflow(root, nameOrPath, cwd ?? root);
}

/** One file's text as a Workflow (no `workflow:` step targets checked); InputError when invalid. */
export function parseWorkflowText(
  text: string,
  source: Omit<WorkflowSource, 'hash' | 'format'>,
): Workflow {
  const { workflow, problems } = parseWorkflow(Buffer.from(text), {
    file: source.path,
    defaultName: workflowNameOf(source.path),
    origin: source.origin,
    path: source.path,
  });
  if (!workflow) {
    throw new InputError(`workflow ${source.path} is not valid`, {
      problems: problems.map(formatProblem),
      hint: 'see docs/workflows.md for the format',
    });
  }
  return workflow;
}
