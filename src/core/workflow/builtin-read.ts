import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import type { ForEach, OnFailure, Step, Workflow, WorkflowSource } from './model.js';

/**
 * A small reader of workflow files for the interpreter, until the full parser and
 * validator (workflow/load.ts) land: it resolves a name or path and turns mmm's format
 * into the `Workflow` model, reporting the first problem with its file.
 */
export const BUILTIN_WORKFLOWS = fileURLToPath(
  new URL('../../../templates/workflows/', import.meta.url),
);

type Raw = Record<string, unknown>;

function fail(file: string, message: string): never {
  throw new InputError(`${file}: ${message}`, { hint: 'see docs/workflows.md for the format' });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function onFailure(file: string, raw: unknown, hasRetry = false): OnFailure | undefined {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object') fail(file, 'on_failure must be a mapping');
  const o = raw as Raw;
  const retry = str(o.retry);
  const then = (str(o.then) ?? 'fail') as OnFailure['then'];
  if (!['fail', 'continue', 'stop'].includes(then)) fail(file, `on_failure.then: ${then}`);
  const given = typeof o.max_attempts === 'number';
  return {
    ...(retry ? { retry } : {}),
    maxAttempts: given ? (o.max_attempts as number) : retry || hasRetry ? 3 : 1,
    then,
    ...(!given && retry ? { maxAttemptsFromConfig: true } : {}),
  };
}

function step(file: string, raw: unknown, n: number): Step {
  if (!raw || typeof raw !== 'object') fail(file, `step ${n} must be a mapping`);
  const o = raw as Raw;
  const kind = (['agent', 'shell', 'validate', 'commit', 'goal_seek', 'workflow'] as const).find(
    (k) => k in o,
  );
  if (!kind)
    fail(file, `step ${n} has no kind (agent, shell, validate, commit, goal_seek, workflow)`);
  const common = {
    id: str(o.id) ?? `${kind}-${n}`,
    ...(str(o.when) ? { when: str(o.when) as string } : {}),
    ...(o.on_failure !== undefined ? { onFailure: onFailure(file, o.on_failure) } : {}),
    ...(typeof o.timeout === 'number' ? { timeout: o.timeout } : {}),
    pos: { line: 0, col: 0 },
  };
  const v = o[kind];
  switch (kind) {
    case 'agent':
      return {
        ...common,
        kind,
        prompt: str(v) ?? '',
        ...(str(o.model) ? { model: str(o.model) as string } : {}),
        ...(typeof o.max_turns === 'number' ? { maxTurns: o.max_turns } : {}),
      };
    case 'shell':
      return {
        ...common,
        kind,
        command: str(v) ?? '',
        expectExit: typeof o.expect_exit === 'number' ? o.expect_exit : 0,
        ...(str(o.capture) ? { capture: str(o.capture) as string } : {}),
      };
    case 'validate': {
      const m = v && typeof v === 'object' ? (v as Raw) : {};
      return { ...common, kind, commands: m.commands !== false, checks: m.checks !== false };
    }
    case 'commit':
      return { ...common, kind, message: str(v) ?? '${spec.title}' };
    case 'goal_seek': {
      const m = (v && typeof v === 'object' ? v : {}) as Raw;
      return {
        ...common,
        kind,
        prompt: str(m.agent) ?? '',
        score: str(m.score) ?? '',
        target: Number(m.target),
        direction: m.direction === 'down' ? 'down' : 'up',
        maxAttempts: typeof m.max_attempts === 'number' ? m.max_attempts : 3,
      };
    }
    case 'workflow': {
      const vars = (o.vars && typeof o.vars === 'object' ? o.vars : {}) as Raw;
      return {
        ...common,
        kind,
        workflow: str(v) ?? '',
        vars: Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, str(x) ?? ''])),
      };
    }
  }
}

function forEach(file: string, raw: unknown): ForEach | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'specs') return { kind: 'specs' };
  if (Array.isArray(raw)) return { kind: 'list', items: raw.map((x) => str(x) ?? '') };
  if (raw && typeof raw === 'object') {
    const o = raw as Raw;
    if ('specs' in o)
      return { kind: 'specs', ...(o.propose === 'review' ? { propose: 'review' } : {}) };
    if (str(o.command))
      return { kind: 'command', command: str(o.command) as string, lines: o.lines !== false };
  }
  return fail(file, 'for_each must be specs, a list, or {command: "…"}');
}

/** Parse one file's text into a Workflow. */
export function parseWorkflowText(
  text: string,
  source: Omit<WorkflowSource, 'hash' | 'format'>,
): Workflow {
  const file = source.path;
  const doc = parseDocument(text);
  if (doc.errors.length) fail(file, doc.errors[0]?.message ?? 'not valid YAML');
  const o = doc.toJS() as Raw;
  if (!o || typeof o !== 'object' || !Array.isArray(o.steps))
    fail(file, 'a workflow needs `steps:`');
  const vars = (o.vars && typeof o.vars === 'object' ? o.vars : {}) as Raw;
  const fe = forEach(file, o.for_each);
  return {
    name: str(o.name) ?? basename(file).replace(/\.ya?ml$/, ''),
    description: str(o.description) ?? '',
    ...(fe ? { forEach: fe } : {}),
    vars: Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, str(x) ?? ''])),
    steps: (o.steps as unknown[]).map((s, i) => step(file, s, i + 1)),
    source: { ...source, hash: createHash('sha256').update(text).digest('hex'), format: 'mmm' },
  };
}

/** Where `nameOrPath` is: a path (has a slash or ends in .yml), a project file, a built-in. */
export function resolveWorkflowPath(
  nameOrPath: string,
  root: string,
  cwd: string = root,
): { path: string; origin: WorkflowSource['origin'] } {
  if (nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath)) {
    return { path: isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath), origin: 'path' };
  }
  const project = join(root, '.mmm', 'workflows', `${nameOrPath}.yml`);
  if (existsSync(project)) return { path: project, origin: 'project' };
  return { path: join(BUILTIN_WORKFLOWS, `${nameOrPath}.yml`), origin: 'builtin' };
}

/** Read and parse a workflow by name or path (InputError, exit 2, when it is missing or bad). */
export async function readWorkflow(
  nameOrPath: string,
  root: string,
  cwd?: string,
): Promise<Workflow> {
  const { path, origin } = resolveWorkflowPath(nameOrPath, root, cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`no workflow ${nameOrPath} (looked for ${path})`, {
      hint: 'built-in workflows: specs, review; project workflows live in .mmm/workflows/<name>.yml',
    });
  }
  return parseWorkflowText(text, { path, origin });
}
