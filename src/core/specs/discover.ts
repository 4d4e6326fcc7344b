import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { SpecLayout } from './model.js';

/**
 * Where specs are, and how they are written. A spec directory holds any mix of:
 * - markdown files, one spec each (`specs/03-retry.md`, the predecessor's style);
 * - feature folders, one spec each: spec-kit (`specs/001-albums/spec.md`, `plan.md`,
 *   `tasks.md`) or Kiro (`.kiro/specs/albums/requirements.md`, `design.md`, `tasks.md`);
 * - a task-master `tasks.json`, one spec per task.
 * A directory that itself holds a `spec.md` or `requirements.md` is one feature folder.
 * `.kiro/specs/` and `.taskmaster/tasks/tasks.json` are found without configuration.
 */
export type SpecSource =
  | { kind: 'file'; path: string }
  | { kind: 'special'; path: string }
  | { kind: 'folder'; dir: string; files: string[]; special: string[] }
  | { kind: 'tasks-json'; path: string };

/** The files that make a folder a feature folder, in the order they go into the body. */
export const FOLDER_FILES = ['spec.md', 'requirements.md', 'plan.md', 'design.md', 'tasks.md'];
/** spec-kit's other design documents: read into the body too, when present. */
const FOLDER_EXTRA = ['research.md', 'data-model.md', 'quickstart.md'];
/** The main files: a spec directory is itself one feature folder when it holds one of these and a plan, design or tasks file. */
const FOLDER_MAIN = new Set(['spec.md', 'requirements.md']);

/** Markdown files in the spec directory that are not specs: indexes and changelogs. */
const NOT_SPECS = /^(readme|index|spec_index|specs_index|changelog|summary)\.(md|markdown)$/i;

export const KIRO_DIR = '.kiro/specs';
export const TASK_MASTER_FILE = '.taskmaster/tasks/tasks.json';

/** Spec file names: markdown, not an index/README/changelog, not hidden or `_`-prefixed. */
export function isSpecName(name: string): boolean {
  return (
    /\.(md|markdown)$/i.test(name) &&
    !NOT_SPECS.test(name) &&
    !name.startsWith('.') &&
    !name.startsWith('_')
  );
}

export function layoutOf(source: SpecSource): SpecLayout | undefined {
  return source.kind === 'special' ? undefined : source.kind;
}

async function kindOf(path: string): Promise<'dir' | 'file' | 'other' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

function unreadable(shown: string, error: unknown): InputError {
  return new InputError(`cannot read spec directory ${shown}/: ${(error as Error).message}`, {
    cause: error,
  });
}

/** The feature folder at `dir`, when it holds any of FOLDER_FILES (undefined otherwise). */
export async function readFeatureFolder(
  dir: string,
  requireMain = false,
): Promise<Extract<SpecSource, { kind: 'folder' }> | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const core = FOLDER_FILES.filter((name) => byName.has(name));
  if (core.length === 0) return undefined;
  // A flat spec directory may hold a spec named spec.md: only a main file with a plan,
  // design or tasks file beside it makes the directory itself a feature folder.
  if (
    requireMain &&
    !(core.some((name) => FOLDER_MAIN.has(name)) && core.some((name) => !FOLDER_MAIN.has(name)))
  ) {
    return undefined;
  }
  const present = [...core, ...FOLDER_EXTRA.filter((name) => byName.has(name))];
  const files: string[] = [];
  const special: string[] = [];
  for (const name of present) {
    const e = byName.get(name);
    if (!e) continue;
    (e.isFile() ? files : special).push(join(dir, e.name));
  }
  return { kind: 'folder', dir, files, special };
}

/**
 * The sources directly inside one spec directory (which must exist and be a directory).
 * A sub-folder that is itself a configured spec directory is left to its own scan.
 */
async function scanDir(
  dir: string,
  shown: string,
  listed: ReadonlySet<string> = new Set(),
): Promise<SpecSource[]> {
  const self = await readFeatureFolder(dir, true);
  if (self) return [self];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw unreadable(shown, error);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: SpecSource[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || e.name.startsWith('_') || listed.has(path)) continue;
      const folder = await readFeatureFolder(path);
      if (folder) out.push(folder);
    } else if (e.name === 'tasks.json' && e.isFile()) {
      out.push({ kind: 'tasks-json', path });
    } else if (isSpecName(e.name)) {
      out.push({ kind: e.isFile() ? 'file' : 'special', path });
    }
  }
  return out;
}

export interface Discovered {
  sources: SpecSource[];
  /** Each directory (or file) read, repository-relative, with what it held. */
  places: Array<{ path: string; sources: SpecSource[] }>;
  /** Configured directories that do not exist (while specs were found elsewhere). */
  missing: string[];
}

/**
 * Every spec source of the project at `root`: the configured directories (relative to
 * `root`, or absolute) in their order, then `.kiro/specs/` and `.taskmaster/tasks/tasks.json` when they
 * exist. A configured directory that does not exist is an InputError (exit 2), unless
 * specs were found elsewhere.
 */
export async function discoverSpecs(
  root: string,
  dirs: string[],
  shownOf: (absolute: string) => string,
): Promise<Discovered> {
  const places: Discovered['places'] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const configured = new Set(dirs.map((d) => (isAbsolute(d) ? d : resolve(root, d))));
  for (const d of dirs) {
    const dir = isAbsolute(d) ? d : resolve(root, d);
    if (seen.has(dir)) continue;
    seen.add(dir);
    const shown = shownOf(dir) || '.';
    const kind = await kindOf(dir);
    if (kind === undefined) {
      missing.push(shown);
      continue;
    }
    if (kind !== 'dir') {
      throw new InputError(`${shown} is not a directory`, {
        hint: 'set spec_dir in .mmm/config.toml to the folder holding your spec files',
      });
    }
    places.push({ path: shown, sources: await scanDir(dir, shown, configured) });
  }
  const kiro = resolve(root, KIRO_DIR);
  if (!seen.has(kiro) && (await kindOf(kiro)) === 'dir') {
    places.push({ path: KIRO_DIR, sources: await scanDir(kiro, KIRO_DIR) });
  }
  const taskMaster = resolve(root, TASK_MASTER_FILE);
  const listed = places.some((p) =>
    p.sources.some((s) => s.kind === 'tasks-json' && s.path === taskMaster),
  );
  if (!listed && (await kindOf(taskMaster)) === 'file') {
    places.push({ path: TASK_MASTER_FILE, sources: [{ kind: 'tasks-json', path: taskMaster }] });
  }
  const sources = places.flatMap((p) => p.sources);
  if (missing.length > 0 && sources.length === 0) {
    const named =
      missing.length === 1
        ? `spec directory ${missing[0]}/ does not exist`
        : `spec directories ${missing.map((m) => `${m}/`).join(', ')} do not exist`;
    throw new InputError(named, {
      hint: 'run `mmm init` to set up mmm here, or `mmm spec new "<title>"` to write the first spec',
    });
  }
  return { sources, places, missing };
}
