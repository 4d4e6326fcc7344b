import { evaluate } from '@marcbachmann/cel-js';
import { totalTokens } from '../../llm/usage.js';
import type { Spec } from '../../specs/model.js';
import type { Workflow } from '../../workflow/model.js';
import type { RunSession } from '../session.js';
import { elapsedMs } from '../session.js';
import type { Cursor, StepRecord } from '../store/state.js';

/**
 * What a step's templates (`${spec.title}`, `${item}`, `${vars.x}`, `${feedback}`,
 * `${steps.<id>.output}`, `${run.format_command}`) and `when` conditions (CEL over
 * `steps`, `spec`, `item`, `run`, `vars`) see, built from the recorded state only, so a
 * resumed run expands and decides exactly as an uninterrupted one.
 */
export interface ItemRef {
  /** The item's key in the run state (a spec id, `item-<n>`, or the workflow's name). */
  key: string;
  /** The spec, for `for_each: specs`. */
  spec?: Spec;
  /** `${item}`: the list entry or command line (the spec id for specs). */
  text: string;
  title: string;
}

function stepView(record: StepRecord | undefined): Record<string, unknown> {
  return {
    ok: record?.ok ?? false,
    skipped: record?.skipped ?? record === undefined,
    output: record?.output ?? '',
    exit_code: BigInt(record?.exitCode ?? 0),
    changed: record?.changed ?? false,
    failure: record?.failure ?? '',
  };
}

/** The context of one item at one moment: every step of the workflow is present. */
export function itemContext(
  session: RunSession,
  workflow: Workflow,
  item: ItemRef,
  cursor: Cursor | null | undefined,
): Record<string, unknown> {
  const { state } = session;
  const run = state.workflowRun;
  const steps: Record<string, unknown> = {};
  for (const s of workflow.steps) steps[s.id] = stepView(cursor?.steps[s.id]);
  const spec = item.spec;
  const commands = state.plan?.projectCommands ?? {};
  const runView = {
    id: state.runId,
    cost_usd: state.totals.cost ?? 0,
    // Counts are CEL ints (`run.iterations + 1 < 3`), the cost a double.
    tokens: BigInt(totalTokens(state.totals.usage)),
    iterations: BigInt(state.totals.iterations),
    commits: BigInt(state.totals.commits),
    elapsed_s: BigInt(Math.floor(elapsedMs(session) / 1000)),
    attempt: BigInt(cursor?.attempt ?? 1),
    format_command: state.plan?.formatCommand ?? '',
    build_command: commands.build ?? '',
    test_command: commands.test ?? '',
    lint_command: commands.lint ?? '',
    typecheck_command: commands.typecheck ?? '',
    branch: state.branch,
  };
  // A default may name the project's command (`test: '${run.test_command}'`); values
  // given with --var and captured outputs are taken as they are.
  const defaults: Record<string, string> = {};
  for (const [name, value] of Object.entries(workflow.vars)) {
    try {
      defaults[name] = expandTemplate(value, { run: runView });
    } catch {
      defaults[name] = value; // not a run.* template: the step that uses it says so
    }
  }
  return {
    steps,
    spec: spec
      ? {
          id: spec.id,
          title: spec.title,
          body: spec.body,
          file: spec.file,
          priority: spec.priority ?? '',
          category: spec.category ?? '',
        }
      : { id: item.key, title: item.title, body: item.text, file: '', priority: '', category: '' },
    item: item.text,
    vars: { ...defaults, ...run?.vars, ...run?.captured },
    feedback: cursor?.feedback ?? '',
    run: runView,
  };
}

export class TemplateError extends Error {}

function lookup(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * `${a.b}` replaced by its value in `context`; `$${` is a literal `${`. An unknown
 * name throws a TemplateError naming it (the validator reports these before a run).
 */
export function expandTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$(\$?)\{([^}]*)\}/g, (whole, escaped: string, name: string) => {
    if (escaped) return whole.slice(1);
    const key = name.trim();
    const value = lookup(context, key);
    if (value === undefined || (typeof value === 'object' && value !== null)) {
      throw new TemplateError(`unknown variable \${${key}} in a template`);
    }
    return String(value);
  });
}

/** A `when` condition: true, false, or the reason it cannot be decided. */
export function evaluateWhen(
  expression: string,
  context: Record<string, unknown>,
): { ok: true; value: boolean } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = evaluate(expression, context);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { ok: false, message: `when: ${expression}: ${message}` };
  }
  if (typeof value !== 'boolean') {
    return { ok: false, message: `when: ${expression}: not true or false` };
  }
  return { ok: true, value };
}
