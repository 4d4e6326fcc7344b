import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The path guard: every file access of the agent's tools goes through `guardPath`.
 * A path (absolute, or relative to the project root) is resolved to a real path —
 * the realpath of the nearest existing ancestor plus the parts still to be created —
 * and refused when it leaves the work tree, goes into `.git`, into `.mmm/` at the top of
 * the tree (mmm's configuration and data, in every mode), into a protected path (mmm's
 * run data elsewhere) or through a symbolic link that points outside the tree.
 */
export interface GuardedPath {
  ok: true;
  /** Absolute real path to read or write. */
  path: string;
  /** Path relative to the root, with `/` separators ('.' for the root itself). */
  rel: string;
  /** Whether something exists at the path. */
  exists: boolean;
}

export interface RefusedPath {
  ok: false;
  message: string;
}

export type PathCheck = GuardedPath | RefusedPath;

export interface GuardScope {
  root: string;
  protectedPaths: readonly string[];
}

/** True when `child` is `parent` or inside it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function toPosix(rel: string): string {
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * Realpath of `abs`, resolving the nearest existing ancestor for paths that do not
 * exist yet. Throws a message string for a dangling symbolic link.
 */
export function realPathOf(abs: string): { real: string; exists: boolean } {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    let existsHere = true;
    try {
      lstatSync(current);
    } catch {
      existsHere = false;
    }
    if (existsHere) {
      let real: string;
      try {
        real = realpathSync(current);
      } catch {
        throw new Error(`dangling symbolic link`);
      }
      return {
        real: missing.length ? join(real, ...missing.reverse()) : real,
        exists: !missing.length,
      };
    }
    const parent = dirname(current);
    if (parent === current) return { real: abs, exists: false };
    missing.push(basename(current));
    current = parent;
  }
}

const realRoots = new Map<string, string>();

function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = realpathSync(root);
    } catch {
      real = resolve(root);
    }
    realRoots.set(root, real);
  }
  return real;
}

function hasGitSegment(rel: string): boolean {
  return rel.split(/[\\/]/).some((part) => part === '.git');
}

/** mmm's own directory at the top of the tree (config, run data, caches, worktrees). */
export const MMM_DIR = '.mmm';

function inMmmDir(rel: string): boolean {
  return rel.split(/[\\/]/)[0] === MMM_DIR;
}

export function guardPath(input: string, scope: GuardScope): PathCheck {
  const shown = JSON.stringify(input);
  const root = realRoot(scope.root);
  if (input.trim() === '') {
    return {
      ok: false,
      message: `path is empty; give a file path relative to ${root} or absolute inside it`,
    };
  }
  if (input.includes('\0')) {
    return { ok: false, message: `path ${shown} contains a NUL byte; give a plain file path` };
  }
  const lexical = isAbsolute(input) ? resolve(input) : resolve(root, input);
  let real: string;
  let exists: boolean;
  try {
    ({ real, exists } = realPathOf(lexical));
  } catch {
    return {
      ok: false,
      message: `path ${shown} is a symbolic link whose target does not exist; edit a regular file instead`,
    };
  }
  if (!isInside(root, real)) {
    const viaLink = isInside(root, lexical) || isInside(scope.root, lexical);
    return {
      ok: false,
      message: viaLink
        ? `path ${shown} resolves through a symbolic link to ${real}, outside the project root ${root}; use a path inside the project`
        : `path ${shown} is outside the project root ${root}; use a path inside it (relative paths are resolved from the root)`,
    };
  }
  const rel = toPosix(relative(root, real)) || '.';
  if (hasGitSegment(rel) || hasGitSegment(toPosix(relative(root, lexical)))) {
    return {
      ok: false,
      message: `path ${shown} is inside .git; the repository's internals are managed by mmm (it commits for you when checks pass). Use git commands like \`git status\` or \`git diff\` to inspect state`,
    };
  }
  if (inMmmDir(rel) || inMmmDir(toPosix(relative(root, lexical)))) {
    // In every mode: the project's `.mmm/config.toml` decides how the work is checked, so
    // the agent may not edit it (nor anything else of mmm's).
    return {
      ok: false,
      message: `path ${shown} is inside ${MMM_DIR}/, mmm's own directory (its configuration, caches and run data), which is off limits to the agent; work on the project's files instead (mmm's settings are the user's to change)`,
    };
  }
  for (const prot of scope.protectedPaths) {
    let protReal: string;
    try {
      protReal = realPathOf(resolve(root, prot)).real;
    } catch {
      protReal = resolve(root, prot);
    }
    // A protected path that contains the whole project (a misconfiguration) would refuse
    // every path; only paths strictly inside or beside the root are enforced.
    if (isInside(protReal, root)) continue;
    if (isInside(protReal, real)) {
      const protRel = isInside(root, protReal)
        ? toPosix(relative(root, protReal)) || '.'
        : protReal;
      return {
        ok: false,
        message: `path ${shown} is inside ${protRel}, which holds mmm's own run data and is off limits; work on the project's files instead`,
      };
    }
  }
  return { ok: true, path: real, rel, exists };
}
