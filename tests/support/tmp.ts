import { mkdtempSync, rmSync, mkdirSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';

/** A file tree: path → content (string or Buffer). Directories are implied. */
export type FileTree = Record<string, string | Buffer>;

const created: string[] = [];

/** A real temp directory, removed after the current test. */
export function tempDir(prefix = 'mmm-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

afterEach(() => {
  while (created.length) {
    const dir = created.pop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

export function writeTree(root: string, tree: FileTree): string {
  for (const [rel, content] of Object.entries(tree)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/**
 * A real git repository with the tree committed (unless `commit: false`).
 * Returns its path.
 */
export function gitRepo(
  tree: FileTree = {},
  options: { commit?: boolean; branch?: string } = {},
): string {
  const dir = tempDir('mmm-repo-');
  git(dir, 'init', '-q', '-b', options.branch ?? 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeTree(dir, tree);
  if (options.commit !== false && Object.keys(tree).length > 0) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  return dir;
}
