import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';

/**
 * `spec_dir` is one folder (`"specs"`) or a list of folders (`["specs", "docs/specs"]`).
 * Specs are read from every folder of the list; mmm writes a new spec (`mmm spec new`, a
 * review round's proposal) into the first.
 */
export type SpecDirSetting = string | readonly string[];

/** The folders of a `spec_dir` setting, in the order given. */
export function specDirList(setting: SpecDirSetting): string[] {
  return typeof setting === 'string' ? [setting] : [...setting];
}

/** The folder new specs are written into: the setting itself, or the first of the list. */
export function firstSpecDir(setting: SpecDirSetting): string {
  return specDirList(setting)[0] ?? 'specs';
}

/** `specs/` or `specs/, docs/specs/`, for messages. */
export function describeSpecDirs(setting: SpecDirSetting): string {
  return specDirList(setting)
    .map((dir) => `${dir.replace(/\/+$/, '')}/`)
    .join(', ');
}

/**
 * Where the specs of the project around `cwd` live: the project root and the spec
 * directories (absolute, in the configured order), from `spec_dir` in the merged
 * configuration (default "specs"); `listed` when the configuration gave a list. The single
 * place the spec commands learn it. Throws InputError on invalid config.
 */
export async function resolveSpecDir(cwd: string): Promise<{
  root: string;
  specDirs: string[];
  listed: boolean;
  options: { missingDependency: 'done' | 'error'; maxSize: number };
}> {
  const { config, root } = await loadConfig({ cwd });
  return {
    root,
    specDirs: specDirList(config.spec_dir).map((dir) => resolve(root, dir)),
    listed: typeof config.spec_dir !== 'string',
    options: {
      missingDependency: config.specs.missing_dependency,
      maxSize: config.specs.max_size,
    },
  };
}
