import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { findGitTop } from './cache.js';
import { errorCode } from './files.js';
import type { DetectorContext } from './types.js';

/** Manifests bigger than this are not parsed (a real one never is). */
const MANIFEST_LIMIT = 4 * 1024 * 1024;

/**
 * The read-only view detectors get of the project: fast lookups over the file list
 * and manifest readers that turn broken files into warnings naming file, line and fix.
 */
export function detectorContext(
  root: string,
  files: readonly string[],
  warnings: string[],
  testFiles: ReadonlyMap<string, number> = new Map(),
): DetectorContext {
  const set = new Set(files);
  let byName: Map<string, string[]> | undefined;
  let dirSet: Set<string> | undefined;
  const texts = new Map<string, Promise<string | null>>();
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };

  const readText = (path: string): Promise<string | null> => {
    if (!set.has(path)) return Promise.resolve(null);
    let p = texts.get(path);
    if (!p) {
      p = readFile(join(root, path)).then(
        // A UTF-8 byte order mark is accepted by npm, pip and cargo alike: drop it.
        (buf) => (buf.length > MANIFEST_LIMIT ? null : buf.toString('utf8').replace(/^\uFEFF/, '')),
        (error: unknown) => {
          const code = errorCode(error);
          if (code !== 'ENOENT' && code !== 'EISDIR') warn(`could not read ${path}: ${code}`);
          return null;
        },
      );
      texts.set(path, p);
    }
    return p;
  };

  return {
    root,
    files,
    has: (path) => set.has(path),
    named(name) {
      if (!byName) {
        byName = new Map();
        for (const f of files) {
          const base = f.slice(f.lastIndexOf('/') + 1);
          const list = byName.get(base);
          if (list) list.push(f);
          else byName.set(base, [f]);
        }
      }
      return [...(byName.get(name) ?? [])];
    },
    dirs() {
      if (!dirSet) {
        dirSet = new Set();
        for (const f of files) {
          const i = f.lastIndexOf('/');
          if (i > 0) dirSet.add(f.slice(0, i));
        }
      }
      return dirSet;
    },
    readText,
    async readJson(path) {
      const text = await readText(path);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        const message = (error as Error).message;
        const pos = /at position (\d+)/.exec(message);
        const where = pos?.[1] ? `:${lineCol(text, Number(pos[1]))}` : '';
        warn(
          `${path}${where}: invalid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}); fix the file — it was ignored`,
        );
        return undefined;
      }
    },
    async readToml(path) {
      const text = await readText(path);
      if (text === null) return undefined;
      const { parse: parseToml } = await import('smol-toml');
      try {
        return parseToml(text) as Record<string, unknown>;
      } catch (error) {
        const e = error as Error & { line?: number; column?: number };
        const where = e.line ? `:${e.line}:${e.column ?? 1}` : '';
        const reason =
          e.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'syntax error';
        warn(`${path}${where}: invalid TOML (${reason}); fix the file — it was ignored`);
        return undefined;
      }
    },
    warn,
    testFiles,
    upward(name) {
      const top = findGitTop(root);
      if (!top || top === root) return null;
      let dir = dirname(root);
      for (;;) {
        if (existsSync(join(dir, name))) return relative(root, join(dir, name));
        if (dir === top || dirname(dir) === dir) return null;
        dir = dirname(dir);
      }
    },
  };
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `${line}:${offset - last}`;
}
