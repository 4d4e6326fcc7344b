import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '../config/did-you-mean.js';
import type { ProblemSink } from '../specs/yaml-context.js';
import type {
  ForEach,
  GoalSeekStep,
  OnFailure,
  ProjectCommandName,
  Step,
  StepBudget,
  Workflow,
} from './model.js';
import { STEP_KIND_KEYS, STEP_SCHEMAS, workflowFileSchema, type StepKindKey } from './schema.js';
import { reportIssues } from './yaml-issues.js';

/** A parsed workflow without its source, and the YAML node of each step (for positions). */
export interface ReadWorkflow {
  workflow: Omit<Workflow, 'source'>;
  stepNodes: Node[];
}

const topLevelSchema = workflowFileSchema.extend({ steps: z.array(z.unknown()).min(1) });

type Raw = Record<string, unknown>;

/**
 * mmm's own format: a mapping with `steps`. Every problem goes to `sink`; the workflow is
 * usable only when the sink has no error (it is returned anyway for the whole-file checks).
 */
export function readMmmWorkflow(
  doc: Document,
  defaultName: string,
  sink: ProblemSink,
): ReadWorkflow {
  const raw = doc.toJS() as Raw;
  const top = topLevelSchema.safeParse(raw);
  if (!top.success) reportIssues(top.error.issues, workflowFileSchema, doc, [], sink);
  const stepsNode = doc.get('steps', true) as Node | undefined;
  const steps: Step[] = [];
  const stepNodes: Node[] = [];
  const vars = looseVars(raw.vars);
  if (isSeq(stepsNode)) {
    stepsNode.items.forEach((item, index) => {
      const node = item as Node;
      // A step in error stays as a placeholder holding its id, so the checks of the other
      // steps (retry targets, ${steps.<id>…}) still run and report everything at once.
      const step = readStep(doc, node, index, sink, vars) ?? placeholder(node, index);
      steps.push(step);
      stepNodes.push(node);
    });
  }
  const data = top.success ? top.data : undefined;
  const workflow: Omit<Workflow, 'source'> = {
    name: data?.name ?? defaultName,
    description: data?.description ?? '',
    vars: data ? stringValues(data.vars) : looseVars(raw.vars),
    steps,
  };
  const forEach = data ? toForEach(data.for_each) : looseForEach(raw.for_each);
  if (forEach) workflow.forEach = forEach;
  return { workflow, stepNodes };
}

function placeholder(node: Node, index: number): Step {
  const id = isMap(node) ? node.get('id') : undefined;
  return {
    kind: 'shell',
    id: typeof id === 'string' ? id : `step-${index + 1}`,
    command: '',
    expectExit: 0,
    pos: { line: 0, col: 0 },
  };
}

/** The variables of a file whose top level has problems, for the checks that still run. */
function looseVars(vars: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
    for (const [k, v] of Object.entries(vars)) out[k] = String(v);
  }
  return out;
}

function looseForEach(value: unknown): ForEach | undefined {
  if (value === 'specs' || (typeof value === 'object' && value !== null && 'specs' in value))
    return { kind: 'specs' };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(String) };
  return value === undefined ? undefined : { kind: 'list', items: [] };
}

function stringValues(
  vars: Record<string, string | number | boolean> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars ?? {})) out[k] = String(v);
  return out;
}

function toForEach(value: z.infer<typeof workflowFileSchema>['for_each']): ForEach | undefined {
  if (value === undefined) return undefined;
  if (value === 'specs') return { kind: 'specs' };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(String) };
  if ('specs' in value) {
    return { kind: 'specs', ...(value.propose === 'review' ? { propose: 'review' as const } : {}) };
  }
  return { kind: 'command', command: value.command, lines: value.lines ?? true };
}

