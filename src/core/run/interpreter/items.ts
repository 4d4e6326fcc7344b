import { didYouMean } from '../../config/did-you-mean.js';
import { InputError } from '../../errors.js';
import { runShell } from '../../validate/index.js';
import type { Workflow } from '../../workflow/model.js';
import type { ImproveOptions } from '../options.js';
import type { RunSession } from '../session.js';
import type { SpecState } from '../store/state.js';

/**
 * What a workflow runs over, fixed when the run starts (so a resume sees the same list):
 * a YAML list, the lines a command prints, or — without `for_each` — one item named
 * after the workflow. Items are recorded like specs in the run state (`item-<n>`, the
 * entry as title), so status, events and renderers show them the same way.
 */
export function proposes(workflow: Workflow): boolean {
  return workflow.forEach?.kind === 'specs' && workflow.forEach.propose === 'review';
}

/**
 * The `--var` (and `--focus`) values, recorded in the run state; an undeclared key is
 * exit 2. The workflow's defaults are not copied: they are filled in when a step runs
 * (interpreter/context.ts), so a default may name the project's command (`${run.test_command}`).
 */
export function workflowVars(
  workflow: Workflow,
  options: Pick<ImproveOptions, 'vars' | 'focus'>,
): Record<string, string> {
  const given = {
    ...options.vars,
    ...(options.focus !== undefined ? { focus: options.focus } : {}),
  };
  const known = Object.keys(workflow.vars);
  const problems = Object.keys(given)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const guess = didYouMean(key, known);
      return `--var ${key}: workflow ${workflow.name} has no variable ${key}${guess ? ` (did you mean "${guess}"?)` : ''}`;
    });
  if (problems.length) {
    throw new InputError(`unknown workflow variable${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: known.length
        ? `the variables of ${workflow.name}: ${known.join(', ')} (declare more under vars: in ${workflow.source.path})`
        : `${workflow.name} declares no variables (add them under vars: in ${workflow.source.path})`,
    });
  }
  return given;
}

export interface ItemPlan {
  order: string[];
  specs: Record<string, SpecState>;
  texts: string[];
}

function plan(texts: string[]): ItemPlan {
  const order = texts.map((_, i) => `item-${i + 1}`);
  const specs: Record<string, SpecState> = {};
  texts.forEach((text, i) => {
    specs[order[i] as string] = { title: text, file: '', status: 'pending', attempts: 0 };
  });
  return { order, specs, texts };
}

/** The items of a workflow without `for_each: specs`, in the run's work tree. */
export async function planItems(session: RunSession): Promise<ItemPlan> {
  const { workflow } = session;
  const forEach = workflow.forEach;
  if (!forEach)
    return { ...plan([workflow.name]), order: [workflow.name], specs: single(workflow) };
  if (forEach.kind === 'list') return plan(forEach.items);
  if (forEach.kind !== 'command') return plan([]);
  const run = await runShell(forEach.command, {
    cwd: session.workDir,
    timeoutSec: session.config.validate.timeout,
    ...(session.tools.sandbox ? { sandbox: session.tools.sandbox } : {}),
  });
  if (run.exitCode !== 0) {
    throw new InputError(
      `for_each: \`${forEach.command}\` exited with ${run.exitCode ?? run.signal ?? 'an error'} in ${workflow.source.path}`,
      {
        hint: `its output ends with: ${run.output.trim().split('\n').slice(-3).join(' / ') || '(nothing)'}`,
      },
    );
  }
  const texts = forEach.lines
    ? run.output
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [run.output.trim()].filter(Boolean);
  return plan(texts);
}

function single(workflow: Workflow): Record<string, SpecState> {
  return {
    [workflow.name]: {
      title: workflow.description || workflow.name,
      file: '',
      status: 'pending',
      attempts: 0,
    },
  };
}
