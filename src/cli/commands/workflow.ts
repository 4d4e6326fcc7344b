import type { Command } from 'commander';
import { action } from '../run-command.js';

/** `mmm workflow new NAME --from TEMPLATE`. */
export function register(program: Command): void {
  const workflow = program.command('workflow').description('create workflow files');
  workflow
    .command('new')
    .description('copy a workflow into .mmm/workflows/NAME.yml to edit (never overwrites)')
    .argument('<name>', 'the new workflow name')
    .requiredOption('--from <template>', 'the workflow to start from (mmm workflows lists them)')
    .option('--json', 'print the new file as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mmm workflow new my-tests --from fix-tests
  $ mmm workflow new specs --from specs      replace the built-in specs workflow`,
    )
    .action(
      action(async (name: string, options: { from: string; json?: boolean }) => {
        const { newWorkflowCommand } = await import('../workflows/new.js');
        return newWorkflowCommand({
          cwd: process.cwd(),
          name,
          from: options.from,
          json: options.json === true,
        });
      }),
    );
}
