import { findProjectRoot } from '../../core/config/paths.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { formatProblem } from '../../core/specs/model.js';
import {
  listWorkflowFiles,
  readWorkflowFile,
  resolveWorkflowFile,
} from '../../core/workflow/load.js';
import type { WorkflowProblem } from '../../core/workflow/parse.js';
import { color } from '../../ui/colors.js';

/** `mmm workflows validate [NAME|PATH] [--json]`: exit 0, or 2 with every problem of every file. */
export async function validateWorkflowsCommand(options: {
  cwd: string;
  name?: string;
  json: boolean;
}): Promise<ExitCode> {
  const root = findProjectRoot(options.cwd);
  const files = options.name
    ? [resolveWorkflowFile(root, options.name, options.cwd)]
    : listWorkflowFiles(root);
  const results: { name: string; file: string; problems: WorkflowProblem[] }[] = [];
  for (const file of files) {
    const { problems, display } = await readWorkflowFile(root, file);
    results.push({ name: file.name, file: display, problems });
  }
  const problems = results.flatMap((r) => r.problems).filter((p) => p.severity === 'error');
  if (options.json) {
    const out = results.map((r) => ({
      ...r,
      valid: r.problems.every((p) => p.severity !== 'error'),
    }));
    process.stdout.write(
      `${JSON.stringify({ valid: problems.length === 0, workflows: out }, null, 2)}\n`,
    );
    return problems.length === 0 ? ExitCode.Ok : ExitCode.BadInput;
  }
  if (problems.length > 0) {
    const bad = results.filter((r) => r.problems.some((p) => p.severity === 'error')).length;
    throw new InputError(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} workflow${bad === 1 ? '' : 's'}`,
      { problems: problems.map(formatProblem), hint: 'the format is in docs/workflows.md' },
    );
  }
  const n = results.length;
  const shown = options.name
    ? (results[0]?.file ?? options.name)
    : `${n} workflow${n === 1 ? '' : 's'}`;
  process.stdout.write(`${color.green('✓')} ${shown} valid\n`);
  return ExitCode.Ok;
}
