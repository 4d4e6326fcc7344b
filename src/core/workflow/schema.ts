import { z } from 'zod';

/**
 * The one definition of mmm's workflow file format (docs/workflows.md). The parser checks
 * each part of a file against these schemas (so the keys it accepts are exactly the keys
 * listed here) and docs/workflow.schema.json is generated from `workflowFileSchema`
 * (tests/workflow/schema.test.ts keeps it current; UPDATE_WORKFLOW_SCHEMA=1 rewrites it).
 */

/** Step ids and capture names: usable as `steps.<id>` in CEL and `${steps.<id>.output}`. */
export const STEP_ID = /^[a-z][a-z0-9_-]*$/;
export const VAR_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const template = z.string().min(1);
const positiveInt = z.number().int().positive();

const budgetSchema = z
  .strictObject({
    usd: z.number().positive().optional().describe('Stop the step past this cost (USD)'),
    tokens: positiveInt.optional().describe('Stop the step past this many tokens'),
  })
  .describe('A per-step budget');

export const onFailureSchema = z
  .strictObject({
    retry: z
      .string()
      .optional()
      .describe('Go back to this earlier step (or this one) with the failure as ${feedback}'),
    max_attempts: positiveInt
      .optional()
      .describe(
        'Attempts of the retried span in total, the first included (default 3 with retry, else 1)',
      ),
    then: z
      .enum(['fail', 'continue', 'stop'])
      .optional()
      .describe('When attempts are used up: fail the item (default), continue, or stop the run'),
  })
  .describe('What to do when the step fails');

/** Keys every step may have, whatever its kind. */
const common = {
  id: z.string().regex(STEP_ID).optional().describe('Unique step id (default <kind>-<n>)'),
  when: z.string().min(1).optional().describe('CEL over steps, spec, item, run, vars'),
  on_failure: onFailureSchema.optional(),
  timeout: z.number().positive().optional().describe('Seconds'),
};

const agentOptions = {
  model: z.string().min(1).optional().describe('Model for this step'),
  max_turns: positiveInt.optional().describe('Model turns for this step'),
  budget: budgetSchema.optional(),
};

export const agentStepSchema = z
  .strictObject({
    ...common,
    agent: template.describe('The task (a template)'),
    ...agentOptions,
  })
  .describe('Ask the model to do a task in the working tree');

export const shellStepSchema = z
  .strictObject({
    ...common,
    shell: template.describe('A shell command (a template)'),
    expect_exit: z.number().int().min(0).max(255).optional().describe('Exit code of success (0)'),
    capture: z.string().regex(VAR_NAME).optional().describe('Also store the output as vars.<name>'),
  })
  .describe('Run a command; its exit code decides success, its output is captured');

export const validateStepSchema = z
  .strictObject({
    ...common,
    validate: z
      .union([
        z.literal(true),
        z.strictObject({
          commands: z
            .union([z.boolean(), z.array(z.enum(['build', 'test', 'lint', 'typecheck'])).min(1)])
            .optional()
            .describe('Run the project commands (true), none (false), or only those named'),
          checks: z.boolean().optional().describe("Run the spec's checks (true)"),
        }),
      ])
      .describe('true, or {commands, checks}'),
  })
  .describe('Run the project commands and the spec checks, with the integrity guard');

export const commitStepSchema = z
  .strictObject({
    ...common,
    commit: template.describe('The commit subject (a template); mmm adds its trailers'),
  })
  .describe("Commit the item's changes");

export const goalSeekStepSchema = z
  .strictObject({
    ...common,
    goal_seek: z.strictObject({
      agent: template.describe('The task (a template); ${feedback} holds the last score'),
      score: template.describe('A command printing a number (the last number counts)'),
      target: z
        .union([z.number(), z.string().regex(/^\$\{vars\.[A-Za-z_]\w*\}$/)])
        .describe('The score to reach: a number, or "${vars.<name>}" so --var sets it'),
      direction: z.enum(['up', 'down']).optional().describe('up: score >= target (default)'),
      max_attempts: positiveInt.optional().describe('Agent attempts (default 3)'),
      ...agentOptions,
    }),
  })
  .describe('Repeat an agent until a score command reaches a target');

const varValue = z.union([z.string(), z.number(), z.boolean()]);

export const workflowStepSchema = z
  .strictObject({
    ...common,
    workflow: z.string().min(1).describe('A workflow name (built-in or project)'),
    vars: z.record(z.string().regex(VAR_NAME), varValue).optional(),
  })
  .describe('Run another workflow for the current item');

/** Each step kind by the key that names it. */
export const STEP_SCHEMAS = {
  agent: agentStepSchema,
  shell: shellStepSchema,
  validate: validateStepSchema,
  commit: commitStepSchema,
  goal_seek: goalSeekStepSchema,
  workflow: workflowStepSchema,
} as const;

export type StepKindKey = keyof typeof STEP_SCHEMAS;
export const STEP_KIND_KEYS = Object.keys(STEP_SCHEMAS) as StepKindKey[];

export const forEachSchema = z
  .union([
    z.literal('specs').describe('The ready specs, in dependency order'),
    z.array(z.union([z.string(), z.number()])).describe('A list of items'),
    z
      .strictObject({
        command: template.describe('A command listing the items'),
        lines: z.boolean().optional().describe('One item per line (true)'),
      })
      .describe('The output of a command'),
    z
      .strictObject({
        specs: z.union([z.literal('ready'), z.literal(true)]).describe('The ready specs'),
        propose: z
          .literal('review')
          .optional()
          .describe('When no spec is ready, a review round writes the next one (review.yml)'),
      })
      .describe('The ready specs, and a review that proposes more'),
  ])
  .describe('Run the steps once per item');

export const workflowFileSchema = z
  .strictObject({
    name: z.string().regex(STEP_ID).optional().describe('Unique; the file name by default'),
    description: z.string().optional(),
    for_each: forEachSchema.optional(),
    vars: z
      .record(z.string().regex(VAR_NAME), varValue)
      .optional()
      .describe('Defaults; --var key=value overrides'),
    steps: z
      .array(
        z.union([
          agentStepSchema,
          shellStepSchema,
          validateStepSchema,
          commitStepSchema,
          goalSeekStepSchema,
          workflowStepSchema,
        ]),
      )
      .min(1),
  })
  .meta({ title: 'mmm workflow', description: 'A workflow file (docs/workflows.md)' });

/** The generated JSON Schema (docs/workflow.schema.json). */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workflowFileSchema, { io: 'input' }) as Record<string, unknown>;
}
