import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('projects')
    .description('list the projects registered with mmm init, with their last run')
    .option('--json', 'print JSON: [{ path, name, registeredAt, lastRun?, missing }]')
    .action(
      action(async (options: { json?: boolean }) => {
        const { listProjects, readRegistry, registryPath } =
          await import('../../core/projects/registry.js');
        const { warning } = await readRegistry();
        if (warning) process.stderr.write(`mmm: warning: ${warning}\n`);
        const projects = await listProjects();
        if (options.json) {
          process.stdout.write(JSON.stringify(projects, null, 2) + '\n');
          return;
        }
        const { formatProjects } = await import('../../ui/projects-list.js');
        process.stdout.write(formatProjects(projects, registryPath()));
      }),
    );
}
