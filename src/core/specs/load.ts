import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { buildGraph, resolveDependencies } from './graph.js';
import { formatProblem, type Spec, type SpecProblem } from './model.js';
import { idFromFileName, numberFromFileName, parseSpec } from './parse.js';
import { readRegularBytes, formatSize } from '../tools/regular-file.js';

export interface LoadedSpecs {
  specs: Spec[];
  /** Errors and warnings from every file and from the dependency graph, sorted. */
  problems: SpecProblem[];
}

/** Markdown files in the spec directory that are not specs. */
const NOT_SPECS = /^(readme|index|changelog)\.(md|markdown)$/i;

/** Repository-relative path with forward slashes. */
export function repoRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function missingDir(shown: string, cause?: unknown): InputError {
  return new InputError(`spec directory ${shown}/ does not exist`, {
    hint: 'run `mmm init` to set up mmm here, or `mmm spec new "<title>"` to write the first spec',
    cause,
  });
}

/** Spec files larger than this are refused (a spec is a page of markdown, not a data set). */
export const SPEC_MAX_BYTES = 1_000_000;

/** Spec file names: markdown, not a README/index/changelog, not hidden or `_`-prefixed. */
function isSpecName(name: string): boolean {
  return (
    /\.(md|markdown)$/i.test(name) &&
    !NOT_SPECS.test(name) &&
    !name.startsWith('.') &&
    !name.startsWith('_')
  );
}

/**
 * The spec files directly inside the spec directory, sorted by name — those that are not
 * regular files included (loadSpecs reports them), so a directory holding only a link is
 * not taken for an empty one.
 */
export async function listSpecFiles(root: string, specDir: string): Promise<string[]> {
  const { files, special } = await scanSpecDir(root, specDir);
  return [...files, ...special].sort();
}

/**
 * The spec directory's regular spec files, and the spec-named entries that are not
 * regular files (FIFO, socket, device, symbolic link): those are never opened.
 */
export async function scanSpecDir(
  root: string,
  specDir: string,
): Promise<{ files: string[]; special: string[] }> {
  const dir = isAbsolute(specDir) ? specDir : resolve(root, specDir);
  const shown = repoRelative(root, dir) || '.';
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missingDir(shown, error);
    throw new InputError(`cannot read spec directory ${shown}/: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!info.isDirectory()) {
    throw new InputError(`${shown} is not a directory`, {
      hint: 'set spec_dir in .mmm/config.toml to the folder holding your spec files',
    });
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`cannot read spec directory ${shown}/: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const named = entries.filter((e) => isSpecName(e.name) && !e.isDirectory());
  return {
    files: named
      .filter((e) => e.isFile())
      .map((e) => join(dir, e.name))
      .sort(),
    special: named
      .filter((e) => !e.isFile())
      .map((e) => join(dir, e.name))
      .sort(),
  };
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

/**
 * Parse every spec in `specDir` (relative to `root`, or absolute) and check the graph.
 * Never throws for spec content; throws InputError when the directory is missing or
 * unreadable. Problems include warnings. A spec-named entry that is not a regular file
 * (FIFO, socket, device, symbolic link) is an error naming it, and is never opened.
 */
export async function loadSpecs(root: string, specDir: string): Promise<LoadedSpecs> {
  const files = await listSpecFiles(root, specDir);
  const parsed = await Promise.all(
    files.map(async (absolute) => {
      const file = repoRelative(root, absolute);
      const bytes = await readSpecFile(absolute, file);
      return Buffer.isBuffer(bytes) ? parseSpec(file, bytes) : { problems: [bytes] };
    }),
  );
  const problems = parsed.flatMap((p) => p.problems);
  const specs = resolveDependencies(parsed.flatMap((p) => (p.spec ? [p.spec] : [])));
  // Files that did not parse still exist: depending on them is not an unknown dependency.
  const otherIds = files.flatMap((absolute, i) => {
    if (parsed[i]?.spec) return [];
    const file = repoRelative(root, absolute);
    const number = numberFromFileName(file);
    return number === undefined ? [idFromFileName(file)] : [idFromFileName(file), String(number)];
  });
  problems.push(...buildGraph(specs, { otherIds }).problems);
  problems.sort(compareProblems);
  return { specs, problems };
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
