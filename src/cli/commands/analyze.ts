import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  program
    .command('analyze')
    .description('detect languages, tooling and the build/test/lint/typecheck/format commands')
    .argument('[path]', 'project directory', '.')
    .option('--json', 'print the analysis as JSON (shape: docs/analyze.md)')
    .option('--no-cache', 'ignore and do not write .mmm/cache/analysis.json')
    .action(
      action(async (path: string, options: { json?: boolean; cache: boolean }) => {
        const { analyzeProject } = await import('../../core/analyze/index.js');
        const analysis = await analyzeProject(path, { cache: options.cache });
        if (options.json) {
          process.stdout.write(JSON.stringify(analysis, null, 2) + '\n');
          return;
        }
        const { formatAnalysisReport } = await import('../../ui/analysis-report.js');
        process.stdout.write(formatAnalysisReport(analysis));
      }),
    );
}
