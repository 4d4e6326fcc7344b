import { lstat, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { git } from '../../git/exec.js';
import { freeDir } from './planted-config.js';

/**
 * Nested git repositories the agent makes in the run's work tree (`git init sub`, a
 * clone, a `.git` file pointing anywhere). Their `.git` carries its own config, and git
 * obeys it whenever it looks into the nested work tree: mmm's `git add -A` runs
 * `git status` in every gitlink it finds in the index, under that config — so a clean
 * filter or any other program configured there would run as mmm's own git, outside the
 * sandbox. (A nested repository without a commit also makes `git add -A` fail.)
 *
 * After every attempt, before mmm's git touches the tree, the `.git` of each nested
 * repository that `git add -A` would see (an untracked one, or a gitlink in the index) is
 * moved to the run directory (`planted/<n>/nested/`), and the attempt fails. The files of
 * the nested work tree stay, as plain files. Submodules git itself manages (a `.git` file
 * pointing into the repository's `modules/`) are left alone.
 */

/** Paths (relative, `/`-separated) where `git add -A` would meet a nested repository. */
async function candidates(workDir: string): Promise<string[]> {
  const staged = await git(workDir, ['ls-files', '-s', '-z']);
  const gitlinks = staged.stdout
    .split('\0')
    .filter((line) => line.startsWith('160000 '))
    .map((line) => line.slice(line.indexOf('\t') + 1));
  const untracked = await git(workDir, ['ls-files', '-o', '--exclude-standard', '-z']);
  const dirs = untracked.stdout
    .split('\0')
    .filter((p) => p.endsWith('/'))
    .map((p) => p.slice(0, -1));
  return [...new Set([...gitlinks, ...dirs])];
}

/** True for a `.git` file git wrote for a submodule: `gitdir:` into `<common>/modules/`. */
async function isManagedSubmodule(dotGit: string, commonDir: string): Promise<boolean> {
  try {
    const match = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    if (!match?.[1]) return false;
    const target = resolve(dirname(dotGit), match[1].trim());
    return target.startsWith(join(commonDir, 'modules') + sep);
  } catch {
    return false;
  }
}

/**
 * Moves the `.git` of every nested repository in `workDir` into `quarantine`; returns one
 * message per repository (empty when there is none).
 */
export async function removeNestedRepos(
  workDir: string,
  commonDir: string,
  quarantine: string,
): Promise<string[]> {
  const messages: string[] = [];
  let target: string | undefined;
  let found: string[];
  try {
    found = await candidates(workDir);
  } catch {
    return []; // Not the run's work tree (deleted, unlinked): the identity repair handles it.
  }
  for (const rel of found) {
    const dotGit = join(workDir, rel, '.git');
    let isFile: boolean;
    try {
      const st = await lstat(dotGit);
      if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) continue;
      isFile = st.isFile();
    } catch {
      continue; // Not (or no longer) a repository: plain files for git.
    }
    if (isFile && (await isManagedSubmodule(dotGit, commonDir))) continue;
    target ??= await freeDir(quarantine);
    const to = join(target, 'nested', rel, '.git');
    await mkdir(dirname(to), { recursive: true });
    await rename(dotGit, to);
    messages.push(
      `a nested git repository was made at ${rel} (git would obey its configuration inside ` +
        `mmm's own git commands); its .git was moved to ${to} and the files stay as plain files`,
    );
  }
  return messages;
}
