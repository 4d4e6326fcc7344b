import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('show the current or last run: specs, iterations, cost, what to do next')
    .argument('[run-id]', 'a run id (default: the running run, else the latest)')
    .option('--json', 'print the run summary as JSON')
    .action(
      action(async (runId: string | undefined, options: { json?: boolean }) => {
        const { openRepo } = await import('../../core/git/repo.js');
        const { findRun } = await import('../../core/run/store/runs.js');
        const repo = await openRepo(process.cwd(), { dirty: false });
        const run = await findRun(repo.mainRoot, runId);
        if (options.json) {
          process.stdout.write(JSON.stringify(run ?? null, null, 2) + '\n');
          return;
        }
        if (!run) {
          process.stdout.write('No runs yet in this repository. Start one with: mmm improve\n');
          return;
        }
        const { formatStatus } = await import('../../ui/run-status.js');
        process.stdout.write(formatStatus(run));
      }),
    );
}
