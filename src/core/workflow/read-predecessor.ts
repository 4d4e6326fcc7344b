import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { splitFrontmatter } from '../specs/frontmatter.js';
import type { ProblemSink } from '../specs/yaml-context.js';
import type { Step } from './model.js';
import type { ReadWorkflow } from './read-mmm.js';
import { STEP_ID } from './schema.js';

/** The prompt of `.claude/commands/<name>.md`, or undefined when there is none. */
export type CommandPrompts = (name: string) => string | undefined;

/**
 * The predecessor's format (docs/workflows.md, "The predecessor's format"): a YAML list
 * of `- claude: "/command args"` / `- shell: "…"` items (or `commands:` holding that list),
 * converted to mmm steps. What mmm does not support is a problem at file:line, never skipped.
 */
const ITEM_KEYS = [
  'claude',
  'shell',
  'id',
  'commit_required',
  'capture_output',
  'capture',
  'on_failure',
  'on_success',
  'timeout',
];
const HANDLER_KEYS = ['claude', 'shell', 'max_attempts', 'fail_workflow', 'commit_required'];
const TOP_KEYS = ['name', 'description', 'commands'];

interface Ctx {
  doc: Document;
  sink: ProblemSink;
  commands: CommandPrompts;
  steps: Step[];
  nodes: Node[];
  /** Predecessor variable → mmm template (`shell.output` → `steps.x.output`, captures). */
  aliases: Map<string, string>;
  usesArg: boolean;
  /** What a commit after the step is called: the command's name or the shell line. */
  labels: Map<Step, string>;
}

export function readPredecessorWorkflow(
  doc: Document,
  defaultName: string,
  sink: ProblemSink,
  commands: CommandPrompts,
): ReadWorkflow | undefined {
  const contents = doc.contents as Node;
  let list: Node | undefined = contents;
  let name = defaultName;
  let description = '';
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const key = String((pair.key as { value?: unknown }).value);
      if (!TOP_KEYS.includes(key))
        unsupported(sink, pair.key as Node, key, 'at the top of a workflow');
    }
    list = contents.get('commands', true) as Node | undefined;
    const n = contents.get('name');
    const d = contents.get('description');
    if (typeof n === 'string' && STEP_ID.test(n)) name = n;
    if (typeof d === 'string') description = d;
  }
  if (!isSeq(list) || list.items.length === 0) {
    sink.error(
      sink.nodePosition(list ?? contents),
      'commands: must be a list of - claude: "/command" or - shell: "…" items',
    );
    return undefined;
  }
  const ctx: Ctx = {
    doc,
    sink,
    commands,
    steps: [],
    nodes: [],
    aliases: new Map(),
    usesArg: false,
    labels: new Map(),
  };
  list.items.forEach((item, index) => readItem(ctx, item as Node, index + 1));
  // Returned with errors too, so the template and CEL checks report what they find as well.
  return {
    workflow: { name, description, vars: ctx.usesArg ? { arg: '' } : {}, steps: ctx.steps },
    stepNodes: ctx.nodes,
  };
}

function unsupported(sink: ProblemSink, node: Node, key: string, where: string): void {
  sink.error(
    sink.nodePosition(node),
    `"${key}" ${where} is not supported by mmm: remove it, or rewrite the workflow in mmm's format (docs/workflows.md)`,
  );
}

function keysOf(map: YAMLMap): [string, Node][] {
  return map.items.map((p) => [String((p.key as { value?: unknown }).value), p.key as Node]);
}

