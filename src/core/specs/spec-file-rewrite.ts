import { constants } from 'node:fs';
import { lstat, open, realpath, rename, rm } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { InputError } from '../errors.js';
import { decodeUtf8 } from './text.js';
import { readRegularBytes } from '../tools/regular-file.js';
import { SPEC_MAX_BYTES } from './load.js';

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
