import { constants } from 'node:fs';
import { lstat, open, realpath, rename, rm } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import { InputError } from '../errors.js';
import { OPEN_BOX, parseBody } from './body.js';
import { splitFrontmatter } from './frontmatter.js';
import { SPEC_STATUSES, type SpecLayout, type SpecStatus } from './model.js';
import { applyTasksJsonUpdate } from './tasks-json.js';
import { updateFolderSpec } from './write-back-folder.js';
import { decodeUtf8, detectEol, eolOf, splitLines, stripEol } from './text.js';
import { readRegularBytes } from '../tools/regular-file.js';
import { SPEC_MAX_BYTES } from './load.js';

export interface SpecUpdate {
  status?: SpecStatus;
  /** Tick every criterion, or those at these indices in `Spec.criteria` (0-based). */
  tickCriteria?: 'all' | number[];
  /** Every box of the file is a criterion (a tasks file), whatever its heading. */
  allBoxes?: boolean;
}

const BOM = '\uFEFF';
const SIMPLE_SCALARS = new Set(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE']);

/**
 * Apply `update` to the text of a spec file, changing only the `status:` value and the
 * `[ ]` of ticked criteria: every other byte (comments, key order, quoting, line endings,
 * a byte-order mark) is kept. A missing `status:` is added as the last frontmatter line;
 * a file without frontmatter gets a minimal one. Throws InputError when the file cannot
 * be updated safely (unclosed frontmatter, invalid YAML, unknown criterion).
 */
export function applySpecUpdate(text: string, update: SpecUpdate, file = 'spec'): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  const content = text.slice(bom.length);
  const lines = splitLines(content);
  const split = splitFrontmatter(content);
  if (split.unclosed) {
    throw new InputError(`${file}:1:1: frontmatter opened with --- is never closed; not updated`);
  }
  if (update.tickCriteria !== undefined) {
    const { criteria } = parseBody(split.body, split.bodyLine, update.allBoxes === true);
    const indices = update.tickCriteria === 'all' ? criteria.map((_, i) => i) : update.tickCriteria;
    for (const index of indices) {
      const criterion = criteria[index];
      if (!criterion) {
        throw new InputError(
          `${file}: no acceptance criterion #${index} (the spec has ${criteria.length}); not updated`,
        );
      }
      if (criterion.done) continue;
      const i = criterion.line - 1;
      const line = lines[i] ?? '';
      lines[i] = line.replace(OPEN_BOX, '$1[x]');
    }
  }
  if (update.status !== undefined) {
    if (!SPEC_STATUSES.includes(update.status)) {
      throw new InputError(`unknown status "${String(update.status)}"`);
    }
    if (split.yaml !== undefined && split.closeIndex !== undefined) {
      setFrontmatterStatus(lines, split.yaml, split.closeIndex, update.status, file, content);
    } else {
      const eol = detectEol(content);
      lines.unshift(`---${eol}`, `status: ${update.status}${eol}`, `---${eol}`);
    }
  }
  return bom + lines.join('');
}

function setFrontmatterStatus(
  lines: string[],
  yaml: string,
  closeIndex: number,
  status: SpecStatus,
  file: string,
  content: string,
): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e ? lineCounter.linePos(e.pos[0]) : { line: 1, col: 1 };
    throw new InputError(
      `${file}:${pos.line + 1}:${pos.col}: invalid YAML in the frontmatter; status not updated`,
    );
  }
  const contents = doc.contents;
  const pair = isMap(contents)
    ? (contents.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'status')
    : undefined;
  if (!pair) {
    if (contents !== null && !isMap(contents)) {
      throw new InputError(`${file}:2:1: the frontmatter is not a mapping; status not updated`);
    }
    const before = lines[closeIndex - 1];
    const eol =
      before !== undefined && closeIndex > 1
        ? eolOf(before) || detectEol(content)
        : detectEol(content);
    lines.splice(closeIndex, 0, `status: ${status}${eol}`);
    return;
  }
  const value = pair.value;
  const range = isScalar(value) ? value.range : undefined;
  if (!isScalar(value) || !range || !SIMPLE_SCALARS.has(String(value.type))) {
    throw new InputError(`${file}: status is not a plain value; not updated`);
  }
  const [start, end] = range;
  const source = yaml.slice(start, end);
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(end);
  if (from.line !== to.line) {
    throw new InputError(
      `${file}:${from.line + 1}:${from.col}: status spans several lines; not updated`,
    );
  }
  // YAML line n is file line n + 1 (index n, after the opening ---).
  const index = from.line;
  const line = lines[index] ?? '';
  const body = stripEol(line);
  const col = from.col - 1;
  let replacement: string = status;
  if (source.startsWith('"')) replacement = `"${status}"`;
  else if (source.startsWith("'")) replacement = `'${status}'`;
  else if (source === '') {
    // An empty value (`status:` or `status: # note`): keep the separating spaces valid.
    if (body[col - 1] === ':') replacement = ` ${replacement}`;
    if (col < body.length && !/\s/.test(body[col] ?? '')) replacement = `${replacement} `;
  }
  lines[index] = body.slice(0, col) + replacement + body.slice(col + source.length) + eolOf(line);
}

