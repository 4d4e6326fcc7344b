import { relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import { discoverSpecs, layoutOf, type SpecSource } from './discover.js';
import { parseFolder } from './folder.js';
import { buildGraph, resolveDependencies, type MissingDependency } from './graph.js';
import { formatProblem, type Spec, type SpecLayout, type SpecProblem } from './model.js';
import { idFromFileName, numberFromFileName, parseSpec, type ParsedSpec } from './parse.js';
import { parseTasksJson } from './tasks-json.js';
import { readRegularBytes, formatSize } from '../tools/regular-file.js';

export interface LoadedSpecs {
  specs: Spec[];
  /** Errors and warnings from every file and from the dependency graph, sorted. */
  problems: SpecProblem[];
  /** Each place specs were read from (repository-relative) and how they are written. */
  layouts: Array<{ path: string; layouts: Partial<Record<SpecLayout, number>> }>;
}

export interface LoadOptions {
  /** A dependency on a spec number with no file: done (a warning) or an error. */
  missingDependency?: MissingDependency;
  /** Bytes over which a spec is warned about and capped for the model (specs.max_size). */
  maxSize?: number;
}

/** Repository-relative path with forward slashes. */
export function repoRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

/** Spec files larger than this are refused (a spec is a page of markdown, not a data set). */
export const SPEC_MAX_BYTES = 1_000_000;

/**
 * Every file specs are read from (flat spec files, feature-folder files, tasks.json), as
 * absolute paths, sorted — those that are not regular files included (loadSpecs reports them), so a
 * directory holding only a link is not taken for an empty one.
 */
export async function listSpecFiles(
  root: string,
  specDir: string | readonly string[],
): Promise<string[]> {
  const { sources } = await discoverSpecs(root, dirList(specDir), (a) => repoRelative(root, a));
  return sources
    .flatMap((s) => (s.kind === 'folder' ? [...s.files, ...s.special] : [s.path]))
    .sort();
}

function dirList(specDir: string | readonly string[]): string[] {
  return typeof specDir === 'string' ? [specDir] : [...specDir];
}

/**
 * A spec file's bytes, or the problem that keeps it from being read: not a regular file
 * (a FIFO would block the read for good; a symbolic link may point anywhere, and the
 * write-back refuses it), or too large.
 */
async function readSpecFile(absolute: string, file: string): Promise<Buffer | SpecProblem> {
  const problem = (message: string): SpecProblem => ({
    file,
    line: 1,
    column: 1,
    message,
    severity: 'error',
  });
  try {
    const read = await readRegularBytes(absolute, SPEC_MAX_BYTES);
    if (read.ok) return read.bytes;
    switch (read.reason) {
      case 'kind':
        return problem(
          `is a ${read.kind}, not a regular file; spec files must be regular files (mmm reads them and marks them done): replace it with the file itself`,
        );
      case 'size':
        return problem(
          `is ${formatSize(read.size)}; spec files are limited to ${formatSize(SPEC_MAX_BYTES)}`,
        );
      case 'grew':
        return problem('changed while it was being read; try again');
    }
  } catch (error) {
    return problem(`cannot read file: ${(error as Error).message}`);
  }
}

function compareProblems(a: SpecProblem, b: SpecProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/** Parse one source into specs (a tasks.json gives several). */
async function parseSource(
  root: string,
  source: SpecSource,
  options: LoadOptions,
): Promise<ParsedSpec[]> {
  const rel = (a: string) => repoRelative(root, a);
  switch (source.kind) {
    case 'special':
    case 'file': {
      const file = rel(source.path);
      const bytes = await readSpecFile(source.path, file);
      return [Buffer.isBuffer(bytes) ? parseSpec(file, bytes, options) : { problems: [bytes] }];
    }
    case 'tasks-json': {
      const file = rel(source.path);
      const bytes = await readSpecFile(source.path, file);
      return Buffer.isBuffer(bytes) ? parseTasksJson(file, bytes) : [{ problems: [bytes] }];
    }
    case 'folder': {
      const read = await Promise.all(
        source.files.map(async (path) => ({
          file: rel(path),
          bytes: await readSpecFile(path, rel(path)),
        })),
      );
      const problems = read.flatMap((r) => (Buffer.isBuffer(r.bytes) ? [] : [r.bytes]));
      const files = read.flatMap((r) =>
        Buffer.isBuffer(r.bytes) ? [{ file: r.file, bytes: r.bytes }] : [],
      );
      const parsed = parseFolder(rel(source.dir), files, options);
      const special = await Promise.all(
        source.special.map(async (path) => readSpecFile(path, rel(path))),
      );
      const all = [
        ...problems,
        ...special.filter((p): p is SpecProblem => !Buffer.isBuffer(p)),
        ...parsed.problems,
      ];
      const failed = all.some((p) => p.severity === 'error');
      const spec = parsed.spec ?? parsed.partial;
      return [
        failed
          ? { ...(spec ? { partial: spec } : {}), problems: all }
          : { ...(parsed.spec ? { spec: parsed.spec } : {}), problems: all },
      ];
    }
  }
}

/**
 * Parse every spec in `specDir` (relative to `root`, or absolute; several directories
 * allowed), in `.kiro/specs/` and in `.taskmaster/tasks/tasks.json`, and check the graph
 * — field and graph problems of every file in one pass. Never throws for spec content;
 * throws InputError when no spec directory exists or one is unreadable. Problems include
 * warnings. A spec-named entry that is not a regular file (FIFO, socket, device, symbolic
 * link) is an error naming it, and is never opened.
 */
export async function loadSpecs(
  root: string,
  specDir: string | readonly string[],
  options: LoadOptions = {},
): Promise<LoadedSpecs> {
  const found = await discoverSpecs(root, dirList(specDir), (a) => repoRelative(root, a));
  const perSource = await Promise.all(found.sources.map((s) => parseSource(root, s, options)));
  const parsed = perSource.flat();
  const problems = parsed.flatMap((p) => p.problems);
  const specs = resolveDependencies(parsed.flatMap((p) => (p.spec ? [p.spec] : [])));
  // Files that could not be read at all still exist: depending on them is not an unknown
  // dependency. Files read with errors take part in the graph check with what was read.
  const partial = parsed.flatMap((p) => (p.partial ? [p.partial] : []));
  const otherIds = found.sources.flatMap((source, i) => {
    const results = perSource[i] ?? [];
    if (results.some((r) => r.spec || r.partial) || source.kind === 'tasks-json') return [];
    const file = repoRelative(root, source.kind === 'folder' ? source.dir : source.path);
    const number = numberFromFileName(file.split('/').pop() ?? file);
    return number === undefined ? [idFromFileName(file)] : [idFromFileName(file), String(number)];
  });
  problems.push(
    ...buildGraph([...specs, ...partial], {
      otherIds,
      missingDependency: options.missingDependency ?? 'done',
    }).problems,
  );
  // A folder of a spec_dir list that is not there is most likely a typo: said, not fatal.
  // (The default `specs/` may well be absent when specs live in .kiro/ or tasks.json.)
  for (const dir of dirList(specDir).length > 1 ? found.missing : []) {
    problems.push({
      file: `${dir}/`,
      line: 1,
      column: 1,
      message: `spec_dir lists ${dir}/, which does not exist (fix the path in spec_dir, or create the folder)`,
      severity: 'warning',
    });
  }
  problems.sort(compareProblems);
  const layouts = found.places.map((place) => {
    const counts: Partial<Record<SpecLayout, number>> = {};
    for (const source of place.sources) {
      const layout = layoutOf(source);
      if (!layout) continue;
      const n =
        layout === 'tasks-json' ? (perSource[found.sources.indexOf(source)]?.length ?? 0) : 1;
      counts[layout] = (counts[layout] ?? 0) + n;
    }
    return { path: place.path, layouts: counts };
  });
  return { specs, problems, layouts };
}

/**
 * Throw an InputError (exit 2) listing every problem when there are errors, or, with
 * `strict`, warnings. Warnings alone are otherwise fine.
 */
export function assertValidSpecs(
  result: { problems: SpecProblem[] },
  options: { strict?: boolean } = {},
): void {
  const failing = result.problems.filter((p) => options.strict || p.severity === 'error');
  if (failing.length === 0) return;
  const shown = options.strict
    ? result.problems.map((p) => ({ ...p, severity: 'error' as const }))
    : result.problems;
  const errors = failing.length;
  const warnings = result.problems.length - errors;
  const also = warnings > 0 ? ` (and ${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  throw new InputError(
    `${errors} problem${errors === 1 ? '' : 's'} in spec files${options.strict ? ' (--strict: warnings count)' : also}`,
    {
      problems: shown.map(formatProblem),
      hint: 'fix each file:line:column above; the format is described in docs/specs.md',
    },
  );
}
