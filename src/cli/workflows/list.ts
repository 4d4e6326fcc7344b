import { findProjectRoot } from '../../core/config/paths.js';
import { displayPath, listWorkflowFiles, readWorkflowFile } from '../../core/workflow/load.js';
import { color } from '../../ui/colors.js';
import { table } from '../../ui/table.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm workflows [--json]`: every workflow with its source and description. */
export async function listWorkflowsCommand(options: {
  cwd: string;
  json: boolean;
}): Promise<ExitCode> {
  const root = findProjectRoot(options.cwd);
  const rows = [];
  for (const file of listWorkflowFiles(root)) {
    const { workflow, problems } = await readWorkflowFile(root, file);
    const errors = problems.filter((p) => p.severity === 'error').length;
    rows.push({
      name: file.name,
      source: file.origin,
      file: displayPath(root, file.path),
      description: workflow?.description ?? '',
      valid: errors === 0,
      ...(errors ? { problems: errors } : {}),
      ...(file.overrides ? { overrides: 'builtin' } : {}),
    });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ workflows: rows }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const body = rows.map((r) => [
    r.name,
    r.overrides ? `${r.source} (overrides builtin)` : r.source,
    r.valid
      ? r.description
      : color.red(
          `invalid: ${r.problems} problem${r.problems === 1 ? '' : 's'} (mmm workflows validate ${r.name})`,
        ),
  ]);
  process.stdout.write(
    `${table(body, { header: ['NAME', 'SOURCE', 'DESCRIPTION'], keep: [0] })}\n`,
  );
  process.stdout.write(
    color.dim(
      `Run one: mmm improve --workflow NAME · copy one to edit: mmm workflow new NAME --from ${rows.some((r) => r.name === 'specs') ? 'specs' : (rows[0]?.name ?? 'specs')}\n`,
    ),
  );
  return ExitCode.Ok;
}
