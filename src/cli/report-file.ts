import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

/** `mmm improve --report FILE`: checked before the run starts, written after it ends. */

/** The absolute path, once its directory exists and the path is not a directory. */
export function checkReportTarget(file: string): string {
  const path = resolve(file);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--report ${file}: the directory ${dir} does not exist`, {
      hint: 'create it first, or give a path in an existing directory',
    });
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InputError(`--report ${file}: ${path} is a directory`, {
      hint: 'give a file name, e.g. --report report.html',
    });
  }
  return path;
}

/** Write the report of `runId` to `path` (format from the extension); says so on stderr. */
export async function writeRunReport(cwd: string, runId: string, path: string): Promise<void> {
  const { openRepo } = await import('../core/git/repo.js');
  const { makeReport, reportFormat, writeReport } = await import('../core/report/index.js');
  const repo = await openRepo(cwd, { dirty: false });
  const { text } = await makeReport(repo.mainRoot, {
    runId,
    format: reportFormat(undefined, path),
  });
  await writeReport(path, text);
  process.stderr.write(`mmm: report written to ${path}\n`);
}
