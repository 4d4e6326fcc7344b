import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { excludeMmmFiles } from '../../git/repo.js';
import { lockPath } from './paths.js';

/**
 * One run at a time per repository: `.mmm/run.lock`, created with O_EXCL, holding who
 * owns it. A lock whose process is gone (same host) is taken over; a live one refuses.
 */
export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  runId: string;
  /** Linux: the process start time (from /proc), to tell a reused pid from the holder. */
  pidStart?: string;
}

export interface RunLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Set when a stale lock of a dead process was taken over: tell the user. */
  readonly warning?: string;
  release(): Promise<void>;
}

/** Start time of a process (field 22 of /proc/<pid>/stat), or undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return afterName[19];
  } catch {
    return undefined;
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.runId === 'string') {
      return {
        pid: v.pid,
        host: v.host,
        startedAt: typeof v.startedAt === 'string' ? v.startedAt : 'unknown',
        runId: v.runId,
        ...(typeof v.pidStart === 'string' ? { pidStart: v.pidStart } : {}),
      };
    }
  } catch {
    // unreadable
  }
  return undefined;
}

/** 'alive', 'dead', or 'unknown' (another host: cannot tell). */
export function holderState(info: LockInfo): 'alive' | 'dead' | 'unknown' {
  if (info.host !== hostname()) return 'unknown';
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  if (info.pidStart !== undefined) {
    const now = processStart(info.pid);
    if (now !== undefined && now !== info.pidStart) return 'dead';
  }
  return 'alive';
}

/** The lock as written on disk, if any and readable. */
export async function readRunLock(repoRoot: string): Promise<LockInfo | undefined> {
  try {
    return parseLock(await readFile(lockPath(repoRoot), 'utf8'));
  } catch {
    return undefined;
  }
}

function heldError(path: string, info: LockInfo, state: 'alive' | 'unknown'): InputError {
  const where = state === 'unknown' ? `pid ${info.pid} on host ${info.host}` : `pid ${info.pid}`;
  return new InputError(
    `another mmm run is active in this repository: run ${info.runId} (${where}, since ${info.startedAt})`,
    {
      hint:
        `wait for it to finish (mmm status), stop it (kill ${info.pid}${state === 'unknown' ? ` on ${info.host}` : ''}), ` +
        `or, if it is no longer running, delete ${path}`,
    },
  );
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(info) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Take the repository's run lock for `info.runId`. Held by a live process (or one on
 * another host) → InputError (exit 2) naming the holder. Held by a dead process → taken
 * over, with `warning` set. The lock is also released when the process exits.
 */
export async function acquireRunLock(repoRoot: string, info: { runId: string }): Promise<RunLock> {
  const path = lockPath(repoRoot);
  await mkdir(dirname(path), { recursive: true });
  await excludeMmmFiles(repoRoot).catch(() => undefined);
  const pidStart = processStart(process.pid);
  const mine: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    runId: info.runId,
    ...(pidStart !== undefined ? { pidStart } : {}),
  };
  let warning: string | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path, mine)) break;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw error;
    }
    const holder = parseLock(text);
    if (!holder) {
      // Being written right now, or left empty by a crash: give the writer a moment.
      const age =
        Date.now() -
        (await stat(path).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age < 2000 && attempt < 20) {
        await sleep(100);
        continue;
      }
      warning = `removed an unreadable run lock ${path}`;
    } else {
      const state = holderState(holder);
      if (state !== 'dead') throw heldError(path, holder, state);
      warning =
        `took over the lock of run ${holder.runId} (pid ${holder.pid}, since ${holder.startedAt}): ` +
        `that process is no longer running`;
    }
    if (attempt > 20) throw new Error(`could not take the run lock ${path}`);
    await takeOver(path, text);
  }
  const release = releaser(path, mine);
  const onExit = () => release.sync();
  process.once('exit', onExit);
  return {
    path,
    info: mine,
    ...(warning !== undefined ? { warning } : {}),
    release: async () => {
      process.removeListener('exit', onExit);
      await release.async();
    },
  };
}

/**
 * Remove a stale lock, but only if it still holds `staleText`: a guard directory makes
 * the check-and-remove atomic between processes racing for the same stale lock.
 */
async function takeOver(path: string, staleText: string): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age =
      Date.now() -
      (await stat(guard).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      ));
    if (age > 10_000) await rm(guard, { recursive: true, force: true });
    else await sleep(50);
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === staleText) {
      const aside = `${path}.stale-${process.pid}`;
      await rename(path, aside);
      await unlink(aside);
    }
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

function releaser(path: string, mine: LockInfo): { async(): Promise<void>; sync(): void } {
  const expected = JSON.stringify(mine) + '\n';
  let released = false;
  return {
    async async() {
      if (released) return;
      released = true;
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === expected) await unlink(path).catch(() => undefined);
    },
    sync() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(path, 'utf8') === expected) unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
