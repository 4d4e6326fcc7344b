import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../../errors.js';
import { writeFileAtomic, writeFileDurable, syncDir } from './atomic-file.js';
import { stringifyRedacted } from '../../secrets/redact.js';
import {
  STATE_VERSION,
  iterationSchema,
  runStateSchema,
  stateFileSchema,
  type Iteration,
  type RunState,
  type RunStateHeader,
  type StateFile,
} from './state-schema.js';
import { sameAsSnapshot, snapshotOf, type Snapshot } from './snapshot.js';

export * from './state-schema.js';

/**
 * Saving and loading a run's state, fast at any size.
 *
 * `state.json` holds the snapshot without the iterations and is replaced atomically at
 * each checkpoint; iterations are lines appended to `iterations-<gen>.jsonl`, and
 * state.json records how many bytes of that file belong to the snapshot. A save writes
 * only the iterations that changed since the last save, so its cost does not grow with
 * the number of iterations. Bytes after the recorded length (a save torn by a crash) are
 * ignored and cut off by the next save. When the log holds too many superseded records
 * it is rewritten as a new generation, which the next state.json points to.
 * Format: docs/state.md.
 */
interface LogCache {
  gen: number;
  file: string;
  bytes: number;
  records: number;
  snaps: Snapshot[];
}

const caches = new Map<string, LogCache>();
const queues = new Map<string, Promise<void>>();

const headerSchema = runStateSchema.omit({ iterations: true });
const LOG_FILE = /^iterations-(\d+)\.jsonl$/;

function recordLine(at: number, iteration: Iteration): string {
  return stringifyRedacted({ at, iteration }) + '\n';
}

