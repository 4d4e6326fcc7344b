import { InputError } from '../errors.js';
import { decodeSpecText } from './encoding.js';
import { field, parseJsonRanges, plain, JsonPositionError, type JsonNode } from './json-ranges.js';
import type { Criterion, Priority, Spec, SpecProblem, SpecStatus } from './model.js';
import type { ParsedSpec } from './parse.js';
import { positionAt } from './text.js';

/**
 * task-master's tasks.json: `{ "tasks": [...] }`, or tagged `{ "master": { "tasks": [...] } }`.
 * Each task (id, title, description, details, testStrategy, status, priority,
 * dependencies, subtasks) is one spec, `task-<id>` (`<tag>-task-<id>` outside the
 * `master` tag); its subtasks are its criteria, done when their status is `done`.
 */
const STATUS: Record<string, SpecStatus> = {
  pending: 'ready',
  'in-progress': 'in-progress',
  review: 'in-progress',
  done: 'done',
  blocked: 'blocked',
  deferred: 'blocked',
  cancelled: 'blocked',
};
/** mmm's statuses written back as task-master's. */
const BACK: Record<SpecStatus, string> = {
  draft: 'pending',
  ready: 'pending',
  'in-progress': 'in-progress',
  done: 'done',
  failed: 'pending',
  blocked: 'blocked',
};

interface TaskList {
  tag?: string;
  tasks: JsonNode;
}

function taskLists(root: JsonNode): TaskList[] {
  const top = field(root, 'tasks');
  if (top?.kind === 'array') return [{ tasks: top }];
  if (root.kind !== 'object') return [];
  return root.entries.flatMap((e) => {
    const tasks = field(e.value, 'tasks');
    return tasks?.kind === 'array' ? [{ tag: e.key, tasks }] : [];
  });
}

