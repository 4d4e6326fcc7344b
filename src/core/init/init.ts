import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeProject } from '../analyze/index.js';
import { runGit } from '../analyze/files.js';
import type { Analysis } from '../analyze/types.js';
import type { VerifyOptions } from '../analyze/verify.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { registerProject } from '../projects/registry.js';
import { renderProjectConfig } from './config-template.js';

/**
 * `mmm init`: scaffold .mmm/config.toml, specs/ with one example spec and the
 * .gitignore entries for mmm's run data, then register the project. Idempotent:
 * existing files are kept unless `force`; the .gitignore block is appended once.
 */
export const EXAMPLE_SPEC_TEMPLATE = fileURLToPath(
  new URL('../../../templates/init/example-spec.md', import.meta.url),
);
export const EXAMPLE_SPEC_FILE = '01-contributing-guide.md';
export const GITIGNORE_LINES = ['.mmm/*', '!.mmm/config.toml'];

export type InitAction = 'created' | 'overwritten' | 'updated' | 'kept';

export interface InitStep {
  /** Relative to the project root. */
  path: string;
  action: InitAction;
  detail?: string;
}

export interface InitResult {
  root: string;
  steps: InitStep[];
  /** True when nothing on disk changed. */
  unchanged: boolean;
  analysis: Analysis;
  /** Set when the global registry could not be updated (init still succeeded). */
  registryWarning?: string;
  /** Set when --verify could not run (no git, no commits); the config was still written. */
  verifyWarning?: string;
}

export async function projectRoot(cwd: string): Promise<string> {
  if (!existsSync(cwd)) throw new InputError(`${cwd} does not exist`);
  const top = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  return top.ok ? top.stdout.trim() : cwd;
}

async function writeOnce(
  root: string,
  rel: string,
  content: string,
  force: boolean,
): Promise<InitStep> {
  const file = join(root, rel);
  if (existsSync(file)) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (!force || current === content)
      return {
        path: rel,
        action: 'kept',
        detail: force ? 'identical' : 'exists (use --force to overwrite)',
      };
    await writeFile(file, content);
    return { path: rel, action: 'overwritten' };
  }
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return { path: rel, action: 'created' };
}

async function ensureGitignore(root: string): Promise<InitStep> {
  const file = join(root, '.gitignore');
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  const present = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !present.has(l));
  const wholeDir = ['.mmm', '.mmm/', '/.mmm', '/.mmm/'].find((l) => present.has(l));
  if (wholeDir) {
    // git cannot re-include a file inside an excluded directory: say so, change nothing.
    return {
      path: '.gitignore',
      action: 'kept',
      detail: `"${wholeDir}" ignores all of .mmm/ — replace it with ".mmm/*" and "!.mmm/config.toml" to commit the config`,
    };
  }
  if (missing.length === 0)
    return { path: '.gitignore', action: 'kept', detail: 'already ignores mmm run data' };
  const sep = current && !current.endsWith('\n') ? '\n' : '';
  const block = `${sep}${current ? '\n' : ''}# mmm run data (keep the project config)\n${missing.join('\n')}\n`;
  await writeFile(file, (current ?? '') + block);
  return {
    path: '.gitignore',
    action: current === null ? 'created' : 'updated',
    detail: `added ${missing.join(', ')}`,
  };
}

/**
 * Where the example spec goes: the first folder of `spec_dir` as the configuration now
 * says (project file, global file, MMM_SPEC_DIR), where `mmm specs` will look for it;
 * `specs` when there is no setting or the configuration does not load (its own command
 * reports that).
 */
async function exampleSpecFolder(root: string): Promise<string> {
  try {
    const { config } = await loadConfig({ cwd: root });
    const dir = Array.isArray(config.spec_dir) ? config.spec_dir[0] : config.spec_dir;
    return dir || 'specs';
  } catch {
    return 'specs';
  }
}

export interface InitOptions {
  force?: boolean;
  /** Run each detected command first (`mmm analyze --verify`); one that cannot run is commented out. */
  verify?: { timeoutSec: number; onProgress?: VerifyOptions['onProgress'] };
}

export async function initProject(cwd: string, options: InitOptions = {}): Promise<InitResult> {
  const root = await projectRoot(cwd);
  const force = options.force === true;
  let analysis = await analyzeProject(root);
  let verifyWarning: string | undefined;
  if (options.verify) {
    const { verifyCommands } = await import('../analyze/verify.js');
    try {
      analysis = await verifyCommands(analysis, options.verify);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      verifyWarning = `commands not verified: ${error.message}`;
    }
  }
  const template = await readFile(EXAMPLE_SPEC_TEMPLATE, 'utf8');
  const steps: InitStep[] = [];
  steps.push(await writeOnce(root, '.mmm/config.toml', renderProjectConfig(analysis), force));
  const folder = await exampleSpecFolder(root);
  const specDir = join(root, folder);
  if (existsSync(specDir) && !existsSync(join(specDir, EXAMPLE_SPEC_FILE)) && !force) {
    steps.push({
      path: `${folder}/`,
      action: 'kept',
      detail: 'exists; example spec not added (use --force)',
    });
  } else {
    steps.push(await writeOnce(root, `${folder}/${EXAMPLE_SPEC_FILE}`, template, force));
  }
  steps.push(await ensureGitignore(root));
  let registryWarning: string | undefined;
  try {
    await registerProject(root);
  } catch (error) {
    registryWarning = `project not registered in the global registry: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    root,
    steps,
    unchanged: steps.every((s) => s.action === 'kept'),
    analysis,
    registryWarning,
    ...(verifyWarning ? { verifyWarning } : {}),
  };
}
