import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../../git/exec.js';
import { SpecFileRefused } from '../../specs/spec-file-rewrite.js';
import { updateSpecFile, type SpecTarget } from '../../specs/write-back.js';

/**
 * Marking a spec done when its attempt passed, without ever hanging, writing outside the
 * work tree or losing the attempt's work. The spec file is rewritten only when it is a
 * regular file in a directory inside the work tree (see updateSpecFile). When the agent
 * replaced it with a FIFO, socket, device or symbolic link, that thing is removed (an
 * unlink never follows a link, so a link's target is left alone) and the file is restored
 * from the attempt's checkpoint, then marked done. Any other refusal leaves the file as it
 * is: the work is committed without the mark, with a warning. Returns the warnings.
 */
export async function markSpecDone(
  workDir: string,
  specFile: string,
  checkpoint: string,
  /** Which acceptance criteria to tick: only those with verified evidence. */
  tickCriteria: number[] | 'all' = 'all',
  /** A feature folder or a tasks.json task: where its boxes and status are written. */
  target: SpecTarget = {},
): Promise<string[]> {
  const path = join(workDir, specFile);
  const update = { status: 'done' as const, tickCriteria };
  const notMarked = (error: unknown): string =>
    `could not mark ${specFile} done: ${(error as Error).message}; committing the work without it`;
  try {
    await updateSpecFile(path, update, { ...target, root: workDir });
    return [];
  } catch (error) {
    if (!(error instanceof SpecFileRefused) || error.kind === 'outside') return [notMarked(error)];
    // Nothing at the path holds data worth keeping, and git cannot commit a FIFO there.
    let restored: boolean;
    try {
      restored = await restoreFromCheckpoint(workDir, checkpoint, specFile);
      if (!restored) await rm(path, { force: true });
    } catch (removal) {
      return [notMarked(removal)];
    }
    if (!restored) {
      return [
        `${specFile} had been replaced by a ${error.kind} during the attempt and is not in the checkpoint ${checkpoint.slice(0, 12)}; it was removed, and the work is committed without it`,
      ];
    }
    try {
      await updateSpecFile(path, update, { ...target, root: workDir });
    } catch (again) {
      return [notMarked(again)];
    }
    return [
      `${specFile} had been replaced by a ${error.kind} during the attempt; mmm restored it from the attempt's checkpoint and marked it done`,
    ];
  }
}

/**
 * Brings `file` back as it is in `checkpoint`, removing whatever stands at its path (a link
 * is removed, never followed). False, and nothing touched, when the checkpoint has no such
 * file.
 */
export async function restoreFromCheckpoint(
  workDir: string,
  checkpoint: string,
  file: string,
): Promise<boolean> {
  const tracked = await git(workDir, ['cat-file', '-e', `${checkpoint}:${file}`], {
    okCodes: [1, 128],
  });
  if (tracked.exitCode !== 0) return false;
  await rm(join(workDir, file), { recursive: true, force: true });
  await git(workDir, ['checkout', '--quiet', checkpoint, '--', file]);
  return true;
}