/**
 * The spec file is not something mmm may rewrite: not a regular file (a FIFO would hang
 * the read, a symbolic link would make mmm write wherever it points — the user's checkout,
 * say), or its directory resolves outside the work tree. Nothing was read or written.
 */
export class SpecFileRefused extends InputError {
  /** What is at the path: `FIFO (named pipe)`, `symbolic link`, … or `outside`. */
  readonly kind: string;
  constructor(message: string, kind: string) {
    super(message);
    this.kind = kind;
  }
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Refuse a spec file whose directory resolves (through symbolic links) outside `root`. */
async function assertDirInside(absPath: string, root: string): Promise<void> {
  let dir: string;
  let top: string;
  try {
    [dir, top] = await Promise.all([realpath(dirname(absPath)), realpath(root)]);
  } catch (error) {
    throw new InputError(
      `cannot resolve the directory of ${absPath}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!inside(top, dir)) {
    throw new SpecFileRefused(
      `${absPath}: its directory resolves to ${dir}, outside the work tree ${top}; not updated`,
      'outside',
    );
  }
}

/**
 * Replace `absPath` by a new file holding `text`: a temporary file beside it (created with
 * O_EXCL | O_NOFOLLOW, named `<name>.<digits>` like the copies resume cleans up), flushed,
 * then renamed over the path. rename() replaces what is at the path and never follows a
 * link there, so nothing but the spec file itself is ever written.
 */
export async function replaceFile(absPath: string, text: string, mode: number): Promise<void> {
  const temp = join(dirname(absPath), `${basename(absPath)}.${randomInt(1e9, 1e10)}`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o600);
  try {
    await handle.chmod(mode & 0o7777);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, absPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Rewrite one file through `change` (its text, byte-order mark kept → the new text),
 * atomically; nothing is written when nothing changes. Refuses what is not a regular file
 * (SpecFileRefused) and, with `root`, a file whose directory resolves outside `root`.
 */
export async function rewriteSpecText(
  absPath: string,
  change: (text: string) => string,
  options: { root?: string } = {},
): Promise<void> {
  if (options.root !== undefined) await assertDirInside(absPath, options.root);
  let bytes: Buffer;
  let mode: number;
  try {
    const read = await readRegularBytes(absPath, SPEC_MAX_BYTES);
    if (!read.ok) {
      if (read.reason === 'kind') {
        throw new SpecFileRefused(
          `${absPath} is a ${read.kind}, not a regular file; not updated (mmm never follows a link or reads a pipe or device there)`,
          read.kind,
        );
      }
      throw new InputError(
        `${absPath}: ${read.reason === 'size' ? `larger than ${SPEC_MAX_BYTES} bytes` : 'changed while it was being read'}; not updated`,
      );
    }
    bytes = read.bytes;
    mode = (await lstat(absPath)).mode;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read spec file ${absPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const decoded = decodeUtf8(bytes, true);
  if (!decoded.ok) {
    throw new InputError(
      `${absPath}:${decoded.line}:${decoded.column}: file is not valid UTF-8; not updated`,
    );
  }
  const next = change(decoded.text);
  if (next === decoded.text) return;
  await replaceFile(absPath, next, mode);
}

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
