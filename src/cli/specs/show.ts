import { didYouMean } from '../../core/config/did-you-mean.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { dependentsOf } from '../../core/specs/graph.js';
import { numberLabel, type Spec } from '../../core/specs/model.js';
import { renderSpecDetail } from '../../ui/specs-render.js';
import { loadValidSpecs } from './load-valid.js';

/**
 * A spec by id, by number (`3`, `03`, `174a`), by file name (`03-retry`, `03-retry.md`,
 * `specs/03-retry.md`) or by feature folder (`001-csv-export`, `specs/001-csv-export/`).
 */
export function findSpec(specs: Spec[], query: string): Spec {
  const byId = specs.find((s) => s.id === query);
  if (byId) return byId;
  if (/^\d+[A-Za-z]?$/.test(query)) {
    const key = query.replace(/^0+(?=\d)/, '').toLowerCase();
    const byNumber = specs.filter((s) => numberLabel(s)?.toLowerCase() === key);
    if (byNumber.length === 1 && byNumber[0]) return byNumber[0];
  }
  const base = (file: string) => file.split('/').pop() ?? file;
  const folder = (s: Spec) => (s.layout === 'folder' ? s.file.split('/').at(-2) : undefined);
  const byFile =
    specs.find((s) => folder(s) === query.replace(/\/+$/, '').split('/').pop()) ??
    specs.find((s) => s.file === query || base(s.file) === query || base(s.file) === `${query}.md`);
  if (byFile) return byFile;
  const guess = didYouMean(
    query,
    specs.map((s) => s.id),
  );
  throw new InputError(`no spec "${query}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
    hint: 'mmm specs lists the ids',
  });
}

export async function showSpecCommand(options: {
  cwd: string;
  id: string;
  json: boolean;
}): Promise<ExitCode> {
  const { specs } = await loadValidSpecs(options.cwd);
  const spec = findSpec(specs, options.id);
  const dependents = dependentsOf(specs, spec.id);
  if (options.json) {
    // One spelling across `specs --json` and `specs show --json`: snake_case keys.
    const {
      positions: _positions,
      dependsOn,
      maxAttempts,
      allowEdit,
      numberSuffix: _suffix,
      taskId,
      ...rest
    } = spec;
    const json = {
      ...rest,
      ...(spec.number !== undefined
        ? { number: spec.numberSuffix ? numberLabel(spec) : spec.number }
        : {}),
      depends_on: dependsOn,
      ...(maxAttempts !== undefined ? { max_attempts: maxAttempts } : {}),
      ...(allowEdit !== undefined ? { allow_edit: allowEdit } : {}),
      ...(taskId !== undefined ? { task_id: taskId } : {}),
      dependents,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const statusOf = (id: string) => specs.find((s) => s.id === id)?.status;
  process.stdout.write(`${renderSpecDetail(spec, dependents, statusOf)}\n`);
  return ExitCode.Ok;
}
