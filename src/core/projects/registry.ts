import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { logger } from '../log.js';

/**
 * The global project registry, `$XDG_DATA_HOME/mmm/projects.json`: every project
 * `mmm init` set up, with its last run. Written atomically under a lock; a corrupt
 * file is reported as a warning and replaced on the next write, never a crash.
 */
export interface ProjectRun {
  runId: string;
  status: string;
  at: string;
}

export interface ProjectEntry {
  path: string;
  name: string;
  registeredAt: string;
  lastRun?: ProjectRun;
  /** The directory no longer exists. Computed on listing, never stored. */
  missing: boolean;
}

type StoredProject = Omit<ProjectEntry, 'missing'>;

interface RegistryFile {
  version: 1;
  projects: StoredProject[];
}

const log = logger('projects');

export function registryPath(): string {
  // env-paths honors XDG_DATA_HOME on Linux only; mmm honors it everywhere.
  const base = process.env.XDG_DATA_HOME
    ? join(process.env.XDG_DATA_HOME, 'mmm')
    : envPaths('mmm', { suffix: '' }).data;
  return join(base, 'projects.json');
}

export interface RegistryRead {
  projects: StoredProject[];
  warning?: string;
}

export async function readRegistry(file = registryPath()): Promise<RegistryRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { projects: [] };
    return {
      projects: [],
      warning: `could not read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
  try {
    const parsed = JSON.parse(text) as Partial<RegistryFile>;
    if (!parsed || !Array.isArray(parsed.projects)) throw new Error('no "projects" list');
    const projects = parsed.projects.filter(
      (p): p is StoredProject =>
        typeof p === 'object' &&
        p !== null &&
        typeof p.path === 'string' &&
        typeof p.name === 'string',
    );
    return { projects };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const warning = `${file} is corrupt (${reason}); it will be rewritten on the next mmm init or run`;
    log.warn(warning);
    return { projects: [], warning };
  }
}

async function update(mutate: (projects: StoredProject[]) => void): Promise<void> {
  const file = registryPath();
  await mkdir(join(file, '..'), { recursive: true });
  const release = await lockfile.lock(join(file, '..'), {
    lockfilePath: `${file}.lock`,
    retries: { retries: 20, minTimeout: 20, maxTimeout: 200 },
    stale: 10_000,
  });
  try {
    const { projects } = await readRegistry(file);
    mutate(projects);
    const body: RegistryFile = { version: 1, projects };
    await writeFileAtomic(file, JSON.stringify(body, null, 2) + '\n');
  } finally {
    await release();
  }
}

export async function registerProject(root: string): Promise<void> {
  const path = resolve(root);
  await update((projects) => {
    if (projects.some((p) => p.path === path)) return;
    projects.push({ path, name: basename(path), registeredAt: new Date().toISOString() });
  });
}

/** Called by the improve loop when a run ends; registers the project if needed. */
export async function recordProjectRun(root: string, run: ProjectRun): Promise<void> {
  const path = resolve(root);
  await update((projects) => {
    let entry = projects.find((p) => p.path === path);
    if (!entry) {
      entry = { path, name: basename(path), registeredAt: run.at };
      projects.push(entry);
    }
    entry.lastRun = { runId: run.runId, status: run.status, at: run.at };
  });
}

export async function listProjects(): Promise<ProjectEntry[]> {
  const { projects } = await readRegistry();
  return projects
    .map((p) => ({ ...p, missing: !existsSync(p.path) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}
