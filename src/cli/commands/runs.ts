import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  const runs = program
    .command('runs')
    .description(
      'list the runs of this repository (--stats: what they add up to), or clean up their worktrees',
    )
    .option('--json', 'print the runs as a JSON array')
    .option(
      '--stats',
      'across the runs: attempt pass rate, cost per commit, attempts per spec, failure reasons',
    )
    .action(
      action(async (options: { json?: boolean; stats?: boolean }) => {
        const { openRepo } = await import('../../core/git/repo.js');
        const repo = await openRepo(process.cwd(), { dirty: false });
        if (options.stats) {
          const { loadAllReportInputs } = await import('../../core/report/source.js');
          const { runStats } = await import('../../core/report/stats.js');
          const { inputs, unreadable } = await loadAllReportInputs(repo.mainRoot);
          const stats = runStats(inputs, unreadable);
          if (options.json) {
            process.stdout.write(JSON.stringify(stats, null, 2) + '\n');
            return;
          }
          const { formatStats } = await import('../../ui/run-stats.js');
          process.stdout.write(formatStats(stats));
          for (const u of unreadable) process.stderr.write(`mmm: warning: ${u.error}\n`);
          return;
        }
        const { listRuns } = await import('../../core/run/store/runs.js');
        const entries = await listRuns(repo.mainRoot);
        if (options.json) {
          process.stdout.write(JSON.stringify(entries, null, 2) + '\n');
          return;
        }
        const { formatRunsTable } = await import('../../ui/run-status.js');
        process.stdout.write(formatRunsTable(entries));
        for (const e of entries) {
          if ('error' in e) process.stderr.write(`mmm: warning: ${e.error}\n`);
        }
      }),
    );

  runs
    .command('clean')
    .description('remove the worktrees of finished runs (branches and records are kept)')
    .option('--all', 'also remove worktrees of resumable runs (never a running one)')
    .option('--json', 'print { removed, kept } as JSON')
    .action(
      action(async (_options: unknown, command: Command) => {
        // --json is also an option of `runs`, which commander gives to the parent.
        const options = command.optsWithGlobals<{ all?: boolean; json?: boolean }>();
        const { openRepo } = await import('../../core/git/repo.js');
        const { cleanRuns } = await import('../../core/run/store/runs.js');
        const repo = await openRepo(process.cwd(), { dirty: false });
        const result = await cleanRuns(repo.mainRoot, { all: options.all === true });
        if (options.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          return;
        }
        const { formatClean } = await import('../../ui/run-status.js');
        process.stdout.write(formatClean(result));
      }),
    );
}