function readItem(ctx: Ctx, node: Node, n: number): void {
  const { sink } = ctx;
  if (!isMap(node)) {
    sink.error(sink.nodePosition(node), `item ${n} must be a mapping such as - shell: "npm test"`);
    return;
  }
  for (const [key, keyNode] of keysOf(node)) {
    if (!ITEM_KEYS.includes(key)) unsupported(sink, keyNode, key, `in item ${n}`);
  }
  const rawId = node.get('id');
  if (rawId !== undefined && (typeof rawId !== 'string' || !STEP_ID.test(rawId))) {
    sink.error(
      sink.nodePosition(node.get('id', true) as Node),
      'id: lower-case letters, digits, - and _, starting with a letter',
    );
  }
  const id = typeof rawId === 'string' && STEP_ID.test(rawId) ? rawId : `step-${n}`;
  const main = action(ctx, node, id, `item ${n}`);
  if (!main) return;
  const timeout = node.get('timeout');
  if (typeof timeout === 'number' && timeout > 0) main.timeout = timeout;
  else if (timeout !== undefined)
    sink.error(
      sink.nodePosition(node.get('timeout', true) as Node),
      'timeout: a number of seconds',
    );
  const onFailure = node.get('on_failure', true) as Node | undefined;
  if (onFailure) main.onFailure = { maxAttempts: 1, then: 'continue' };
  push(ctx, main, node);
  if (node.get('commit_required') === true)
    push(ctx, commitAfter(ctx, main, `${id}-commit`, 'steps["' + id + '"].ok'), node);

  // The output is readable by later items: as shell.output/claude.output and the capture name.
  const kindAlias = main.kind === 'agent' ? 'claude.output' : 'shell.output';
  const capture = node.get('capture_output') ?? node.get('capture');
  if (onFailure) readOnFailure(ctx, onFailure, main, id);
  const onSuccess = node.get('on_success', true) as Node | undefined;
  if (onSuccess) {
    if (!isMap(onSuccess))
      sink.error(sink.nodePosition(onSuccess), 'on_success: a mapping with claude: or shell:');
    else {
      const step = handler(ctx, onSuccess, `${id}-on-success`, 'on_success', [
        'claude',
        'shell',
        'commit_required',
      ]);
      if (step) {
        step.when = `steps["${id}"].ok`;
        push(ctx, step, onSuccess);
        if (onSuccess.get('commit_required') === true)
          push(ctx, commitAfter(ctx, step, `${id}-on-success-commit`, step.when), onSuccess);
      }
    }
  }
  ctx.aliases.set(kindAlias, `steps.${id}.output`);
  if (typeof capture === 'string' && /^[A-Za-z_][\w.]*$/.test(capture))
    ctx.aliases.set(capture, `steps.${id}.output`);
}

/** `on_failure:` → the step continues; a fix step and a re-check run when it failed. */
function readOnFailure(ctx: Ctx, node: Node, main: Step, id: string): void {
  const { sink } = ctx;
  if (!isMap(node)) {
    sink.error(
      sink.nodePosition(node),
      'on_failure: a mapping with claude: or shell: (and max_attempts, fail_workflow)',
    );
    return;
  }
  const failedWhen = `!steps["${id}"].ok`;
  // Inside the handler, shell.output/claude.output is the failing step's output.
  ctx.aliases.set(main.kind === 'agent' ? 'claude.output' : 'shell.output', `steps.${id}.output`);
  const fix = handler(ctx, node, `${id}-fix`, 'on_failure', HANDLER_KEYS);
  if (!fix) return;
  fix.when = failedWhen;
  push(ctx, fix, node);
  const attempts = node.get('max_attempts');
  const recheck: Step = { ...main, id: `${id}-recheck`, when: failedWhen };
  recheck.onFailure = {
    retry: fix.id,
    maxAttempts: typeof attempts === 'number' && attempts >= 1 ? Math.floor(attempts) : 1,
    then: node.get('fail_workflow') === true ? 'fail' : 'continue',
  };
  push(ctx, recheck, node);
  if (node.get('commit_required') === true) {
    push(
      ctx,
      commitAfter(ctx, fix, `${id}-fix-commit`, `${failedWhen} && steps["${id}-recheck"].ok`),
      node,
    );
  }
}

