import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

/**
 * Reading a file the agent named without ever blocking or blowing up: only regular files
 * are opened, never a FIFO (a blocking open/read would hold one of libuv's threads for
 * good — and with it SIGINT, SIGTERM and even process.exit), a socket or a device; and a
 * file over `tools.max_file_size` is refused before a byte of it is read.
 *
 * The kind is checked twice: with lstat before opening (so a device is never opened at
 * all), then with fstat on the descriptor, opened with O_NONBLOCK and O_NOFOLLOW, so a
 * file swapped for a FIFO or a symbolic link in between cannot block or redirect the read.
 */

export type FileRead = { ok: true; bytes: Buffer } | { ok: false; message: string };

const NONBLOCKING_READ =
  constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW | constants.O_NOCTTY;

/** What a non-regular file is, in words a model understands. */
export function kindOf(info: Stats): string {
  if (info.isFile()) return 'regular file';
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'FIFO (named pipe)';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice()) return 'character device';
  if (info.isBlockDevice()) return 'block device';
  if (info.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** Sizes as people read them: bytes, KB or MB (decimal, as `tools.max_file_size` is bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  const mb = bytes / 1_000_000;
  return `${mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb)} MB`;
}

export function notRegularMessage(rel: string, kind: string, command: string): string {
  return `${rel} is a ${kind}, not a regular file; the editor's ${command} only works on regular files (reading a pipe, socket or device could block or never end). Inspect it with bash (e.g. \`ls -l ${rel}\`, \`file ${rel}\`), or remove it if it was made by mistake.`;
}

export function tooLargeMessage(rel: string, size: number, limit: number): string {
  return `${rel} is ${formatSize(size)}; the limit is ${formatSize(limit)} (tools.max_file_size): use the bash tool with sed/grep/head instead (e.g. \`grep -n PATTERN ${rel}\`, \`sed -n '100,150p' ${rel}\`, \`head -c 2000 ${rel}\`).`;
}

/** Why a file was not read: its kind, its size, or it grew while being read. */
export type RegularRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'kind'; kind: string }
  | { ok: false; reason: 'size'; size: number }
  | { ok: false; reason: 'grew' };

/**
 * The bytes of a regular file of at most `limit` bytes, never following a final symbolic
 * link and never blocking: lstat first (nothing but a regular file is opened), then an
 * O_NONBLOCK | O_NOFOLLOW open and an fstat of the descriptor (a file swapped meanwhile
 * is caught). Reads at most `limit + 1` bytes whatever the file does meanwhile.
 */
export async function readRegularBytes(path: string, limit: number): Promise<RegularRead> {
  const before = await lstat(path);
  if (!before.isFile()) return { ok: false, reason: 'kind', kind: kindOf(before) };
  if (before.size > limit) return { ok: false, reason: 'size', size: before.size };
  let handle;
  try {
    handle = await open(path, NONBLOCKING_READ);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      return { ok: false, reason: 'kind', kind: 'symbolic link' };
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: 'kind', kind: kindOf(info) };
    if (info.size > limit) return { ok: false, reason: 'size', size: info.size };
    const buffer = Buffer.alloc(info.size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > info.size) return { ok: false, reason: 'grew' };
    return { ok: true, bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

/** The bytes of a regular file of at most `limit` bytes, or a message for the model. */
export async function readRegularFile(
  path: string,
  rel: string,
  command: string,
  limit: number,
): Promise<FileRead> {
  const read = await readRegularBytes(path, limit);
  if (read.ok) return read;
  switch (read.reason) {
    case 'kind':
      return { ok: false, message: notRegularMessage(rel, read.kind, command) };
    case 'size':
      return { ok: false, message: tooLargeMessage(rel, read.size, limit) };
    case 'grew':
      return {
        ok: false,
        message: `${rel} grew while it was being read (something is still writing it); wait for that to finish, then try again.`,
      };
  }
}
