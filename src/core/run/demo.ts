import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { InputError } from '../errors.js';

/** The sample project and the recorded transcript that `mmm demo` replays, shipped with mmm. */
export const DEMO_TEMPLATE = fileURLToPath(new URL('../../../templates/demo/', import.meta.url));
export const DEMO_TRANSCRIPT = fileURLToPath(
  new URL('../../../templates/demo.transcript.jsonl', import.meta.url),
);

const GIT_IDENTITY = ['-c', 'user.name=mmm demo', '-c', 'user.email=demo@mmm.invalid'];

export interface DemoProject {
  /** The demo repository (a fresh git repository with one commit). */
  dir: string;
  transcript: string;
}

/**
 * Copies the sample project to `dir` (default: a new temporary directory), makes it a git
 * repository with one commit on `main`, and returns where it is. Refuses a non-empty `dir`.
 */
export async function prepareDemo(
  options: { dir?: string; needTranscript?: boolean } = {},
): Promise<DemoProject> {
  const missing = [
    DEMO_TEMPLATE,
    ...(options.needTranscript === false ? [] : [DEMO_TRANSCRIPT]),
  ].find((p) => !existsSync(p));
  if (missing) {
    throw new InputError(`the demo files are missing from this installation (${missing})`, {
      hint: 'reinstall mmm; the templates/ folder ships with it',
    });
  }
  let dir: string;
  if (options.dir) {
    dir = resolve(options.dir);
    if (existsSync(dir)) {
      throw new InputError(`${dir} already exists`, {
        hint: 'give --dir a path that does not exist yet, or leave it out for a temporary directory',
      });
    }
  } else {
    dir = await mkdtemp(join(tmpdir(), 'mmm-demo-'));
    await rm(dir, { recursive: true });
  }
  await cp(DEMO_TEMPLATE, dir, { recursive: true });
  const git = (...args: string[]) => execa('git', [...GIT_IDENTITY, ...args], { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '--no-verify', '-m', 'Demo project: a tiny string library');
  return { dir, transcript: DEMO_TRANSCRIPT };
}
