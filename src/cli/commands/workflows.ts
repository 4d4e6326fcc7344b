import type { Command } from 'commander';
import { ExitCode } from '../../core/errors.js';
import { action } from '../run-command.js';

/** `mmm workflows` (list), `workflows show NAME`, `workflows validate [NAME|PATH]`. */
export function register(program: Command): void {
  const workflows = program
    .command('workflows')
    .description('list the workflows mmm improve can run (and show, validate them)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Built-in workflows ship with mmm; .mmm/workflows/NAME.yml adds one or replaces the
built-in of that name. The format: docs/workflows.md.

Examples:
  $ mmm workflows                        name, source, description
  $ mmm workflows show fix-tests         print the file the name resolves to
  $ mmm workflows validate               check every workflow (exit ${ExitCode.BadInput} on a problem)
  $ mmm workflow new my-tests --from fix-tests`,
    )
    .action(
      action(async (options: { json?: boolean }) => {
        const { listWorkflowsCommand } = await import('../workflows/list.js');
        return listWorkflowsCommand({ cwd: process.cwd(), json: options.json === true });
      }),
    );

  workflows
    .command('show')
    .description('print the workflow file a name resolves to (--json: its parsed form)')
    .argument('<name>', 'workflow name, or the path of a .yml file')
    .option('--json', 'print the parsed workflow as JSON')
    .action(
      action(async (name: string, _options: unknown, command: Command) => {
        const options = command.optsWithGlobals<{ json?: boolean }>();
        const { showWorkflowCommand } = await import('../workflows/show.js');
        return showWorkflowCommand({ cwd: process.cwd(), name, json: options.json === true });
      }),
    );

  workflows
    .command('validate')
    .description(
      `check workflow files: every problem with file:line:col (exit ${ExitCode.Ok}, or ${ExitCode.BadInput})`,
    )
    .argument('[name]', 'a workflow name or the path of a .yml file (default: all)')
    .option('--json', 'print the problems as JSON')
    .action(
      action(async (name: string | undefined, _options: unknown, command: Command) => {
        const options = command.optsWithGlobals<{ json?: boolean }>();
        const { validateWorkflowsCommand } = await import('../workflows/validate.js');
        return validateWorkflowsCommand({
          cwd: process.cwd(),
          ...(name ? { name } : {}),
          json: options.json === true,
        });
      }),
    );
}
