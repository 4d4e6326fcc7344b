import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'set up mmm here: .mmm/config.toml, specs/, .gitignore entries; register the project',
    )
    .option('--force', 'overwrite .mmm/config.toml and the example spec if they exist')
    .action(
      action(async (options: { force?: boolean }) => {
        const { initProject } = await import('../../core/init/init.js');
        const { formatInitResult } = await import('../../ui/init-report.js');
        const result = await initProject(process.cwd(), { force: options.force });
        process.stdout.write(formatInitResult(result));
        if (result.registryWarning)
          process.stderr.write(`mmm: warning: ${result.registryWarning}\n`);
      }),
    );
}
