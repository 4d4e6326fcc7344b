import { z } from 'zod';
import { branchPrefixProblem, patternProblem } from './rules.js';
import { specDirSchema } from './spec-dir-schema.js';

/**
 * The single source of truth for mmm's configuration. Every layer (defaults, global
 * file, project file, MMM_* environment, CLI flags) is validated against this schema,
 * and `mmm config schema` prints the JSON Schema generated from it.
 *
 * Durations are seconds. Money is USD. A command set to "" is disabled; a command left
 * unset is taken from the project analyzer.
 */
const seconds = z.number().positive();

/** A string refined by a rule that returns why it is unusable (see rules.ts). */
const checked = (rule: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = rule(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const pricingSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per million input tokens'),
    output: z.number().nonnegative().describe('USD per million output tokens'),
    cache_write: z.number().nonnegative().optional().describe('USD per million cache-write tokens'),
    cache_read: z.number().nonnegative().optional().describe('USD per million cache-read tokens'),
  })
  .strict();

export const commandsSchema = z
  .object({
    build: z.string().optional(),
    test: z.string().optional(),
    lint: z.string().optional(),
    typecheck: z.string().optional(),
    format: z.string().optional(),
  })
  .strict()
  .describe('Project commands; unset = detected by the analyzer, "" = disabled');

export const configSchema = z
  .object({
    model: z.string().min(1).default('claude-sonnet-5-5').describe('Anthropic model id'),
    max_iterations: z.number().int().positive().default(10).describe('Spec attempts per run'),
    max_attempts: z.number().int().positive().default(3).describe('Attempts per spec'),
    parallel: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe('Specs worked on at once, each in its own worktree (docs/improve.md)'),
    max_turns: z.number().int().positive().default(50).describe('Model turns per attempt'),
    max_output_tokens: z.number().int().positive().default(16000),
    spec_dir: specDirSchema,
    budget: z
      .object({
        usd: z.number().positive().optional().describe('Stop the run past this cost (USD)'),
        tokens: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Stop the run past this many tokens'),
        time: seconds.optional().describe('Stop the run past this wall time (seconds)'),
      })
      .strict()
      .default({}),
    commands: commandsSchema.default({}),
    validate: z
      .object({
        run: z
          .array(z.enum(['build', 'test', 'lint', 'typecheck']))
          .default(['test', 'lint', 'typecheck'])
          .describe('Project commands run to validate each attempt'),
        timeout: seconds.default(600).describe('Per validation command'),
        baseline: z
          .enum(['tolerate', 'require-green'])
          .default('tolerate')
          .describe(
            'Failures on the untouched run branch: tolerate them as pre-existing, or stop the run (exit 2)',
          ),
        protect: z
          .array(z.string().min(1))
          .default([])
          .describe('Globs no attempt may change (integrity guard), e.g. "scripts/ci/**"'),
        require_evidence: z
          .boolean()
          .default(false)
          .describe('Every acceptance criterion needs verified evidence for the spec to pass'),
      })
      .strict()
      .default({
        run: ['test', 'lint', 'typecheck'],
        timeout: 600,
        protect: [],
        require_evidence: false,
        baseline: 'tolerate',
      }),
    git: z
      .object({
        branch_prefix: checked(branchPrefixProblem).default('mmm/'),
        worktree: z.boolean().default(true).describe('Work in .mmm/worktrees/<run-id>'),
      })
      .strict()
      .default({ branch_prefix: 'mmm/', worktree: true }),
    tools: z
      .object({
        bash_timeout: seconds.default(120),
        output_limit: z.number().int().positive().default(30000).describe('Characters'),
        allow: z
          .array(checked(patternProblem))
          .default([])
          .describe('Command patterns always allowed'),
        deny: z
          .array(checked(patternProblem))
          .default([])
          .describe('Extra command patterns refused'),
        sandbox: z
          .enum(['auto', 'bwrap', 'off'])
          .default('auto')
          .describe('Sandbox for the agent shell and validation commands (docs/tools.md)'),
        network: z
          .boolean()
          .default(true)
          .describe('Network access inside the sandbox (false: none, loopback included)'),
        max_file_size: z
          .number()
          .int()
          .positive()
          .default(10_000_000)
          .describe('Bytes; larger files are refused by the edit tool (use bash instead)'),
      })
      .strict()
      .default({
        bash_timeout: 120,
        output_limit: 30000,
        allow: [],
        deny: [],
        sandbox: 'auto',
        network: true,
        max_file_size: 10_000_000,
      }),
    provider: z
      .object({
        base_url: z.string().url().optional().describe('Anthropic-compatible server'),
        tool_schema: z.enum(['auto', 'anthropic', 'custom']).default('auto'),
        max_retries: z
          .number()
          .int()
          .nonnegative()
          .default(8)
          .describe('Retries of a failed request (about 2 minutes of backoff)'),
        retry_max_wait: seconds.default(60).describe('Cap on any single retry wait'),
        timeout: seconds.default(600).describe('Per request'),
        idle_timeout: seconds
          .default(120)
          .describe('A response stream silent this long is aborted and retried'),
      })
      .strict()
      .default({
        tool_schema: 'auto',
        max_retries: 8,
        retry_max_wait: 60,
        timeout: 600,
        idle_timeout: 120,
      }),
    context: z
      .object({
        compact_threshold: z.number().gt(0).lte(1).default(0.6).describe('Share of the window'),
        window: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("The model's context window in tokens (unset: mmm's table)"),
      })
      .strict()
      .default({ compact_threshold: 0.6 }),
    pricing: z.record(z.string(), pricingSchema).default({}).describe('Per-model price overrides'),
    engine: z
      .enum(['api', 'claude-code'])
      .default('api')
      .describe(
        'What runs each agent step: mmm on the Messages API, or the claude CLI (docs/engines.md)',
      ),
    claude_code: z
      .object({
        path: z.string().min(1).optional().describe('The claude binary; default: claude on PATH'),
        permission_mode: z
          .enum(['dontAsk', 'acceptEdits', 'bypassPermissions'])
          .default('dontAsk')
          .describe(
            "Claude Code's --permission-mode: dontAsk runs only what mmm's rules allow; bypassPermissions skips every check (docs/engines.md)",
          ),
        continue_session: z
          .boolean()
          .default(false)
          .describe("A retry resumes the failed attempt's Claude Code session (--resume)"),
      })
      .strict()
      .default({ permission_mode: 'dontAsk', continue_session: false }),
    specs: z
      .object({
        missing_dependency: z
          .enum(['done', 'error'])
          .default('done')
          .describe(
            'A dependency on a spec number with no file: assumed done (a warning), or an error',
          ),
        max_size: z
          .number()
          .int()
          .positive()
          .default(65536)
          .describe('Bytes over which a spec is warned about and cut for the model'),
      })
      .strict()
      .default({ missing_dependency: 'done', max_size: 65536 }),
    workflow: z
      .string()
      .min(1)
      .default('specs')
      .describe('What `mmm improve` runs: a workflow name or a path (docs/workflows.md)'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ModelPricing = z.infer<typeof pricingSchema>;
export type ProjectCommandName = keyof z.infer<typeof commandsSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
