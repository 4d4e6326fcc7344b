import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { git } from '../../git/exec.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * What the agent may plant in the shared repository to run code later — in mmm's own git
 * calls or in the user's: hooks (`<common>/hooks/post-commit`) and configuration
 * (`core.fsmonitor`, `core.hooksPath`, `alias.*`, `filter.*`, `include.path`, … in
 * `<common>/config`, `config.worktree`). mmm's git never runs them (exec.ts), but they
 * would stay in the user's repository. A snapshot of these files is taken when the run
 * starts (kept in the run directory, `repo-snapshot/`); after every attempt whatever
 * differs is reported and put back as it was. Nothing is thrown away: the planted or
 * changed files are moved to the run directory (`planted/<n>/`).
 */

interface Watched {
  /** Name in the snapshot. */
  key: string;
  /** Where it lives. */
  path: string;
  /** A git config file (its keys are compared for the report). */
  config: boolean;
}

export interface RepoDirs {
  commonDir: string;
  /** The run worktree's own git dir (undefined in place: the checkout's is `commonDir`). */
  runGitDir?: string | undefined;
  /**
   * The user's global git config files, watched too: a filter or diff driver planted
   * there would run in mmm's `git add` as well. See `globalConfigFiles`.
   */
  globalFiles?: string[] | undefined;
}

/** `$GIT_CONFIG_GLOBAL`, or `~/.gitconfig` and `$XDG_CONFIG_HOME/git/config`. */
export function globalConfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.GIT_CONFIG_GLOBAL) return [env.GIT_CONFIG_GLOBAL];
  const home = env.HOME ?? homedir();
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(home, '.gitconfig'), join(xdg, 'git', 'config')];
}

interface Manifest {
  /** sha256 of each watched file, null when it did not exist. */
  files: Record<string, string | null>;
  /** Permission bits (hooks must stay executable when restored). */
  modes?: Record<string, number>;
}

function sha(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function hookFiles(hooksDir: string, dir = hooksDir, out: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await hookFiles(hooksDir, full, out);
    else out.push(relative(hooksDir, full));
  }
  return out;
}

async function watched(dirs: RepoDirs): Promise<Watched[]> {
  const list: Watched[] = [
    { key: 'config', path: join(dirs.commonDir, 'config'), config: true },
    { key: 'config.worktree', path: join(dirs.commonDir, 'config.worktree'), config: true },
  ];
  if (dirs.runGitDir && dirs.runGitDir !== dirs.commonDir) {
    list.push({
      key: 'run-config.worktree',
      path: join(dirs.runGitDir, 'config.worktree'),
      config: true,
    });
  }
  (dirs.globalFiles ?? []).forEach((path, i) => {
    list.push({ key: `global-${i}`, path, config: true });
  });
  const hooks = join(dirs.commonDir, 'hooks');
  for (const rel of await hookFiles(hooks)) {
    list.push({ key: `hooks/${rel}`, path: join(hooks, rel), config: false });
  }
  return list;
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    if (!(await lstat(path)).isFile()) return Buffer.from(`<not a regular file>`);
    return await readFile(path);
  } catch {
    return null;
  }
}