function handler(
  ctx: Ctx,
  node: YAMLMap,
  id: string,
  where: string,
  allowed: string[],
): Step | undefined {
  for (const [key, keyNode] of keysOf(node)) {
    if (!allowed.includes(key)) unsupported(ctx.sink, keyNode, key, `in ${where}`);
  }
  return action(ctx, node, id, where);
}

/** The `claude:` or `shell:` of an item or handler as an agent or shell step. */
function action(ctx: Ctx, node: YAMLMap, id: string, where: string): Step | undefined {
  const { sink } = ctx;
  const pos = sink.nodePosition(node);
  const base = { id, pos: { line: pos.line, col: pos.column } };
  const claude = node.get('claude', true) as Node | undefined;
  const shell = node.get('shell', true) as Node | undefined;
  if ((claude ? 1 : 0) + (shell ? 1 : 0) !== 1) {
    sink.error(pos, `${where} needs exactly one of claude: "/command args" or shell: "…"`);
    return undefined;
  }
  const valueNode = (claude ?? shell) as Node;
  const value = isScalar(valueNode) ? valueNode.value : undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    sink.error(
      sink.nodePosition(valueNode),
      `${claude ? 'claude' : 'shell'}: must be a non-empty string`,
    );
    return undefined;
  }
  const label = (claude ? (value.trim().split(/\s+/)[0] ?? '') : value).split('\n')[0] ?? '';
  if (shell) {
    const step: Step = { ...base, kind: 'shell', command: translate(ctx, value), expectExit: 0 };
    ctx.labels.set(step, label.replace(/\$\{[^}]*\}/g, '…'));
    return step;
  }
  const prompt = claudePrompt(ctx, value.trim(), valueNode);
  if (prompt === undefined) return undefined;
  const step: Step = { ...base, kind: 'agent', prompt };
  ctx.labels.set(step, label.replace(/^\//, ''));
  return step;
}

/** `/name args` → `.claude/commands/name.md` with `$ARGUMENTS` (and `$1`…) substituted. */
function claudePrompt(ctx: Ctx, text: string, node: Node): string | undefined {
  if (!text.startsWith('/')) return translate(ctx, text);
  const [command = '', ...rest] = text.slice(1).split(/\s+/);
  const args = translate(ctx, rest.join(' '));
  const body = ctx.commands(command);
  if (body === undefined) {
    ctx.sink.error(
      ctx.sink.nodePosition(node),
      `claude: "/${command}" needs .claude/commands/${command.split(':').join('/')}.md (the prompt of the command): create it`,
    );
    return undefined;
  }
  const split = splitFrontmatter(body.replace(/^\uFEFF/, ''));
  const positional = args.split(/\s+/).filter(Boolean);
  // The command file is prose, not a template: a `${` in it stays literal (`$${`).
  const prompt = split.body
    .replace(/\$\{/g, '$${')
    .replace(/\$ARGUMENTS\b/g, () => args)
    .replace(/\$([1-9])\b/g, (_, d: string) => positional[Number(d) - 1] ?? '');
  return prompt.includes(args) || args === ''
    ? prompt.trim()
    : `${prompt.trim()}\n\nArguments: ${args}`;
}

/** Predecessor variables in a command → mmm templates. */
function translate(ctx: Ctx, text: string): string {
  return text
    .replace(/\$\{?ARG(?:UMENTS)?\}?(?![\w])/g, () => {
      ctx.usesArg = true;
      return '${vars.arg}';
    })
    .replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      const alias = ctx.aliases.get(name.trim());
      return alias ? `\${${alias}}` : whole;
    });
}

/** A commit after `step` (commit_required), its subject the command that made the change. */
function commitAfter(ctx: Ctx, step: Step, id: string, when: string): Step {
  const message = (ctx.labels.get(step) || step.id).slice(0, 72);
  return { id, kind: 'commit', message, when, pos: step.pos };
}

function push(ctx: Ctx, step: Step, node: Node): void {
  ctx.steps.push(step);
  ctx.nodes.push(node);
}
