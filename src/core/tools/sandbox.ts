import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { gitBaseEnv, gitProgram } from '../git/exec.js';
import {
  CACHE_ENV,
  CACHE_HOME_ENV,
  HIDDEN_CREDENTIALS,
  HOME_CACHES,
  NODE_MODULES_CACHES,
  RUNTIME_DIRS,
  RUNTIME_SOCKETS,
} from './sandbox-paths.js';

/**
 * The bubblewrap sandbox around the agent's shell commands and the validation commands.
 * Inside, the whole file system is visible read-only; writable are only the work tree,
 * its own git worktree entry (index, logs — not HEAD), the tool caches builds need and
 * what the caller adds (the shell's state directory). /tmp is private, /proc shows only
 * the command's own processes (a new PID namespace: when the command ends, the
 * namespace's init ends and the kernel kills every process left in it, `setsid` and
 * daemonized ones included), and without network when `tools.network = false`.
 *
 * What that stops, whatever the command's spelling: commits, resets, branch moves,
 * pushes that update refs, hooks and config written into the repository (its objects,
 * refs, hooks and config are read-only), writes to the user's checkout, reading another
 * process's environment (mmm's, with the API key), and processes outliving the command.
 */
export interface SandboxOptions {
  /** Absolute path of the bwrap binary (from chooseSandbox). */
  bwrap: string;
  /** The work tree: writable. */
  workDir: string;
  /** The main checkout: read-only (with its .git, unless it is the work tree's own). */
  repoRoot: string;
  network: boolean;
  /** For HOME and the cache locations (CARGO_HOME, GOCACHE, …). */
  env?: NodeJS.ProcessEnv;
}

export interface WrapOptions {
  /** Working directory of the command. */
  cwd: string;
  /** More writable paths for this command (e.g. a state directory). */
  writable?: string[];
  /** A host directory to serve as /tmp (kept across commands); default a fresh tmpfs. */
  tmp?: string;
}

export interface Sandbox {
  /** Program and arguments that run `argv` inside the sandbox. */
  wrap(argv: string[], options: WrapOptions): { file: string; args: string[] };
  /**
   * Where `path`, as the sandboxed command sees it, is on the host: paths under the
   * private /tmp (`tmp`, as passed to wrap) are elsewhere; everything else is itself.
   */
  hostPath(path: string, options: Pick<WrapOptions, 'writable' | 'tmp'>): string;
  /** Writable paths outside the work tree (caches), for docs and diagnostics. */
  readonly writableCaches: readonly string[];
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function isDir(path: string): boolean {
  try {
    return lstatSync(realpathSync(path)).isDirectory();
  } catch {
    return false;
  }
}

function gitCommonDir(repoRoot: string): string {
  try {
    const out = execFileSync(gitProgram(), ['rev-parse', '--git-common-dir'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitBaseEnv(),
    }).trim();
    return real(isAbsolute(out) ? out : join(repoRoot, out));
  } catch {
    return real(join(repoRoot, '.git'));
  }
}

/** Links named node_modules in the work tree (up to 3 levels) that point outside it. */
function linkedNodeModules(workDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules') {
        if (entry.isSymbolicLink() && isDir(path)) {
          const target = real(path);
          if (!isInside(target, workDir)) found.push(target);
        }
      } else if (entry.isDirectory() && depth < 3 && !entry.name.startsWith('.')) {
        walk(path, depth + 1);
      }
    }
  };
  walk(workDir, 1);
  return found;
}

/** The absolute directories on PATH (of the commands' and of mmm's environment), real paths. */
function pathDirs(...envs: NodeJS.ProcessEnv[]): string[] {
  const dirs = envs.flatMap((e) => (e.PATH ?? '').split(delimiter)).filter((d) => isAbsolute(d));
  return [...new Set(dirs.map((d) => real(d)))];
}

/** Whether binding `path` writable would expose something that must stay read-only. */
function unsafeCache(path: string, guarded: string[]): boolean {
  if (path === '/' || path === real(homedir())) return true;
  return guarded.some((g) => isInside(g, path) || isInside(path, g));
}

/**
 * The worktree's own entry `<common>/worktrees/<id>`, when the work tree's `.git` file
 * points at one whose `gitdir` points back. Read at each command from files the sandbox
 * keeps read-only, so an agent that rewrites its `.git` file gains nothing.
 */
