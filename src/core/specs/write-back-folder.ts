import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import { readFeatureFolder } from './discover.js';
import { parseFolder } from './folder.js';
import type { SpecStatus } from './model.js';
import { applySpecUpdate, type SpecUpdate } from './markdown-update.js';
import { rewriteSpecText } from './spec-file-rewrite.js';
import { splitLines } from './text.js';

/** `**Status**: Draft` → `**Status**: Done`, in the case style the value was written. */
function setStatusLine(text: string, status: SpecStatus): string | undefined {
  const lines = splitLines(text);
  const i = lines.findIndex((l) => /^\s*\*\*Status\*\*\s*:/.test(l));
  if (i === -1) return undefined;
  const line = lines[i] ?? '';
  const m = /^(\s*\*\*Status\*\*\s*:\s*)(.*?)(\s*)(\r?\n)?$/.exec(line);
  if (!m) return undefined;
  const old = m[2] ?? '';
  const word = /^[A-Z]/.test(old) ? status[0]?.toUpperCase() + status.slice(1) : status;
  lines[i] = `${m[1]}${word}${m[3] ?? ''}${m[4] ?? ''}`;
  return lines.join('');
}

/**
 * Write back a feature folder's spec: each ticked box in the file it came from (tasks.md,
 * or the main file), the status in the main file's `**Status**:` line when it has one,
 * else in its frontmatter (added when missing). Boxes are found again in the files as they
 * are now, by their index in the spec's criteria; a criterion without a box (a numbered
 * requirement) is never written.
 */
export async function updateFolderSpec(
  mainFile: string,
  update: SpecUpdate,
  options: { root?: string },
): Promise<void> {
  const dir = dirname(mainFile);
  const folder = await readFeatureFolder(dir);
  if (!folder) throw new InputError(`${dir}: not a feature folder any more; not updated`);
  const base = options.root ?? dir;
  const rel = (p: string) => relative(base, p).split(sep).join('/');
  const files = await Promise.all(
    folder.files.map(async (path) => ({ file: rel(path), bytes: await readFile(path) })),
  );
  const parsed = parseFolder(rel(dir), files);
  const spec = parsed.spec ?? parsed.partial;
  if (!spec) throw new InputError(`${dir}: the feature folder cannot be read; not updated`);
  const ticks = new Map<string, number[]>();
  if (update.tickCriteria !== undefined) {
    const indices =
      update.tickCriteria === 'all' ? spec.criteria.map((_, i) => i) : update.tickCriteria;
    for (const index of indices) {
      const criterion = spec.criteria[index];
      if (!criterion) {
        throw new InputError(
          `${dir}: no criterion #${index} (the spec has ${spec.criteria.length}); not updated`,
        );
      }
      if (criterion.mark !== undefined || criterion.done) continue;
      const file = criterion.source ?? spec.file;
      // Its index among the boxes of its own file.
      const own = spec.criteria.filter((c) => (c.source ?? spec.file) === file && !c.mark);
      ticks.set(file, [...(ticks.get(file) ?? []), own.indexOf(criterion)]);
    }
  }
  const mainRel = spec.file;
  for (const [file, indices] of ticks) {
    const tasksFile = file !== mainRel || /(^|\/)tasks\.md$/i.test(file);
    const status = file === mainRel ? update.status : undefined;
    await rewriteSpecText(
      join(base, file),
      (text) => {
        const ticked = applySpecUpdate(text, { tickCriteria: indices, allBoxes: tasksFile }, file);
        return status === undefined ? ticked : withStatus(ticked, status, file);
      },
      options,
    );
  }
  if (update.status !== undefined && !ticks.has(mainRel)) {
    const status = update.status;
    await rewriteSpecText(
      join(base, mainRel),
      (text) => withStatus(text, status, mainRel),
      options,
    );
  }
}

function withStatus(text: string, status: SpecStatus, file: string): string {
  const line = setStatusLine(text, status);
  if (line !== undefined) return line;
  return applySpecUpdate(text, { status }, file);
}
