import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ignore } from 'ignore';
import { gitBaseEnv, gitProgram } from '../git/exec.js';

/**
 * Lists the project's files, relative to the root with forward slashes, sorted.
 * Inside git: `git ls-files -co --exclude-standard` (tracked plus untracked-not-ignored).
 * Outside git: a directory walk honoring every .gitignore on the way down.
 * mmm's own `.mmm/` directory is never listed.
 */
export interface FileListing {
  files: string[];
  /** True when the list came from git. */
  git: boolean;
  warnings: string[];
}

const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.mmm', 'node_modules', '.venv', '__pycache__']);

export function runGit(
  root: string,
  args: string[],
): Promise<{ ok: true; stdout: string } | { ok: false; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      gitProgram(),
      args,
      { cwd: root, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: gitEnv() },
      (error, stdout, stderr) => {
        if (error) resolve({ ok: false, stderr: String(stderr || error.message) });
        else resolve({ ok: true, stdout });
      },
    );
  });
}

function gitEnv(): NodeJS.ProcessEnv {
  // Never prompt, never page, never take locks for a read-only status refresh.
  // mmm's git (see git/exec.ts): found once on PATH, run without secrets.
  return { ...gitBaseEnv(), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
}

export async function listFiles(root: string): Promise<FileListing> {
  const fromGit = await runGit(root, ['ls-files', '-co', '--exclude-standard', '-z']);
  if (fromGit.ok) {
    const seen = new Set<string>();
    for (const f of fromGit.stdout.split('\0')) {
      if (f && !f.startsWith('.mmm/')) seen.add(f);
    }
    return { files: [...seen].sort(), git: true, warnings: [] };
  }
  const warnings: string[] = [];
  const reason = fromGit.stderr.trim().split('\n')[0] ?? '';
  if (!/not a git repository/i.test(reason) && !/ENOENT|spawn git/.test(reason)) {
    warnings.push(`git ls-files failed (${reason}): listing files with .gitignore rules instead`);
  }
  const files: string[] = [];
  await walk(root, '', [], files, warnings);
  files.sort();
  return { files, git: false, warnings };
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

async function walk(
  root: string,
  rel: string,
  scopes: IgnoreScope[],
  out: string[],
  warnings: string[],
): Promise<void> {
  const dir = rel ? join(root, rel) : root;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    warnings.push(`skipped unreadable directory ${rel || '.'}: ${errorCode(error)}`);
    return;
  }
  let here = scopes;
  if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
    try {
      const text = await readFile(join(dir, '.gitignore'), 'utf8');
      // Loaded only outside git: inside, git applies the ignore rules itself.
      const { default: ignore } = await import('ignore');
      here = [...scopes, { base: rel, rules: ignore().add(text) }];
    } catch (error) {
      warnings.push(`could not read ${rel ? `${rel}/` : ''}.gitignore: ${errorCode(error)}`);
    }
  }
  const subdirs: string[] = [];
  for (const entry of entries) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(here, `${path}/`)) continue;
      subdirs.push(path);
    } else if (entry.isFile() && !isIgnored(here, path)) {
      out.push(path);
    }
  }
  for (const sub of subdirs) await walk(root, sub, here, out, warnings);
}

function isIgnored(scopes: IgnoreScope[], path: string): boolean {
  for (const scope of scopes) {
    const relative = scope.base ? path.slice(scope.base.length + 1) : path;
    if (relative && scope.rules.ignores(relative)) return true;
  }
  return false;
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return error instanceof Error ? error.message : String(error);
}
