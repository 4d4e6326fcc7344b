import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'set up mmm here: .mmm/config.toml, specs/, .gitignore entries; register the project',
    )
    .option('--force', 'overwrite .mmm/config.toml and the example spec if they exist')
    .option(
      '--verify',
      'run each detected command first (in a temporary worktree); one that cannot run is commented out',
    )
    .option('--timeout <seconds>', 'with --verify: seconds per command', '300')
    .action(
      action(async (options: { force?: boolean; verify?: boolean; timeout: string }) => {
        const { initProject } = await import('../../core/init/init.js');
        const { formatInitResult } = await import('../../ui/init-report.js');
        const timeoutSec = Number(options.timeout);
        if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) {
          throw new InputError(`--timeout ${options.timeout} is not a number of seconds`, {
            hint: 'e.g. --timeout 600',
          });
        }
        let verify;
        if (options.verify) {
          const { verifyProgressLine } = await import('../../ui/analysis-report.js');
          verify = {
            timeoutSec,
            onProgress: (e: Parameters<typeof verifyProgressLine>[0]) =>
              process.stderr.write(verifyProgressLine(e)),
          };
        }
        const result = await initProject(process.cwd(), {
          force: options.force,
          ...(verify ? { verify } : {}),
        });
        process.stdout.write(formatInitResult(result));
        if (result.verifyWarning) process.stderr.write(`mmm: warning: ${result.verifyWarning}\n`);
        if (result.registryWarning)
          process.stderr.write(`mmm: warning: ${result.registryWarning}\n`);
      }),
    );
}