function prefix(tag: string | undefined): string {
  return tag === undefined || tag === 'master' ? 'task-' : `${tag}-task-`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function parseError(file: string, source: string, error: unknown): ParsedSpec {
  const at =
    error instanceof JsonPositionError ? positionAt(source, error.offset) : { line: 1, column: 1 };
  const problem: SpecProblem = {
    file,
    ...at,
    message: `${(error as Error).message}: fix the JSON (task-master's tasks.json)`,
    severity: 'error',
  };
  return { problems: [problem] };
}

/** Every task of a tasks.json as specs (`file` is repository-relative). */
export function parseTasksJson(file: string, bytes: Uint8Array): ParsedSpec[] {
  const decoded = decodeSpecText(bytes);
  if (!decoded.ok) {
    const { ok: _ok, ...at } = decoded;
    return [
      {
        problems: [
          { file, line: at.line, column: at.column, message: at.message, severity: 'error' },
        ],
      },
    ];
  }
  let root: JsonNode;
  try {
    root = parseJsonRanges(decoded.text);
  } catch (error) {
    return [parseError(file, decoded.text, error)];
  }
  const lists = taskLists(root);
  if (lists.length === 0) {
    return [
      {
        problems: [
          {
            file,
            line: 1,
            column: 1,
            message:
              'no "tasks" list: a task-master tasks.json holds { "tasks": [...] } or { "<tag>": { "tasks": [...] } }',
            severity: 'error',
          },
        ],
      },
    ];
  }
  return lists.flatMap(({ tag, tasks }) =>
    (tasks.kind === 'array' ? tasks.items : []).map((node) => {
      const task = plain(node) as Record<string, unknown>;
      const at = positionAt(decoded.text, node.start);
      const id = text(task.id);
      if (!id || typeof task.title !== 'string' || task.title.trim() === '') {
        return {
          problems: [
            {
              file,
              ...at,
              message: 'a task needs an "id" and a "title"',
              severity: 'error' as const,
            },
          ],
        };
      }
      const subtasks = Array.isArray(task.subtasks)
        ? (task.subtasks as Array<Record<string, unknown>>)
        : [];
      const criteria: Criterion[] = subtasks.map((s, i) => ({
        text: `${id}.${text(s.id) || i + 1} ${text(s.title)}${s.description ? `: ${text(s.description)}` : ''}`,
        done: s.status === 'done',
        line: positionAt(
          decoded.text,
          field(node, 'subtasks')?.kind === 'array'
            ? ((field(node, 'subtasks') as Extract<JsonNode, { kind: 'array' }>).items[i]?.start ??
                node.start)
            : node.start,
        ).line,
        mark: `task:${text(s.id) || i + 1}`,
      }));
      const sections: Record<string, string> = {};
      if (text(task.details)) sections.Details = text(task.details);
      if (text(task.testStrategy)) sections['Test Strategy'] = text(task.testStrategy);
      const body = [
        `# ${task.title.trim()}`,
        text(task.description),
        ...Object.entries(sections).map(([k, v]) => `## ${k}\n\n${v}`),
        ...(criteria.length
          ? [
              `## Subtasks\n\n${criteria.map((c) => `- [${c.done ? 'x' : ' '}] ${c.text}`).join('\n')}`,
            ]
          : []),
      ]
        .filter(Boolean)
        .join('\n\n');
      const deps = Array.isArray(task.dependencies)
        ? task.dependencies.map(text).filter(Boolean)
        : [];
      const priority = ['critical', 'high', 'medium', 'low'].includes(text(task.priority))
        ? (text(task.priority) as Priority)
        : 'medium';
      const spec: Spec = {
        id: `${prefix(tag)}${id}`,
        title: task.title.trim(),
        file,
        layout: 'tasks-json',
        taskId: tag === undefined ? id : `${tag}:${id}`,
        status: STATUS[text(task.status)] ?? 'ready',
        priority,
        dependsOn: deps.map((d) => `${prefix(tag)}${d}`),
        files: [],
        checks: [],
        criteria,
        sections,
        body: `${body}\n`,
        positions: { id: at, dependsOn: deps.map(() => at) },
      };
      return { spec, problems: [] };
    }),
  );
}

function replaceValue(source: string, node: JsonNode, value: string): string {
  return source.slice(0, node.start) + JSON.stringify(value) + source.slice(node.end);
}

/**
 * Write a task's status (and its ticked subtasks' `"status": "done"`) into the tasks.json
 * text, changing only those values. `taskId` is the task's id, `<tag>:<id>` in a tag.
 */
export function applyTasksJsonUpdate(
  source: string,
  taskId: string,
  update: { status?: SpecStatus; tickCriteria?: 'all' | number[] },
  file: string,
): string {
  const [tag, id] = taskId.includes(':')
    ? (taskId.split(':', 2) as [string, string])
    : [undefined, taskId];
  const root = parseJsonRanges(source);
  const list = taskLists(root).find(
    (l) => l.tag === tag || (tag === undefined && l.tag === 'master'),
  );
  const task =
    list?.tasks.kind === 'array'
      ? list.tasks.items.find((t) => text(plain(field(t, 'id'))) === id)
      : undefined;
  if (!task) throw new InputError(`${file}: no task ${taskId}; not updated`);
  const edits: Array<{ node: JsonNode; value: string }> = [];
  const subtasks = field(task, 'subtasks');
  const items = subtasks?.kind === 'array' ? subtasks.items : [];
  const indices =
    update.tickCriteria === 'all' ? items.map((_, i) => i) : (update.tickCriteria ?? []);
  for (const i of indices) {
    const status = field(items[i], 'status');
    if (!status)
      throw new InputError(`${file}: subtask #${i} of task ${taskId} has no "status"; not updated`);
    edits.push({ node: status, value: 'done' });
  }
  if (update.status !== undefined) {
    const status = field(task, 'status');
    if (!status) throw new InputError(`${file}: task ${taskId} has no "status"; not updated`);
    edits.push({ node: status, value: BACK[update.status] });
  }
  // From the end, so earlier offsets stay right.
  edits.sort((a, b) => b.node.start - a.node.start);
  return edits.reduce((text, e) => replaceValue(text, e.node, e.value), source);
}