function describeIssues(path: string, error: z.ZodError): string[] {
  return error.issues
    .slice(0, 10)
    .map((i) => `${path}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/**
 * Write `state` durably. Saves to the same path are serialized; the state is captured
 * when the save starts. Throws (and writes nothing) if the state does not match the schema.
 */
export async function saveState(path: string, state: RunState): Promise<void> {
  const key = resolve(path);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      try {
        await doSave(key, state);
      } catch (error) {
        // The iteration log vanished under us (deleted by hand): write it afresh.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !caches.has(key)) throw error;
        caches.delete(key);
        await doSave(key, state);
      }
    });
  queues.set(key, next);
  try {
    await next;
  } finally {
    if (queues.get(key) === next) queues.delete(key);
  }
}

async function doSave(path: string, state: RunState): Promise<void> {
  // Everything is captured synchronously, before the first await: the lanes of a parallel
  // run go on while a save is written, so the iterations are copied (a count read after the
  // write would include an iteration pushed meanwhile, which this save did not write).
  const { iterations: live, ...header } = state;
  const iterations = live.slice();
  const checked = headerSchema.safeParse(header);
  if (!checked.success) {
    throw new Error(
      `refusing to save an invalid run state:\n${describeIssues(path, checked.error).join('\n')}`,
    );
  }
  const cache = caches.get(path);
  const changed: number[] = [];
  if (cache) {
    for (let i = 0; i < iterations.length; i++) {
      const snap = cache.snaps[i];
      if (!snap || !sameAsSnapshot(iterations[i] as object, snap)) changed.push(i);
    }
  }
  const rewrite = !cache || cache.records + changed.length > 2 * iterations.length + 64;
  const toWrite = rewrite ? iterations.map((_, i) => i) : changed;
  const lines: string[] = [];
  const snaps = new Map<number, Snapshot>();
  for (const i of toWrite) {
    const it = iterations[i] as Iteration;
    const ok = iterationSchema.safeParse(it);
    if (!ok.success) {
      throw new Error(
        `refusing to save an invalid iteration ${i}:\n${describeIssues(path, ok.error).join('\n')}`,
      );
    }
    lines.push(recordLine(i, it));
    snaps.set(i, snapshotOf(it));
  }
  const payload = Buffer.from(lines.join(''), 'utf8');
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });

  let next: LogCache;
  if (rewrite || !cache) {
    const gen = cache ? cache.gen + 1 : (await highestGeneration(dir)) + 1;
    const file = `iterations-${gen}.jsonl`;
    await rm(join(dir, file), { force: true });
    await writeFileDurable(join(dir, file), payload);
    await syncDir(dir);
    next = { gen, file, bytes: payload.length, records: toWrite.length, snaps: [] };
  } else {
    const handle = await open(join(dir, cache.file), 'r+');
    try {
      await handle.truncate(cache.bytes);
      if (payload.length) {
        await handle.write(payload, 0, payload.length, cache.bytes);
        await handle.sync();
      }
    } finally {
      await handle.close();
    }
    next = {
      ...cache,
      bytes: cache.bytes + payload.length,
      records: cache.records + toWrite.length,
    };
    next.snaps = cache.snaps.slice(0, iterations.length);
  }
  for (const [i, snap] of snaps) next.snaps[i] = snap;
  next.snaps.length = iterations.length;

  const onDisk: StateFile = {
    ...checked.data,
    iterationLog: { file: next.file, count: iterations.length, bytes: next.bytes },
  };
  await writeFileAtomic(path, stringifyRedacted(onDisk, 2) + '\n');
  caches.set(path, next);
  if (rewrite) await removeOtherGenerations(dir, next.file);
}

async function highestGeneration(dir: string): Promise<number> {
  let highest = -1;
  for (const name of await readdir(dir)) {
    const m = LOG_FILE.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return highest;
}

async function removeOtherGenerations(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (LOG_FILE.test(name) && name !== keep) await rm(join(dir, name), { force: true });
  }
}

function corrupt(
  path: string,
  what: string,
  options: { problems?: string[]; cause?: unknown } = {},
) {
  const dir = dirname(path);
  return new InputError(`run state ${path} is unreadable: ${what}`, {
    hint:
      `mmm never overwrites it. Restore the file, or move the run aside ` +
      `(mv ${dir} ${dir}.broken) and start a new run; committed work stays on its mmm/ branch`,
    ...options,
  });
}

/**
 * The snapshot part of state.json (no iterations): cheap, for listings. Same errors as
 * `loadState` for a missing, corrupt or unknown-version file.
 */
export async function readStateHeader(
  path: string,
): Promise<RunStateHeader & { iterationCount: number }> {
  const file = await readStateFile(path);
  const { iterationLog, ...header } = file;
  return { ...header, iterationCount: iterationLog.count };
}

async function readStateFile(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`no run state at ${path}`, {
        hint: 'list the runs of this repository with `mmm runs`',
      });
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw corrupt(path, 'not a JSON object');
  }
  const version = (raw as { version?: unknown }).version;
  if (version !== STATE_VERSION) {
    if (typeof version === 'number' && version > STATE_VERSION) {
      throw new InputError(
        `run state ${path} has format version ${version}; this mmm reads version ${STATE_VERSION}`,
        {
          hint: 'it was written by a newer mmm: upgrade mmm (npm install -g mmm@latest) to read or resume it',
        },
      );
    }
    throw corrupt(
      path,
      `unknown format version ${JSON.stringify(version) ?? 'undefined'} (expected ${STATE_VERSION})`,
    );
  }
  const parsed = stateFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw corrupt(path, 'it does not match the run state format', {
      problems: describeIssues(path, parsed.error),
    });
  }
  return parsed.data;
}

/**
 * Load a run's full state (snapshot and iterations). Missing, corrupt, schema-mismatched
 * or unknown-version files → InputError naming the file and what to do; nothing is
 * modified. Prepares the next `saveState` of this path to append only what changes.
 */
export async function loadState(path: string): Promise<RunState> {
  const key = resolve(path);
  for (let tries = 0; ; tries++) {
    const file = await readStateFile(key);
    const logPath = join(dirname(key), file.iterationLog.file);
    let buffer: Buffer;
    try {
      buffer =
        file.iterationLog.count === 0 && file.iterationLog.bytes === 0
          ? Buffer.alloc(0)
          : await readFile(logPath);
    } catch (error) {
      // A concurrent save may just have replaced the log: read state.json again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && tries < 3) continue;
      throw corrupt(key, `its iteration log ${basename(logPath)} is missing`, { cause: error });
    }
    const iterations = parseIterationLog(logPath, buffer, file.iterationLog);
    const { iterationLog, ...header } = file;
    const state: RunState = { ...header, iterations };
    const gen = Number(LOG_FILE.exec(iterationLog.file)?.[1] ?? 0);
    caches.set(key, {
      gen,
      file: iterationLog.file,
      bytes: iterationLog.bytes,
      records: countLines(buffer, iterationLog.bytes),
      snaps: iterations.map(snapshotOf),
    });
    return state;
  }
}

function countLines(buffer: Buffer, bytes: number): number {
  let n = 0;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < bytes; i = buffer.indexOf(0x0a, i + 1)) n++;
  return n;
}

function parseIterationLog(
  logPath: string,
  buffer: Buffer,
  ref: { count: number; bytes: number },
): Iteration[] {
  if (buffer.length < ref.bytes) {
    throw corrupt(logPath, `it has ${buffer.length} bytes, state.json records ${ref.bytes}`);
  }
  const slots: unknown[] = new Array<unknown>(ref.count);
  const text = buffer.subarray(0, ref.bytes).toString('utf8');
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    let record: { at?: unknown; iteration?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch (error) {
      throw corrupt(logPath, `line ${lineNo} is not valid JSON`, { cause: error });
    }
    if (typeof record.at !== 'number' || !Number.isInteger(record.at) || record.at < 0) {
      throw corrupt(logPath, `line ${lineNo} has no iteration position ("at")`);
    }
    if (record.at < ref.count) slots[record.at] = record.iteration;
  }
  const iterations: Iteration[] = [];
  const problems: string[] = [];
  for (let i = 0; i < ref.count; i++) {
    if (slots[i] === undefined) {
      problems.push(`${logPath}: iteration ${i} is missing`);
      continue;
    }
    const parsed = iterationSchema.safeParse(slots[i]);
    if (parsed.success) iterations.push(parsed.data);
    else
      problems.push(...describeIssues(logPath, parsed.error).map((p) => `${p} (iteration ${i})`));
    if (problems.length >= 10) break;
  }
  if (problems.length)
    throw corrupt(logPath, 'it does not match the run state format', { problems });
  return iterations;
}

/** Forget what this process knows about saved files (the next save rewrites the log). */
export function resetStateCache(path?: string): void {
  if (path === undefined) caches.clear();
  else caches.delete(resolve(path));
}
