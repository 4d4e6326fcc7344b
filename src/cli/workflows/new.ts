import { findProjectRoot } from '../../core/config/paths.js';
import { createWorkflow } from '../../core/workflow/new-workflow.js';
import { color } from '../../ui/colors.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm workflow new NAME --from TEMPLATE [--json]`. */
export async function newWorkflowCommand(options: {
  cwd: string;
  name: string;
  from: string;
  json: boolean;
}): Promise<ExitCode> {
  const root = findProjectRoot(options.cwd);
  const created = await createWorkflow({ root, name: options.name, from: options.from });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ name: options.name, ...created }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  process.stdout.write(
    `${color.green('created')} ${created.file} ${color.dim(`(from ${created.from})`)}\n` +
      `Edit it, check it with: mmm workflows validate ${options.name}\n` +
      `and run it with: mmm improve --workflow ${options.name}\n`,
  );
  return ExitCode.Ok;
}
