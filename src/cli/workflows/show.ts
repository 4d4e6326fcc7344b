import { readFile } from 'node:fs/promises';
import { findProjectRoot } from '../../core/config/paths.js';
import { displayPath, loadWorkflow, resolveWorkflowFile } from '../../core/workflow/load.js';
import { color } from '../../ui/colors.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm workflows show NAME|PATH [--json]`: the file that NAME resolves to (or its parsed form). */
export async function showWorkflowCommand(options: {
  cwd: string;
  name: string;
  json: boolean;
}): Promise<ExitCode> {
  const root = findProjectRoot(options.cwd);
  if (options.json) {
    const workflow = await loadWorkflow(root, options.name, options.cwd);
    process.stdout.write(`${JSON.stringify(workflow, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const file = resolveWorkflowFile(root, options.name, options.cwd);
  const text = await readFile(file.path, 'utf8');
  process.stdout.write(color.dim(`# ${displayPath(root, file.path)} (${file.origin})\n`));
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return ExitCode.Ok;
}
