import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { buildGraph, resolveDependencies } from './graph.js';
import { formatProblem, type Spec, type SpecProblem } from './model.js';
import { idFromFileName, numberFromFileName, parseSpec } from './parse.js';

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

/** The `.md` files directly inside the spec directory, sorted by name. */
export async function listSpecFiles(root: string, specDir: string): Promise<string[]> {
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
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .filter((e) => !NOT_SPECS.test(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => join(dir, e.name))
    .sort();
}

function compareProblems(a: SpecProblem, b: SpecProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/**
 * Parse every spec in `specDir` (relative to `root`, or absolute) and check the graph.
 * Never throws for spec content; throws InputError when the directory is missing or
 * unreadable. Problems include warnings.
 */
export async function loadSpecs(root: string, specDir: string): Promise<LoadedSpecs> {
  const files = await listSpecFiles(root, specDir);
  const parsed = await Promise.all(
    files.map(async (absolute) => {
      const file = repoRelative(root, absolute);
      try {
        return parseSpec(file, await readFile(absolute));
      } catch (error) {
        const problem: SpecProblem = {
          file,
          line: 1,
          column: 1,
          message: `cannot read file: ${(error as Error).message}`,
          severity: 'error',
        };
        return { problems: [problem] };
      }
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
