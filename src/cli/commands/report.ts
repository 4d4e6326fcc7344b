import type { Command } from 'commander';
import { action } from '../run-command.js';

interface ReportFlags {
  format?: string;
  out?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'what a run did, for people: markdown, a self-contained HTML page, JSON, a PR body',
    )
    .argument('[run-id]', 'a run id (default: the running run, else the latest)')
    .option('--format <format>', 'md, html, json or pr (default: md; --out x.html implies html)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ mmm report                        the latest run, as markdown
  $ mmm report --out report.html      one HTML file with charts; open it in a browser
  $ gh pr create --base main --head mmm/<run-id> --body-file <(mmm report --format pr)

Works for finished, failed, limited and interrupted runs, and while a run is going.`,
    )
    .action(
      action(async (runId: string | undefined, flags: ReportFlags) => {
        const { openRepo } = await import('../../core/git/repo.js');
        const { makeReport, reportFormat, writeReport } =
          await import('../../core/report/index.js');
        const format = reportFormat(flags.format, flags.out);
        const repo = await openRepo(process.cwd(), { dirty: false });
        const { text } = await makeReport(repo.mainRoot, {
          format,
          ...(runId !== undefined ? { runId } : {}),
        });
        if (flags.out === undefined) {
          process.stdout.write(text);
          return;
        }
        const path = await writeReport(flags.out, text);
        process.stderr.write(`mmm: report written to ${path}\n`);
      }),
    );
}