function worktreeEntry(workDir: string, commonDir: string): string | undefined {
  try {
    const dotGit = join(workDir, '.git');
    if (!lstatSync(dotGit).isFile()) return undefined;
    const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!match?.[1]) return undefined;
    const entry = real(resolve(workDir, match[1].trim()));
    if (dirname(entry) !== join(commonDir, 'worktrees')) return undefined;
    const back = readFileSync(join(entry, 'gitdir'), 'utf8').trim();
    return real(resolve(entry, back)) === real(dotGit) ? entry : undefined;
  } catch {
    return undefined;
  }
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const env = options.env ?? process.env;
  const workDir = real(options.workDir);
  const repoRoot = real(options.repoRoot);
  const commonDir = gitCommonDir(repoRoot);
  const guarded = [workDir, repoRoot, commonDir];

  const nodeModules = linkedNodeModules(workDir);
  const nodeCaches: string[] = [];
  for (const target of nodeModules) {
    for (const name of NODE_MODULES_CACHES) {
      const dir = join(target, name);
      try {
        mkdirSync(dir, { recursive: true });
        nodeCaches.push(dir);
      } catch {
        // A read-only install: its tools find out as they would outside.
      }
    }
  }

  const home = env.HOME ?? homedir();
  const candidates = [
    ...HOME_CACHES.map((c) => join(home, c)),
    ...CACHE_ENV.map((name) => env[name]).filter((v): v is string => !!v && isAbsolute(v)),
    ...Object.entries(CACHE_HOME_ENV).flatMap(([name, subdirs]) => {
      const dir = env[name];
      return dir && isAbsolute(dir) ? subdirs.map((s) => join(dir, s)) : [];
    }),
  ];
  const onPath = pathDirs(env, process.env);
  const caches: string[] = [];
  for (const c of candidates) {
    if (!isDir(c)) continue;
    const path = real(c);
    if (unsafeCache(path, guarded) || caches.includes(path)) continue;
    // A directory on PATH that does not exist yet inside the cache: the agent could
    // create it and put a `git` there. Such a cache stays read-only.
    if (onPath.some((dir) => isInside(dir, path) && !isDir(dir))) continue;
    caches.push(path);
  }
  // Parents before children, so a nested cache is not hidden by its parent's bind.
  caches.sort((a, b) => a.length - b.length);

  const readOnlyAgain = [repoRoot, commonDir, ...nodeModules].filter(
    (p, i, all) =>
      all.indexOf(p) === i && !all.some((q, j) => j !== i && isInside(p, q) && p !== q),
  );

  // Directories on PATH inside a writable cache are bound read-only again: nothing the
  // agent writes is ever found on PATH by mmm's own processes or yours.
  const pathInCaches = onPath.filter(
    (dir) => isDir(dir) && [...caches, ...nodeCaches].some((c) => isInside(dir, c)),
  );
  const runtimeDirs = [env.XDG_RUNTIME_DIR, process.env.XDG_RUNTIME_DIR, ...RUNTIME_DIRS];
  const hidden = [
    ...HIDDEN_CREDENTIALS.map((c) => join(home, c)),
    ...(env.CLAUDE_CONFIG_DIR && isAbsolute(env.CLAUDE_CONFIG_DIR) ? [env.CLAUDE_CONFIG_DIR] : []),
    ...runtimeDirs.filter((d): d is string => !!d && isAbsolute(d)),
    ...RUNTIME_SOCKETS,
  ]
    .filter((p) => existsSync(p))
    .map((p) => ({ path: real(p), dir: isDir(p) }))
    .filter(
      (h, i, all) =>
        all.findIndex((o) => o.path === h.path) === i &&
        !guarded.some((g) => isInside(g, h.path) || isInside(h.path, g)),
    );
  const bound = [...readOnlyAgain, ...caches, ...nodeCaches, workDir];
  return {
    writableCaches: [...caches, ...nodeCaches],
    hostPath(path, where) {
      if (path !== '/tmp' && !path.startsWith('/tmp/')) return path;
      const entry = worktreeEntry(workDir, commonDir);
      const shown = [...bound, ...(entry ? [entry] : []), ...(where.writable ?? []).map(real)];
      if (shown.some((p) => isInside(path, p))) return path;
      return where.tmp ? join(where.tmp, path.slice('/tmp'.length)) : join('/nonexistent', path);
    },
    wrap(argv, wrap) {
      const args: string[] = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
      if (wrap.tmp) args.push('--bind', real(wrap.tmp), '/tmp');
      else args.push('--tmpfs', '/tmp');
      // Paths under /tmp were hidden by the private /tmp: show them again, read-only.
      for (const p of readOnlyAgain) if (existsSync(p)) args.push('--ro-bind', p, p);
      for (const p of caches) if (existsSync(p)) args.push('--bind', p, p);
      for (const p of nodeCaches) if (existsSync(p)) args.push('--bind', p, p);
      for (const p of pathInCaches) if (existsSync(p)) args.push('--ro-bind', p, p);
      args.push('--bind', workDir, workDir);
      // Working in the checkout itself (--in-place): its .git and .mmm stay read-only.
      for (const p of [commonDir, join(workDir, '.mmm')]) {
        if (isInside(p, workDir) && existsSync(p)) args.push('--ro-bind', p, p);
      }
      const entry = worktreeEntry(workDir, commonDir);
      if (entry) {
        args.push('--bind', entry, entry);
        // HEAD (no detaching, no branch switch) and the links between entry and tree.
        for (const name of ['HEAD', 'gitdir', 'commondir', 'config.worktree']) {
          const file = join(entry, name);
          if (existsSync(file)) args.push('--ro-bind', file, file);
        }
      }
      for (const h of hidden) {
        if (h.dir) args.push('--tmpfs', h.path, '--remount-ro', h.path);
        else args.push('--ro-bind', '/dev/null', h.path);
      }
      for (const p of wrap.writable ?? []) args.push('--bind', real(p), real(p));
      args.push('--unshare-pid', '--die-with-parent');
      if (!options.network) args.push('--unshare-net');
      args.push('--setenv', 'TMPDIR', '/tmp', '--chdir', wrap.cwd, '--', ...argv);
      return { file: options.bwrap, args };
    },
  };
}
