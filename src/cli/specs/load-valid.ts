import { resolveSpecDir } from '../../core/specs/spec-dir.js';
import {
  assertValidSpecs,
  loadSpecs,
  repoRelative,
  type LoadedSpecs,
} from '../../core/specs/load.js';
import { formatProblem } from '../../core/specs/model.js';
import { paint } from '../../ui/colors.js';

export interface ValidSpecs extends LoadedSpecs {
  root: string;
  /** The configured spec directories (absolute), in order. */
  specDirs: string[];
  /** Whether `spec_dir` is a list in the configuration. */
  listed: boolean;
}

/** `spec_dir` for the JSON outputs: as configured, a folder or a list (repository-relative). */
export function specDirJson(result: ValidSpecs): string | string[] {
  const dirs = result.specDirs.map((dir) => repoRelative(result.root, dir) || '.');
  return result.listed ? dirs : (dirs[0] ?? '.');
}

/** `specs/` or `specs/, docs/specs/`, for messages. */
export function specDirsShown(result: ValidSpecs): string {
  return result.specDirs.map((dir) => `${repoRelative(result.root, dir) || '.'}/`).join(', ');
}

/** Print warnings to stderr, one `file:line:col: warning: …` per line. */
export function printWarnings(result: LoadedSpecs): void {
  for (const p of result.problems) {
    if (p.severity === 'warning') process.stderr.write(`${paint.yellow(formatProblem(p))}\n`);
  }
}

const LAYOUT_NAMES = {
  file: ['spec file', 'spec files'],
  folder: ['feature folder', 'feature folders'],
  'tasks-json': ['task', 'tasks'],
} as const;

/** `specs/ (3 spec files, 1 feature folder), .kiro/specs/ (2 feature folders)`. */
export function describeLayouts(layouts: LoadedSpecs['layouts']): string {
  return layouts
    .map((place) => {
      const parts = Object.entries(place.layouts).map(([layout, n]) => {
        const names = LAYOUT_NAMES[layout as keyof typeof LAYOUT_NAMES];
        return `${n} ${n === 1 ? names[0] : names[1]}`;
      });
      const path = place.path.endsWith('.json') ? place.path : `${place.path}/`;
      return `${path} (${parts.length ? parts.join(', ') : 'empty'})`;
    })
    .join(', ');
}

/** Load the specs of the project around `cwd` (errors included), with the config's options. */
export async function loadProjectSpecs(cwd: string): Promise<ValidSpecs> {
  const { root, specDirs, listed, options } = await resolveSpecDir(cwd);
  const result = await loadSpecs(root, specDirs, options);
  return { ...result, root, specDirs, listed };
}

/**
 * Load the specs of the project around `cwd` for a command that needs them valid:
 * errors throw InputError (exit 2), warnings go to stderr.
 */
export async function loadValidSpecs(cwd: string): Promise<ValidSpecs> {
  const result = await loadProjectSpecs(cwd);
  assertValidSpecs(result);
  printWarnings(result);
  return result;
}
