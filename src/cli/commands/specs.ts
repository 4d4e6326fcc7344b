import type { Command } from 'commander';
import { ExitCode } from '../../core/errors.js';
import { action } from '../run-command.js';

/** `mmm specs` (list), `specs validate`, `specs show <id>`, `specs graph`. */
export function register(program: Command): void {
  const specs = program
    .command('specs')
    .description('list the specs in dependency order (and validate, show, graph them)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mmm specs                      id, title, status, priority, dependencies, criteria
  $ mmm specs validate --strict    exit ${ExitCode.BadInput} on any problem, warnings included (for CI)
  $ mmm specs show retry-policy    everything mmm reads from one spec
  $ mmm specs graph --dot | dot -Tsvg > specs.svg`,
    )
    .action(
      action(async (options: { json?: boolean }) => {
        const { listSpecsCommand } = await import('../specs/list.js');
        return listSpecsCommand({ cwd: process.cwd(), json: options.json === true });
      }),
    );

  specs
    .command('validate')
    .description(
      `check every spec file and the dependency graph (exit ${ExitCode.Ok}, or ${ExitCode.BadInput} with problems)`,
    )
    .option('--strict', 'treat warnings as errors')
    .option('--json', 'print the problems as JSON')
    .action(
      action(async (_options: unknown, command: Command) => {
        // `--json` is also an option of `specs`, so read it through the parent too.
        const options = command.optsWithGlobals<{ strict?: boolean; json?: boolean }>();
        const { validateSpecsCommand } = await import('../specs/validate.js');
        return validateSpecsCommand({
          cwd: process.cwd(),
          strict: options.strict === true,
          json: options.json === true,
        });
      }),
    );

  specs
    .command('show')
    .description('show one spec: fields, checks, criteria, dependencies, dependents')
    .argument('<id>', 'spec id, number or file name')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, _options: unknown, command: Command) => {
        const options = command.optsWithGlobals<{ json?: boolean }>();
        const { showSpecCommand } = await import('../specs/show.js');
        return showSpecCommand({ cwd: process.cwd(), id, json: options.json === true });
      }),
    );

  specs
    .command('graph')
    .description('print the dependency graph as a tree (or Graphviz DOT)')
    .option('--dot', 'print Graphviz DOT')
    .action(
      action(async (options: { dot?: boolean }) => {
        const { graphSpecsCommand } = await import('../specs/graph.js');
        return graphSpecsCommand({ cwd: process.cwd(), dot: options.dot === true });
      }),
    );
}
