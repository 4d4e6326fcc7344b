import { Environment } from '@marcbachmann/cel-js';
import type { Workflow } from './model.js';

/**
 * What a workflow can read (docs/workflows.md, "Variables" and "Conditions"): the names
 * templates may use and the CEL environment `when` is type-checked in. The validator
 * checks files against these; the interpreter fills them in (run/interpreter/context.ts).
 */

/** `${spec.<field>}` (for_each: specs only). */
export const SPEC_FIELDS = ['id', 'title', 'body', 'file', 'priority', 'category'] as const;

/** `steps.<id>.<field>`, in templates and in CEL; a step not run yet is `skipped`. */
export const STEP_RESULT_FIELDS = [
  'ok',
  'skipped',
  'output',
  'exit_code',
  'changed',
  'failure',
] as const;

/** `run.<field>`, in templates and in CEL. */
export const RUN_FIELDS = [
  'id',
  'cost_usd',
  'tokens',
  'iterations',
  'commits',
  'elapsed_s',
  'attempt',
  'format_command',
  'build_command',
  'test_command',
  'lint_command',
  'typecheck_command',
  'branch',
] as const;

/** The single names a template may use besides `spec.*`, `run.*`, `vars.*` and `steps.*`. */
export const TEMPLATE_NAMES = ['item', 'feedback'] as const;

// As the interpreter passes them: counts are CEL ints, the cost a double.
const STEP_RESULT_TYPES: Record<(typeof STEP_RESULT_FIELDS)[number], string> = {
  ok: 'bool',
  skipped: 'bool',
  output: 'string',
  exit_code: 'int',
  changed: 'bool',
  failure: 'string',
};
const RUN_TYPES: Record<(typeof RUN_FIELDS)[number], string> = {
  id: 'string',
  cost_usd: 'double',
  tokens: 'int',
  iterations: 'int',
  commits: 'int',
  elapsed_s: 'int',
  attempt: 'int',
  format_command: 'string',
  build_command: 'string',
  test_command: 'string',
  lint_command: 'string',
  typecheck_command: 'string',
  branch: 'string',
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
 * `for_each`. The interpreter evaluates `when` against the same names
 * (run/interpreter/context.ts).
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
    .registerVariable({ name: 'vars', schema: vars })
    .registerVariable('feedback', 'string');
  if (workflow.forEach?.kind === 'specs') {
    const spec: Record<string, string> = {};
    for (const field of SPEC_FIELDS) spec[field] = 'string';
    env.registerVariable({ name: 'spec', schema: spec });
  }
  if (workflow.forEach) env.registerVariable('item', 'string');
  return env;
}
