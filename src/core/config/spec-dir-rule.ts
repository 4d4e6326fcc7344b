import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

/**
 * `spec_dir` must name a folder inside the repository: mmm reads the specs there and
 * rewrites them (status: done) in the run's work tree, so a spec_dir outside the
 * repository would make mmm rewrite files it does not own. Accepted: a relative path that
 * stays inside after normalization, or an absolute path inside the repository (made
 * relative); refused: `..` escapes, absolute paths elsewhere, a path through a symbolic
 * link that resolves outside, and `.git` or `.mmm` (mmm's own directory, off limits to the
 * agent). The result is always relative to the root, with `/` separators.
 */
export type SpecDirCheck = { ok: true; rel: string } | { ok: false; message: string };

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Real path of `abs`, following links on the part that exists; undefined for a dangling link. */
function resolveExisting(abs: string): string | undefined {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    let exists = true;
    try {
      lstatSync(current);
    } catch {
      exists = false;
    }
    if (exists) {
      try {
        return join(realpathSync(current), ...missing.reverse());
      } catch {
        return undefined;
      }
    }
    const parent = dirname(current);
    if (parent === current) return abs;
    missing.push(basename(current));
    current = parent;
  }
}

export function checkSpecDir(root: string, value: string, inList = false): SpecDirCheck {
  const shown = JSON.stringify(value);
  const fix = inList
    ? 'list only folders inside the repository, relative to its root (e.g. ["specs", "docs/specs"])'
    : 'set spec_dir to a folder inside the repository, relative to its root (e.g. "specs")';
  const realRoot = real(root);
  let rel: string;
  if (isAbsolute(value)) {
    const abs = normalize(value);
    if (inside(root, abs)) rel = relative(root, abs);
    else if (inside(realRoot, abs)) rel = relative(realRoot, abs);
    else {
      return { ok: false, message: `spec_dir ${shown} is outside the repository ${root}; ${fix}` };
    }
  } else {
    rel = normalize(value);
    if (!inside(root, resolve(root, rel))) {
      return {
        ok: false,
        message: `spec_dir ${shown} leaves the repository ${root} (it resolves to ${resolve(root, rel)}); ${fix}`,
      };
    }
    rel = relative(root, resolve(root, rel));
  }
  const parts = rel.split(sep).filter(Boolean);
  if (parts[0] === '.mmm' || parts.includes('.git')) {
    return {
      ok: false,
      message: `spec_dir ${shown} is inside ${parts[0] === '.mmm' ? '.mmm' : '.git'}, which holds mmm's or git's own files; ${fix}`,
    };
  }
  const resolved = resolveExisting(join(realRoot, rel));
  if (resolved === undefined || !inside(realRoot, resolved)) {
    return {
      ok: false,
      message: `spec_dir ${shown} goes through a symbolic link ${resolved === undefined ? 'that points nowhere' : `to ${resolved}`}, outside the repository ${realRoot}; ${fix}`,
    };
  }
  return { ok: true, rel: parts.join('/') || '.' };
}

/**
 * `spec_dir` as a string or a list: each folder checked as above, and a list may not name
 * a folder twice (after normalization: "specs" and "./specs/" are the same). Returns the
 * value in the same form (string or list), normalized, or every problem found.
 */
export function checkSpecDirs(
  root: string,
  value: string | readonly string[],
): { ok: true; value: string | string[] } | { ok: false; messages: string[] } {
  if (typeof value === 'string') {
    const one = checkSpecDir(root, value);
    return one.ok ? { ok: true, value: one.rel } : { ok: false, messages: [one.message] };
  }
  const messages: string[] = [];
  const rels: string[] = [];
  const firstOf = new Map<string, string>();
  for (const entry of value) {
    const one = checkSpecDir(root, entry, true);
    if (!one.ok) {
      messages.push(one.message);
      continue;
    }
    const earlier = firstOf.get(one.rel);
    if (earlier !== undefined) {
      const same =
        earlier === entry ? '' : ` (as ${JSON.stringify(earlier)} and ${JSON.stringify(entry)})`;
      messages.push(
        `spec_dir lists the folder ${JSON.stringify(one.rel)} twice${same}; list each folder once`,
      );
      continue;
    }
    firstOf.set(one.rel, entry);
    rels.push(one.rel);
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, value: rels };
}
