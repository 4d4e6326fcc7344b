import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../config/did-you-mean.js';
import { InputError } from '../errors.js';
import { formatProblem } from '../specs/model.js';
import type { Workflow, WorkflowSource } from './model.js';
import { parseWorkflow, workflowNameOf, type WorkflowProblem } from './parse.js';
import type { CommandPrompts } from './read-predecessor.js';

/** The built-in workflows shipped with mmm (templates/workflows/*.yml in the package). */
export const BUILTIN_WORKFLOW_DIR = fileURLToPath(
  new URL('../../../templates/workflows/', import.meta.url),
);

/** Project workflows, which win over the built-ins with the same name. */
export function projectWorkflowDir(root: string): string {
  return join(root, '.mmm', 'workflows');
}

export interface WorkflowFile {
  name: string;
  /** Absolute path. */
  path: string;
  origin: 'builtin' | 'project';
  /** Set when a project file of this name replaces the built-in. */
  overrides?: string;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith('.') && !f.startsWith('_'))
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** Every workflow by name, built-ins first, a project file replacing the built-in of its name. */
export function listWorkflowFiles(root: string): WorkflowFile[] {
  const byName = new Map<string, WorkflowFile>();
  for (const f of yamlFiles(BUILTIN_WORKFLOW_DIR)) {
    byName.set(workflowNameOf(f), {
      name: workflowNameOf(f),
      path: join(BUILTIN_WORKFLOW_DIR, f),
      origin: 'builtin',
    });
  }
  const dir = projectWorkflowDir(root);
  for (const f of yamlFiles(dir)) {
    const name = workflowNameOf(f);
    const builtin = byName.get(name);
    byName.set(name, {
      name,
      path: join(dir, f),
      origin: 'project',
      ...(builtin ? { overrides: builtin.path } : {}),
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The path shown in problems: repository-relative for project files, package-relative for built-ins. */
export function displayPath(root: string, path: string): string {
  const inside = (base: string) => {
    const rel = relative(base, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  return (
    inside(root) ??
    (inside(BUILTIN_WORKFLOW_DIR)
      ? `templates/workflows/${inside(BUILTIN_WORKFLOW_DIR) ?? ''}`
      : path)
  );
}

/** `.claude/commands/<name>.md` (`a:b` → `a/b.md`), the Claude Code custom-command convention. */
export function claudeCommands(root: string): CommandPrompts {
  return (name) => {
    if (!/^[\w.-]+(?::[\w.-]+)*$/.test(name)) return undefined;
    const file = join(root, '.claude', 'commands', ...name.split(':')) + '.md';
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** A NAME is a bare word; anything with a slash or a .yml/.yaml ending is a PATH. */
export function isWorkflowPath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
}

/** Find a workflow file by name or path; InputError (exit 2) when there is none. */
export function resolveWorkflowFile(
  root: string,
  nameOrPath: string,
  cwd: string = root,
): { path: string; origin: WorkflowSource['origin']; name: string } {
  if (isWorkflowPath(nameOrPath)) {
    const path = resolve(cwd, nameOrPath);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new InputError(`workflow file ${nameOrPath} does not exist`, {
        hint: 'give a workflow name (mmm workflows lists them) or the path of a .yml file',
      });
    }
    return { path, origin: 'path', name: workflowNameOf(path) };
  }
  const files = listWorkflowFiles(root);
  const found = files.find((f) => f.name === nameOrPath);
  if (found) return found;
  const guess = didYouMean(
    nameOrPath,
    files.map((f) => f.name),
  );
  throw new InputError(`no workflow "${nameOrPath}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
    hint: `available: ${files.map((f) => f.name).join(', ')} (or .mmm/workflows/${nameOrPath}.yml)`,
  });
}

/** Parse one workflow file; every problem is returned (nothing thrown for bad content). */
export async function readWorkflowFile(
  root: string,
  file: { path: string; origin: WorkflowSource['origin'] },
): Promise<{ workflow?: Workflow; problems: WorkflowProblem[]; display: string }> {
  const display = displayPath(root, file.path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    throw new InputError(`cannot read workflow ${display}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = parseWorkflow(bytes, {
    file: display,
    defaultName: workflowNameOf(file.path),
    origin: file.origin,
    path: file.path,
    commands: claudeCommands(root),
    knownWorkflows: listWorkflowFiles(root).map((f) => f.name),
  });
  return { ...result, display };
}

/**
 * The workflow `nameOrPath` names: a project file (.mmm/workflows/NAME.yml), else the
 * built-in of that name, else a path. Invalid → InputError listing every problem (exit 2).
 */
export async function loadWorkflow(
  root: string,
  nameOrPath: string,
  cwd: string = root,
): Promise<Workflow> {
  const file = resolveWorkflowFile(root, nameOrPath, cwd);
  const { workflow, problems, display } = await readWorkflowFile(root, file);
  if (!workflow) {
    const errors = problems.filter((p) => p.severity === 'error');
    throw new InputError(
      `workflow ${display} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`,
      {
        problems: errors.map(formatProblem),
        hint: 'fix them and run `mmm workflows validate`; see docs/workflows.md',
      },
    );
  }
  return workflow;
}
