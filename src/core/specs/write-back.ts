import { InputError } from '../errors.js';
import type { SpecLayout } from './model.js';
import { applySpecUpdate, type SpecUpdate } from './markdown-update.js';
import { rewriteSpecText } from './spec-file-rewrite.js';
import { applyTasksJsonUpdate } from './tasks-json.js';
import { updateFolderSpec } from './write-back-folder.js';

/*
 * The one entry for writing a spec back, whatever its layout: a markdown file
 * (markdown-update.ts), a feature folder (write-back-folder.ts) or a tasks.json task
 * (tasks-json.ts), each written through spec-file-rewrite.ts.
 */

/** How the spec at the path is written (see Spec.layout), for write-back. */
export interface SpecTarget {
  layout?: SpecLayout;
  /** The task of a tasks.json. */
  taskId?: string;
}

/**
 * Update a spec in place (see applySpecUpdate), atomically: a temporary file is
 * written, flushed and renamed over the original. Nothing is written when nothing
 * changes or when the file cannot be updated safely (InputError). Never blocks and never
 * writes through a link: a spec file that is not a regular file (FIFO, socket, device,
 * symbolic link) — or, with `root`, whose directory resolves outside `root` — is refused
 * with SpecFileRefused before anything is opened. A feature folder's boxes are ticked in
 * the file they are in (tasks.md); a tasks.json task's status is written into the JSON.
 */
export async function updateSpecFile(
  absPath: string,
  update: SpecUpdate,
  options: { root?: string } & SpecTarget = {},
): Promise<void> {
  if (options.layout === 'folder') return updateFolderSpec(absPath, update, options);
  if (options.layout === 'tasks-json') {
    const taskId = options.taskId;
    if (taskId === undefined) throw new InputError(`${absPath}: no task id; not updated`);
    return rewriteSpecText(
      absPath,
      (text) => applyTasksJsonUpdate(text, taskId, update, absPath),
      options,
    );
  }
  return rewriteSpecText(absPath, (text) => applySpecUpdate(text, update, absPath), options);
}
