import envPaths from 'env-paths';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** `$XDG_CONFIG_HOME/mmm/config.toml` (platform default when unset). */
export function globalConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform !== 'darwin' && process.platform !== 'win32' && env.XDG_CONFIG_HOME) {
    return join(env.XDG_CONFIG_HOME, 'mmm', 'config.toml');
  }
  return join(envPaths('mmm', { suffix: '' }).config, 'config.toml');
}

/** `$XDG_DATA_HOME/mmm` (platform default when unset). */
export function globalDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform !== 'darwin' && process.platform !== 'win32' && env.XDG_DATA_HOME) {
    return join(env.XDG_DATA_HOME, 'mmm');
  }
  return envPaths('mmm', { suffix: '' }).data;
}

/**
 * The project root for `cwd`: the nearest ancestor holding `.mmm/config.toml` or `.git`,
 * else `cwd` itself.
 */
export function findProjectRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.mmm', 'config.toml')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

export function projectConfigPath(root: string): string {
  return join(root, '.mmm', 'config.toml');
}
