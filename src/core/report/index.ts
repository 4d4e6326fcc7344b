import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { buildReport } from './build.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './model.js';
import { renderPrBody } from './pr.js';
import { loadReportInput } from './source.js';

export { buildReport } from './build.js';
export type { RunReport } from './model.js';

export const REPORT_FORMATS = ['md', 'html', 'json', 'pr'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The format asked for: `--format` if given, else from the `--out` file's extension
 * (`.html`/`.htm` → html, `.json` → json), else markdown.
 */
export function reportFormat(format: string | undefined, out: string | undefined): ReportFormat {
  if (format !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new InputError(`--format ${format}: not a report format`, {
        hint: `use one of ${REPORT_FORMATS.join(', ')}`,
      });
    }
    return format as ReportFormat;
  }
  const ext = out ? extname(out).toLowerCase() : '';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.json') return 'json';
  return 'md';
}

export function renderReport(report: RunReport, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'pr':
      return renderPrBody(report);
  }
}

/** The report of a run (default: the running one, else the latest) in `format`. */
export async function makeReport(
  repoRoot: string,
  options: { runId?: string; format: ReportFormat },
): Promise<{ runId: string; text: string }> {
  const report = buildReport(await loadReportInput(repoRoot, options.runId));
  return { runId: report.run.id, text: renderReport(report, options.format) };
}

/** Write a report file; a missing directory or a file in the way is exit 2. */
export async function writeReport(path: string, text: string): Promise<string> {
  const full = resolve(path);
  try {
    await writeFile(full, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`cannot write the report to ${full} (${code})`, {
      hint: 'give --out a path in an existing, writable directory',
      cause: error,
    });
  }
  return full;
}
