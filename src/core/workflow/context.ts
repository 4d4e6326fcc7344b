import { Environment } from '@marcbachmann/cel-js';
import type { Workflow } from './model.js';

/**
 * What a workflow can read (docs/workflows.md, "Variables" and "Conditions"): the names
 * templates may use and the CEL environment `when` is type-checked — and evaluated — in.
 * The validator checks files against these; the interpreter fills them in.
 */

/** `${spec.<field>}` (for_each: specs only). */
export const SPEC_FIELDS = [
  'id',
  'title',
  'body',
  'file',
  'priority',
  'status',
  'category',
] as const;

/** `${steps.<id>.<field>}` in templates (text); the same fields exist in CEL. */
export const STEP_RESULT_FIELDS = ['output', 'ok', 'exit_code', 'score', 'attempts'] as const;

/** `run.<field>` in CEL. */
export const RUN_FIELDS = ['cost_usd', 'tokens', 'items_done', 'items_failed'] as const;

/** The single names a template may use besides `spec.*`, `vars.*` and `steps.*`. */
export const TEMPLATE_NAMES = ['item', 'feedback'] as const;

const STEP_RESULT_TYPES: Record<(typeof STEP_RESULT_FIELDS)[number], string> = {
  output: 'string',
  ok: 'bool',
  exit_code: 'int',
  score: 'double',
  attempts: 'int',
};
const RUN_TYPES: Record<(typeof RUN_FIELDS)[number], string> = {
  cost_usd: 'double',
  tokens: 'int',
  items_done: 'int',
  items_failed: 'int',
};

/** Every variable name a step may read as `${vars.<name>}`: the defaults and the captures. */
export function declaredVars(workflow: Pick<Workflow, 'vars' | 'steps'>): string[] {
  const names = new Set(Object.keys(workflow.vars));
  for (const step of workflow.steps)
    if (step.kind === 'shell' && step.capture) names.add(step.capture);
  return [...names];
}

/**
 * The CEL environment of one workflow: `steps` has one field per step id, `vars` one per
 * declared variable, `spec` exists only for `for_each: specs` and `item` only with a
 * `for_each`. Integer fields (`exit_code`, `attempts`, `tokens`, `items_*`) are CEL `int`:
 * pass them through `celValues` before evaluating.
 */
export function workflowCelEnvironment(
  workflow: Pick<Workflow, 'vars' | 'steps' | 'forEach'>,
): Environment {
  const steps: Record<string, Record<string, string>> = {};
  for (const step of workflow.steps) steps[step.id] = { ...STEP_RESULT_TYPES };
  const vars: Record<string, string> = {};
  for (const name of declaredVars(workflow)) vars[name] = 'string';
  const env = new Environment({ unlistedVariablesAreDyn: false })
    .registerVariable({ name: 'steps', schema: steps })
    .registerVariable({ name: 'run', schema: { ...RUN_TYPES } })
    .registerVariable({ name: 'vars', schema: vars });
  if (workflow.forEach?.kind === 'specs') {
    const spec: Record<string, string> = {};
    for (const field of SPEC_FIELDS) spec[field] = 'string';
    env.registerVariable({ name: 'spec', schema: spec });
  }
  if (workflow.forEach) env.registerVariable('item', 'string');
  return env;
}

/**
 * The values `when` is evaluated against: every step id and declared variable present
 * (a step not run yet: `ok` false, `output` ""), integer fields as BigInt (CEL `int`).
 */
export function celValues(
  workflow: Pick<Workflow, 'vars' | 'steps' | 'forEach'>,
  context: {
    steps: Record<string, Partial<Record<(typeof STEP_RESULT_FIELDS)[number], unknown>>>;
    run: Record<(typeof RUN_FIELDS)[number], number>;
    vars: Record<string, string>;
    spec?: Partial<Record<(typeof SPEC_FIELDS)[number], string>>;
    item?: string;
  },
): Record<string, unknown> {
  const int = (n: unknown) => BigInt(Math.trunc(typeof n === 'number' ? n : 0));
  const steps: Record<string, unknown> = {};
  for (const { id } of workflow.steps) {
    const r = context.steps[id] ?? {};
    steps[id] = {
      output: typeof r.output === 'string' ? r.output : '',
      ok: r.ok === true,
      exit_code: int(r.exit_code),
      score: typeof r.score === 'number' ? r.score : 0,
      attempts: int(r.attempts),
    };
  }
  const vars: Record<string, string> = {};
  for (const name of declaredVars(workflow)) vars[name] = context.vars[name] ?? '';
  const run = {
    cost_usd: context.run.cost_usd,
    tokens: int(context.run.tokens),
    items_done: int(context.run.items_done),
    items_failed: int(context.run.items_failed),
  };
  const values: Record<string, unknown> = { steps, run, vars };
  if (workflow.forEach?.kind === 'specs') {
    const spec: Record<string, string> = {};
    for (const field of SPEC_FIELDS) spec[field] = context.spec?.[field] ?? '';
    values.spec = spec;
  }
  if (workflow.forEach) values.item = context.item ?? '';
  return values;
}
