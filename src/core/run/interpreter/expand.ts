import { InputError } from '../../errors.js';
import { loadWorkflow } from '../../workflow/load.js';
import type { Step, Workflow } from '../../workflow/model.js';

/**
 * `workflow: NAME` steps, expanded when the run starts: the named workflow's steps take
 * the step's place, with ids `<step>.<id>` (retries inside it stay inside it). Inside,
 * `steps.<id>` means the inner workflow's steps and `vars` its own defaults under the
 * step's `vars:` (templates over the outer context); the step's `when` guards each inner
 * step and its `on_failure` applies to inner steps without their own.
 */
export interface Scope {
  prefix: string;
  /** The inner workflow's defaults. */
  defaults: Record<string, string>;
  /** The `vars:` of the workflow step: templates expanded in the outer context. */
  vars: Record<string, string>;
  /** The workflow step's `when`, decided in the outer context. */
  when?: string;
  outer?: Scope;
}

const scopes = new WeakMap<Step, Scope>();

export function scopeOf(step: Step): Scope | undefined {
  return scopes.get(step);
}

const MAX_DEPTH = 5;

export async function expandWorkflowSteps(
  workflow: Workflow,
  root: string,
  outer?: Scope,
  chain: string[] = [workflow.name],
): Promise<Workflow> {
  if (!workflow.steps.some((s) => s.kind === 'workflow')) return workflow;
  const steps: Step[] = [];
  for (const step of workflow.steps) {
    if (step.kind !== 'workflow') {
      steps.push(step);
      if (outer) scopes.set(step, outer);
      continue;
    }
    if (chain.includes(step.workflow) || chain.length > MAX_DEPTH) {
      throw new InputError(
        `workflow ${workflow.name}: step ${step.id} runs ${step.workflow}, which runs it again (${[...chain, step.workflow].join(' → ')})`,
        { hint: 'a workflow step may not run itself, directly or through others' },
      );
    }
    const inner = await loadWorkflow(root, step.workflow);
    const prefix = outer ? `${outer.prefix}.${step.id}` : step.id;
    const scope: Scope = {
      prefix,
      defaults: inner.vars,
      vars: step.vars,
      ...(step.when ? { when: step.when } : {}),
      ...(outer ? { outer } : {}),
    };
    const expanded = await expandWorkflowSteps(inner, root, scope, [...chain, step.workflow]);
    for (const s of expanded.steps) {
      const own = s.onFailure;
      const renamed: Step = {
        ...s,
        id: `${step.id}.${s.id}`,
        ...(own?.retry
          ? { onFailure: { ...own, retry: `${step.id}.${own.retry}` } }
          : own
            ? {}
            : step.onFailure
              ? { onFailure: step.onFailure }
              : {}),
      };
      scopes.set(renamed, scopes.get(s) === scope ? scope : (scopes.get(s) ?? scope));
      steps.push(renamed);
    }
  }
  return { ...workflow, steps };
}

/**
 * The context a step of an inner workflow sees: its own workflow's step results and
 * variables over the outer context. `expand` expands the step's `vars:` templates.
 */
export function scopedContext(
  top: Record<string, unknown>,
  scope: Scope | undefined,
  expand: (template: string, context: Record<string, unknown>) => string,
): Record<string, unknown> {
  if (!scope) return top;
  const outer = scopedContext(top, scope.outer, expand);
  const all = top.steps as Record<string, unknown>;
  const steps: Record<string, unknown> = {};
  const head = `${scope.prefix}.`;
  for (const [id, view] of Object.entries(all)) {
    if (id.startsWith(head)) steps[id.slice(head.length)] = view;
  }
  const vars: Record<string, string> = { ...scope.defaults };
  for (const [name, template] of Object.entries(scope.vars)) vars[name] = expand(template, outer);
  return { ...outer, steps, vars };
}

/** The `when` of every workflow step around `scope`, each with the context it is decided in. */
export function guardsOf(
  top: Record<string, unknown>,
  scope: Scope | undefined,
  expand: (template: string, context: Record<string, unknown>) => string,
): { when: string; context: Record<string, unknown> }[] {
  const guards: { when: string; context: Record<string, unknown> }[] = [];
  for (let s = scope; s; s = s.outer) {
    if (s.when) guards.push({ when: s.when, context: scopedContext(top, s.outer, expand) });
  }
  return guards.reverse();
}