/** Record the hooks and config files as they are now (the user's own). */
export async function snapshotRepoConfig(dirs: RepoDirs, snapshotDir: string): Promise<void> {
  await rm(snapshotDir, { recursive: true, force: true });
  await mkdir(join(snapshotDir, 'files'), { recursive: true });
  const manifest: Manifest = { files: {}, modes: {} };
  for (const w of await watched(dirs)) {
    const data = await readOrNull(w.path);
    manifest.files[w.key] = data === null ? null : sha(data);
    if (data !== null) {
      (manifest.modes ??= {})[w.key] = (await lstat(w.path)).mode & 0o7777;
      const copy = join(snapshotDir, 'files', w.key);
      await mkdir(dirname(copy), { recursive: true });
      // Config files may hold credentials (remote URLs, http headers): private copies.
      await writeFile(copy, data, { mode: 0o600 });
    }
  }
  await writeFileAtomic(join(snapshotDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** `key=value` lines of a config file (includes not followed). */
async function configEntries(path: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  if (!existsSync(path)) return entries;
  const r = await git(dirname(path), ['config', '--file', path, '--no-includes', '--list', '-z'], {
    okCodes: [1, 128],
  });
  for (const item of r.stdout.split('\0').filter(Boolean)) {
    const nl = item.indexOf('\n');
    const key = nl < 0 ? item : item.slice(0, nl);
    const value = nl < 0 ? '' : item.slice(nl + 1);
    entries.set(key, entries.has(key) ? `${entries.get(key)}\n${value}` : value);
  }
  return entries;
}

function describeKeys(before: Map<string, string>, after: Map<string, string>): string {
  const parts: string[] = [];
  for (const [k, v] of after) {
    if (!before.has(k)) parts.push(`added ${k}=${JSON.stringify(v)}`);
    else if (before.get(k) !== v) parts.push(`changed ${k}`);
  }
  for (const k of before.keys()) if (!after.has(k)) parts.push(`removed ${k}`);
  return parts.length ? parts.join(', ') : 'reformatted it';
}

/** A new numbered folder under `base` (`1`, `2`, …) for one attempt's quarantined files. */
export async function freeDir(base: string): Promise<string> {
  let n = 1;
  while (existsSync(join(base, String(n)))) n++;
  const dir = join(base, String(n));
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Put the hooks and config files back as the snapshot has them. Returns one message per
 * file that differed (empty when nothing was planted). `quarantine` receives the changed
 * or planted files.
 */
export async function removePlanted(
  dirs: RepoDirs,
  snapshotDir: string,
  quarantine: string,
): Promise<string[]> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(snapshotDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return [];
  }
  const messages: string[] = [];
  let target: string | undefined;
  const keep = async (w: Watched): Promise<string> => {
    target ??= await freeDir(quarantine);
    const to = join(target, w.key);
    await mkdir(dirname(to), { recursive: true });
    await rename(w.path, to).catch(async () => {
      await copyFile(w.path, to);
      await rm(w.path, { force: true });
    });
    return to;
  };
  const current = new Map((await watched(dirs)).map((w) => [w.key, w]));
  for (const key of Object.keys(manifest.files)) {
    if (!current.has(key) && key.startsWith('hooks/')) {
      current.set(key, { key, path: join(dirs.commonDir, key), config: false });
    }
  }
  for (const w of current.values()) {
    const data = await readOrNull(w.path);
    const before = manifest.files[w.key] ?? null;
    const now = data === null ? null : sha(data);
    if (now === before) continue;
    const original = join(snapshotDir, 'files', w.key);
    const inRepo = !w.key.startsWith('global-');
    const where = inRepo ? relative(dirname(dirs.commonDir), w.path) : w.path;
    let what: string;
    if (w.config) {
      const keys = describeKeys(
        before === null ? new Map() : await configEntries(original),
        await configEntries(w.path),
      );
      what = `the git configuration ${where} was changed (${keys})`;
    } else if (before === null) {
      what = `a git hook was planted at ${where}`;
    } else if (now === null) {
      what = `the git hook ${where} was deleted`;
    } else {
      what = `the git hook ${where} was changed`;
    }
    let kept: string | undefined;
    if (data !== null) kept = await keep(w);
    if (before !== null) {
      await mkdir(dirname(w.path), { recursive: true });
      await copyFile(original, w.path);
      const mode = manifest.modes?.[w.key];
      if (mode !== undefined) await chmod(w.path, mode);
    }
    messages.push(
      `${what}; ${before === null ? 'removed it' : 'restored it as it was when the run started'}` +
        (kept ? ` (the ${before === null ? 'planted' : 'changed'} file is kept at ${kept})` : ''),
    );
  }
  return messages;
}
