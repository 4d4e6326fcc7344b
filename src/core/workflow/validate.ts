import { isMap, type Node } from 'yaml';
import { didYouMean } from '../config/did-you-mean.js';
import type { ProblemSink } from '../specs/yaml-context.js';
import {
  RUN_FIELDS,
  SPEC_FIELDS,
  STEP_RESULT_FIELDS,
  TEMPLATE_NAMES,
  workflowCelEnvironment,
} from './context.js';
import type { Step, Workflow } from './model.js';

/**
 * The checks that need the whole workflow (docs/workflows.md, "Validation"): unique ids,
 * `retry` naming an earlier step, every `${…}` naming a variable that exists at that step,
 * `when` type-checked as CEL, `workflow:` naming a known workflow. Each problem goes to
 * `sink` at the file:line:col of the text at fault.
 */
export function validateWorkflow(
  workflow: Omit<Workflow, 'source'>,
  stepNodes: readonly (Node | undefined)[],
  text: string,
  sink: ProblemSink,
  options: { knownWorkflows?: readonly string[]; forEachNode?: Node } = {},
): void {
  const forEachNode = options.forEachNode;
  const at = (node: Node | undefined, needle?: string) =>
    sink.positionOf(offsetIn(text, node, needle));
  const seen = new Map<string, number>();
  workflow.steps.forEach((step, index) => {
    const node = stepNodes[index];
    const earlier = workflow.steps.slice(0, index);
    const first = seen.get(step.id);
    if (first !== undefined) {
      sink.error(
        at(child(node, 'id') ?? node),
        `duplicate step id "${step.id}" (steps[${first}] has it too): give each step its own id`,
      );
    } else seen.set(step.id, index);

    const retry = step.onFailure?.retry;
    if (retry !== undefined && !workflow.steps.slice(0, index + 1).some((s) => s.id === retry)) {
      const guess = didYouMean(retry, earlier.map((s) => s.id).concat(step.id));
      const later = workflow.steps.slice(index + 1).some((s) => s.id === retry);
      sink.error(
        at(child(child(node, 'on_failure'), 'retry') ?? node),
        later
          ? `retry: "${retry}" is a later step: retry goes back to this step or an earlier one`
          : `retry: no earlier step has id "${retry}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      );
    }

    for (const [key, value] of templatesOf(step)) {
      const valueNode = key.reduce<Node | undefined>((n, k) => child(n, k), node);
      for (const ref of templateRefs(value)) {
        const problem = checkRef(ref, workflow, index);
        if (problem) sink.error(at(valueNode ?? node, `\${${ref}}`), problem);
      }
    }

    if (step.when !== undefined)
      checkWhen(
        step.when,
        workflow,
        at(child(node, 'when') ?? node),
        sink,
        child(node, 'when'),
        text,
      );

    if (
      step.kind === 'workflow' &&
      options.knownWorkflows &&
      !options.knownWorkflows.includes(step.workflow)
    ) {
      const guess = didYouMean(step.workflow, options.knownWorkflows);
      sink.error(
        at(child(node, 'workflow') ?? node),
        `no workflow "${step.workflow}"${guess ? ` (did you mean "${guess}"?)` : ''}: mmm workflows lists them`,
      );
    }
  });
  if (workflow.forEach?.kind === 'command') {
    // The command runs before any item exists and as written: nothing is expanded in it.
    const refs = templateRefs(workflow.forEach.command);
    if (refs.length > 0) {
      sink.error(
        sink.positionOf(offsetIn(text, forEachNode, '${')),
        `for_each.command runs as written, so \${${refs[0]}} would reach the shell: write the value itself`,
      );
    }
  }
}

/** The `${…}` references of a template, without the braces. */
export function templateRefs(template: string): string[] {
  // `$${` is a literal `${`, not a reference.
  return [...template.matchAll(/\$(\$?)\{([^}]*)\}/g)]
    .filter((m) => !m[1])
    .map((m) => (m[2] ?? '').trim());
}

/** The templates of a step, each with its YAML key path inside the step. */
function templatesOf(step: Step): [string[], string][] {
  switch (step.kind) {
    case 'agent':
      return [[['agent'], step.prompt]];
    case 'shell':
      return [[['shell'], step.command]];
    case 'commit':
      return [[['commit'], step.message]];
    case 'goal_seek':
      return [
        [['goal_seek', 'agent'], step.prompt],
        [['goal_seek', 'score'], step.score],
      ];
    case 'workflow':
      return Object.entries(step.vars).map(([k, v]) => [['vars', k], v]);
    case 'validate':
      return [];
  }
}

/** Why `ref` cannot be used in step `index`, or undefined when it can. */
export function checkRef(
  ref: string,
  workflow: Omit<Workflow, 'source'>,
  index: number,
): string | undefined {
  const parts = ref.split('.');
  const [root, name, field] = parts;
  const forEach = workflow.forEach?.kind;
  if (parts.length === 1 && (TEMPLATE_NAMES as readonly string[]).includes(ref)) {
    if (ref === 'item' && !forEach)
      return '${item} needs for_each: (this workflow has one item and no ${item})';
    return undefined;
  }
  if (root === 'spec' && parts.length === 2) {
    if (forEach !== 'specs')
      return `\${${ref}} needs for_each: specs (this workflow does not run over specs)`;
    if ((SPEC_FIELDS as readonly string[]).includes(name ?? '')) return undefined;
    return unknown(
      ref,
      `spec.${didYouMean(name ?? '', SPEC_FIELDS) ?? ''}`,
      `spec fields: ${SPEC_FIELDS.join(', ')}`,
    );
  }
  if (root === 'run' && parts.length === 2) {
    if ((RUN_FIELDS as readonly string[]).includes(name ?? '')) return undefined;
    const guess = didYouMean(name ?? '', RUN_FIELDS);
    return unknown(ref, guess ? `run.${guess}` : '', `run fields: ${RUN_FIELDS.join(', ')}`);
  }
  if (root === 'vars' && parts.length === 2 && name) {
    const visible = new Set(Object.keys(workflow.vars));
    workflow.steps
      .slice(0, index)
      .forEach((s) => s.kind === 'shell' && s.capture && visible.add(s.capture));
    if (visible.has(name)) return undefined;
    const later = workflow.steps.slice(index).some((s) => s.kind === 'shell' && s.capture === name);
    if (later) return `\${${ref}} is captured by a later step: move the step or the capture`;
    const guess = didYouMean(name, [...visible]);
    return unknown(
      ref,
      guess ? `vars.${guess}` : '',
      `declare it under vars: (a default; --var ${name}=… overrides)`,
    );
  }
  if (root === 'steps' && parts.length === 3 && name && field) {
    const earlier = workflow.steps.slice(0, index).map((s) => s.id);
    if (!earlier.includes(name)) {
      const exists = workflow.steps.some((s) => s.id === name);
      if (exists)
        return `\${${ref}}: step "${name}" has not run yet here (only earlier steps can be read)`;
      const guess = didYouMean(name, earlier);
      return unknown(
        ref,
        guess ? `steps.${guess}.${field}` : '',
        `earlier steps: ${earlier.join(', ') || 'none'}`,
      );
    }
    if ((STEP_RESULT_FIELDS as readonly string[]).includes(field)) return undefined;
    const guess = didYouMean(field, STEP_RESULT_FIELDS);
    return unknown(
      ref,
      guess ? `steps.${name}.${guess}` : '',
      `step fields: ${STEP_RESULT_FIELDS.join(', ')}`,
    );
  }
  const guess = didYouMean(ref, [...TEMPLATE_NAMES, 'spec.title', 'vars', 'steps']);
  return unknown(
    ref,
    guess ?? '',
    'templates use ${spec.<field>}, ${item}, ${vars.<name>}, ${steps.<id>.output}, ${run.<field>}, ${feedback}',
  );
}

function unknown(ref: string, guess: string, fix: string): string {
  return `unknown variable \${${ref}}${guess ? ` (did you mean \${${guess}}?)` : ''}: ${fix}`;
}

function checkWhen(
  expression: string,
  workflow: Omit<Workflow, 'source'>,
  start: { line: number; column: number },
  sink: ProblemSink,
  node: Node | undefined,
  text: string,
): void {
  const result = workflowCelEnvironment(workflow).check(expression);
  if (result.valid) {
    if (result.type !== 'bool' && result.type !== 'dyn')
      sink.error(
        start,
        `when: must be true or false, but this is a ${String(result.type)}: compare it (e.g. == "x")`,
      );
    return;
  }
  const error = result.error as { message?: string; range?: { start?: number } } | undefined;
  const message = (error?.message ?? 'invalid expression').split('\n')[0] ?? '';
  const offset = typeof error?.range?.start === 'number' ? error.range.start : 0;
  // Point at the character when the expression sits in the source as written (plain or quoted).
  const base = node?.range?.[0];
  let pos = start;
  if (typeof base === 'number') {
    const quoted = text[base] === '"' || text[base] === "'" ? 1 : 0;
    if (text.slice(base + quoted).startsWith(expression))
      pos = sink.positionOf(base + quoted + offset);
  }
  sink.error(
    pos,
    `when: ${message} (CEL over steps, spec, item, run, vars; see docs/workflows.md)`,
  );
}

function child(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const value = node.get(key, true) as Node | undefined;
  return value ?? undefined;
}

/** The offset of `needle` in the source of `node` (where the scalar's text is), else its start. */
function offsetIn(text: string, node: Node | undefined, needle?: string): number {
  const range = node?.range;
  if (!range) return 0;
  if (needle) {
    const i = text.slice(range[0], range[1]).indexOf(needle);
    if (i >= 0) return range[0] + i;
  }
  return range[0];
}
