import { realpath, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CheckResult } from '../run/events.js';

/** Files larger than this are read only up to it for `file_contains`. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

type Located = { ok: true; path: string } | { ok: false; summary: string };

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a spec path against the repository root, refusing anything outside it,
 * including through a symbolic link.
 */
async function locate(root: string, path: string): Promise<Located> {
  if (isAbsolute(path))
    return { ok: false, summary: 'absolute path refused: use a path relative to the repository' };
  const realRoot = await realpath(root);
  const target = resolve(realRoot, path);
  if (!inside(realRoot, target))
    return { ok: false, summary: 'path outside the repository refused' };
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    return { ok: false, summary: 'missing' };
  }
  if (!inside(realRoot, real))
    return { ok: false, summary: 'path leads outside the repository (symbolic link) — refused' };
  return { ok: true, path: real };
}

/** `file_exists: <path>` — a file or directory at that path inside the repository. */
export async function checkFileExists(root: string, path: string): Promise<CheckResult> {
  const started = Date.now();
  const name = `file_exists: ${path}`;
  const located = await locate(root, path);
  if (!located.ok)
    return { name, passed: false, summary: located.summary, durationMs: Date.now() - started };
  const info = await stat(located.path);
  return {
    name,
    passed: true,
    summary: info.isDirectory() ? 'exists (directory)' : 'exists',
    durationMs: Date.now() - started,
  };
}

/**
 * `file_contains: {path, pattern}` — the regular expression (JavaScript syntax, multiline:
 * `^` and `$` match at line ends) matches somewhere in the file.
 */
export async function checkFileContains(
  root: string,
  path: string,
  pattern: string,
): Promise<CheckResult> {
  const started = Date.now();
  const name = `file_contains: ${path} ~ /${pattern}/`;
  const done = (passed: boolean, summary: string, output?: string): CheckResult => ({
    name,
    passed,
    summary,
    ...(output ? { output } : {}),
    durationMs: Date.now() - started,
  });
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'm');
  } catch (error) {
    return done(
      false,
      `invalid pattern: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const located = await locate(root, path);
  if (!located.ok) return done(false, located.summary);
  const info = await stat(located.path);
  if (info.isDirectory()) return done(false, 'is a directory, not a file');
  const bytes = await readFile(located.path);
  const text = bytes.subarray(0, MAX_READ_BYTES).toString('utf8');
  const match = re.exec(text);
  if (!match) return done(false, `no match for /${pattern}/ in ${path}`);
  const line = text.slice(0, match.index).split('\n').length;
  return done(true, `matches at line ${line}`);
}