/** The kind key of a step mapping, or a problem. */
function stepKind(node: YAMLMap, index: number, sink: ProblemSink): StepKindKey | undefined {
  const keys = node.items.map((p) => String((p.key as { value?: unknown } | null)?.value ?? ''));
  const kinds = keys.filter((k): k is StepKindKey => (STEP_KIND_KEYS as string[]).includes(k));
  if (kinds.length === 1) return kinds[0];
  const at = sink.nodePosition(node);
  if (kinds.length > 1) {
    sink.error(
      at,
      `steps[${index}] has ${kinds.join(' and ')}: a step does one thing, split it in two`,
    );
    return undefined;
  }
  const guess = keys.map((k) => didYouMean(k, STEP_KIND_KEYS)).find(Boolean);
  sink.error(
    at,
    `steps[${index}] has no kind: give it one of ${STEP_KIND_KEYS.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
  );
  return undefined;
}

function readStep(
  doc: Document,
  node: Node,
  index: number,
  sink: ProblemSink,
  vars: Record<string, string>,
): Step | undefined {
  if (!isMap(node)) {
    sink.error(
      sink.nodePosition(node),
      `steps[${index}] must be a mapping such as {shell: "npm test"}`,
    );
    return undefined;
  }
  const kind = stepKind(node, index, sink);
  if (!kind) return undefined;
  const schema = STEP_SCHEMAS[kind];
  const parsed = schema.safeParse(node.toJSON());
  if (!parsed.success) reportIssues(parsed.error.issues, schema, doc, ['steps', index], sink);
  // With only unknown keys wrong, the rest of the step is still read and checked.
  const data = parsed.success ? parsed.data : z.object(schema.shape).safeParse(node.toJSON()).data;
  if (data === undefined) return undefined;
  const step = toStep(kind, data as Raw, index, sink.nodePosition(node), vars);
  if (step.kind === 'goal_seek' && step.targetVar !== undefined && !Number.isFinite(step.target)) {
    const at = sink.nodePosition(doc.getIn(['steps', index, 'goal_seek', 'target'], true) as Node);
    const name = step.targetVar;
    sink.error(
      at,
      name in vars
        ? `target: vars.${name} must default to a number (got ${JSON.stringify(vars[name])})`
        : `target: no variable "${name}": declare it under vars: with a number as its default`,
    );
  }
  return step;
}

function toOnFailure(raw: unknown): OnFailure | undefined {
  if (!raw) return undefined;
  const r = raw as { retry?: string; max_attempts?: number; then?: OnFailure['then'] };
  const out: OnFailure = {
    maxAttempts: r.max_attempts ?? (r.retry ? 3 : 1),
    then: r.then ?? 'fail',
  };
  if (r.retry !== undefined) out.retry = r.retry;
  // A retry without max_attempts takes the run's max_attempts (config, or the spec's own).
  if (r.retry !== undefined && r.max_attempts === undefined) out.maxAttemptsFromConfig = true;
  return out;
}

/** `target: 90`, or `target: "${vars.x}"` (the variable's default as the number). */
function goalTarget(
  target: unknown,
  vars: Record<string, string>,
): Pick<GoalSeekStep, 'target' | 'targetVar'> {
  if (typeof target === 'number') return { target };
  const name = /^\$\{vars\.(\w+)\}$/.exec(String(target).trim())?.[1] ?? '';
  return { target: Number(vars[name]), targetVar: name };
}

function agentOptions(r: Raw): { model?: string; maxTurns?: number; budget?: StepBudget } {
  const out: { model?: string; maxTurns?: number; budget?: StepBudget } = {};
  if (typeof r.model === 'string') out.model = r.model;
  if (typeof r.max_turns === 'number') out.maxTurns = r.max_turns;
  if (r.budget) out.budget = r.budget as StepBudget;
  return out;
}

function toStep(
  kind: StepKindKey,
  r: Raw,
  index: number,
  pos: { line: number; column: number },
  vars: Record<string, string>,
): Step {
  const common = {
    id: typeof r.id === 'string' ? r.id : `${kind}-${index + 1}`,
    pos: { line: pos.line, col: pos.column },
    ...(typeof r.when === 'string' ? { when: r.when } : {}),
    ...(r.on_failure ? { onFailure: toOnFailure(r.on_failure) } : {}),
    ...(typeof r.timeout === 'number' ? { timeout: r.timeout } : {}),
  };
  switch (kind) {
    case 'agent':
      return { ...common, kind, prompt: String(r.agent), ...agentOptions(r) };
    case 'shell':
      return {
        ...common,
        kind,
        command: String(r.shell),
        expectExit: typeof r.expect_exit === 'number' ? r.expect_exit : 0,
        ...(typeof r.capture === 'string' ? { capture: r.capture } : {}),
      };
    case 'validate': {
      const v =
        r.validate === true
          ? {}
          : (r.validate as { commands?: boolean | ProjectCommandName[]; checks?: boolean });
      const only = Array.isArray(v.commands) ? { only: v.commands } : {};
      return { ...common, kind, commands: v.commands !== false, checks: v.checks ?? true, ...only };
    }
    case 'commit':
      return { ...common, kind, message: String(r.commit) };
    case 'goal_seek': {
      const g = r.goal_seek as Raw;
      return {
        ...common,
        kind,
        prompt: String(g.agent),
        score: String(g.score),
        ...goalTarget(g.target, vars),
        direction: g.direction === 'down' ? 'down' : 'up',
        maxAttempts: typeof g.max_attempts === 'number' ? g.max_attempts : 3,
        ...agentOptions(g),
      };
    }
    case 'workflow':
      return {
        ...common,
        kind,
        workflow: String(r.workflow),
        vars: stringValues(r.vars as Record<string, string> | undefined),
      };
  }
}
