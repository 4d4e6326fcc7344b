import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';

/**
 * Where the specs of the project around `cwd` live: the project root and the spec
 * directory (absolute), from `spec_dir` in the merged configuration (default "specs").
 * The single place the spec commands learn it. Throws InputError on invalid config.
 */
export async function resolveSpecDir(cwd: string): Promise<{
  root: string;
  specDir: string;
  options: { missingDependency: 'done' | 'error'; maxSize: number };
}> {
  const { config, root } = await loadConfig({ cwd });
  return {
    root,
    specDir: resolve(root, config.spec_dir),
    options: {
      missingDependency: config.specs.missing_dependency,
      maxSize: config.specs.max_size,
    },
  };
}
