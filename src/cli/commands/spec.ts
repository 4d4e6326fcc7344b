import type { Command } from 'commander';
import { action } from '../run-command.js';

/** `mmm spec new "<title>"`. */
export function register(program: Command): void {
  const spec = program.command('spec').description('create spec files');
  spec
    .command('new')
    .description('write the next numbered spec file (specs/NN-slug.md) from a template')
    .argument('<title>', 'what the spec is about')
    .option(
      '-t, --template <name>',
      'template: feature, bugfix, refactor, tests, docs, performance, security, dependency-upgrade (or .mmm/templates/specs/<name>.md)',
      'feature',
    )
    .option('-d, --depends-on <id...>', 'ids of specs this one depends on')
    .option('--json', 'print the new spec as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mmm spec new "Add a retry policy"
  $ mmm spec new "Crash on empty config" --template bugfix
  $ mmm spec new "Retry metrics" --depends-on retry-policy`,
    )
    .action(
      action(
        async (
          title: string,
          options: { template: string; dependsOn?: string[]; json?: boolean },
        ) => {
          const { newSpecCommand } = await import('../specs/new.js');
          return newSpecCommand({
            cwd: process.cwd(),
            title,
            template: options.template,
            dependsOn: options.dependsOn ?? [],
            json: options.json === true,
          });
        },
      ),
    );
}
