import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('analyze')
    .description('detect languages, tooling and the build/test/lint/typecheck/format commands')
    .argument('[path]', 'project directory', '.')
    .option('--json', 'print the analysis as JSON (shape: docs/analyze.md)')
    .option('--no-cache', 'ignore and do not write .mmm/cache/analysis.json')
    .option(
      '--verify',
      'run each detected command in a temporary worktree of HEAD and record whether it runs',
    )
    .option('--timeout <seconds>', 'with --verify: seconds per command', '300')
    .action(
      action(
        async (
          path: string,
          options: { json?: boolean; cache: boolean; verify?: boolean; timeout: string },
        ) => {
          const { analyzeProject } = await import('../../core/analyze/index.js');
          const timeoutSec = Number(options.timeout);
          if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) {
            throw new InputError(`--timeout ${options.timeout} is not a number of seconds`, {
              hint: 'e.g. --timeout 600',
            });
          }
          let analysis = await analyzeProject(path, { cache: options.cache });
          if (options.verify) {
            const { verifyCommands } = await import('../../core/analyze/verify.js');
            const { verifyProgressLine } = await import('../../ui/analysis-report.js');
            analysis = await verifyCommands(analysis, {
              timeoutSec,
              onProgress: (e) => process.stderr.write(verifyProgressLine(e)),
            });
          }
          if (options.json) {
            process.stdout.write(JSON.stringify(analysis, null, 2) + '\n');
            return;
          }
          const { formatAnalysisReport } = await import('../../ui/analysis-report.js');
          process.stdout.write(formatAnalysisReport(analysis));
        },
      ),
    );
}
