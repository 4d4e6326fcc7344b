import { Option, type Command } from 'commander';
import { ExitCode, InputError } from '../../core/errors.js';
import { parseDuration } from '../../core/run/duration.js';
import type { ImproveOptions } from '../../core/run/options.js';
import { exitCodesHelp } from '../exit-codes-help.js';
import { action } from '../run-command.js';
import { parseDecimal } from '../../core/config/decimal.js';

interface ImproveFlags {
  spec?: string[];
  workflow?: string;
  var?: string[];
  force?: boolean;
  focus?: string;
  model?: string;
  engine?: 'api' | 'claude-code';
  maxIterations?: string;
  parallel?: string;
  maxCost?: string;
  maxTokens?: string;
  maxTime?: string;
  inPlace?: boolean;
  merge?: boolean;
  resume?: string | true;
  json?: boolean;
  tui?: boolean;
  replay?: string;
  replayDelay?: string;
  report?: string;
}

function positiveNumber(
  flag: string,
  value: string | undefined,
  integer: boolean,
  example = integer ? '20' : '2.50',
): number | undefined {
  if (value === undefined) return undefined;
  const n = parseDecimal(value);
  if (n === undefined || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new InputError(
      `${flag} ${value}: expected a positive ${integer ? 'whole number' : 'number'}`,
      {
        hint: `e.g. ${flag} ${example}`,
      },
    );
  }
  return n;
}

/** `--var key=value` (repeatable) as a map; a malformed one is a usage error (exit 2). */
export function parseVars(values: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = eq > 0 ? value.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new InputError(`--var ${value}: expected key=value`, {
        hint: 'e.g. --var area="error handling" (a key is letters, digits and _)',
      });
    }
    vars[key] = value.slice(eq + 1);
  }
  return vars;
}

/** The CLI flags as the engine's options; bad values are usage errors (exit 2). */
export function improveOptions(
  flags: ImproveFlags,
  cwd: string,
  env: NodeJS.ProcessEnv,
): ImproveOptions {
  let maxTime: number | undefined;
  if (flags.maxTime !== undefined) {
    const seconds = parseDuration(flags.maxTime);
    if (seconds === null) {
      throw new InputError(`--max-time ${flags.maxTime}: not a duration`, {
        hint: 'use a number with a unit: 90s, 30m, 1h, 1h30m (a bare number is seconds)',
      });
    }
    maxTime = seconds;
  }
  const replayDelay = flags.replayDelay === undefined ? undefined : Number(flags.replayDelay);
  if (replayDelay !== undefined && (!Number.isFinite(replayDelay) || replayDelay < 0)) {
    throw new InputError(`--replay-delay ${flags.replayDelay}: expected milliseconds (0 or more)`);
  }
  if (flags.focus !== undefined && flags.focus.trim() === '') {
    throw new InputError('--focus needs an area, e.g. --focus "error handling"');
  }
  const options: ImproveOptions = { cwd, env };
  if (flags.workflow !== undefined && flags.workflow.trim() === '') {
    throw new InputError('--workflow needs a name or a path, e.g. --workflow review');
  }
  const set = <K extends keyof ImproveOptions>(key: K, value: ImproveOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('model', flags.model);
  set('engine', flags.engine);
  set('maxIterations', positiveNumber('--max-iterations', flags.maxIterations, true));
  set('parallel', positiveNumber('--parallel', flags.parallel, true, '3'));
  set('maxCost', positiveNumber('--max-cost', flags.maxCost, false));
  set('maxTokens', positiveNumber('--max-tokens', flags.maxTokens, true));
  set('maxTime', maxTime);
  set('specIds', flags.spec?.length ? flags.spec : undefined);
  set('workflow', flags.workflow?.trim());
  set('vars', flags.var?.length ? parseVars(flags.var) : undefined);
  set('force', flags.force);
  set('focus', flags.focus?.trim());
  set('inPlace', flags.inPlace);
  set('merge', flags.merge);
  set('resume', flags.resume);
  set('replayPath', flags.replay);
  set('replayDelayMs', replayDelay);
  return options;
}

export function register(program: Command): void {
  program
    .command('improve')
    .description(
      'let Claude work through the specs (or review the code): verified commits on a run branch',
    )
    .option('--spec <id...>', 'work only on these specs')
    .option(
      '--focus <area>',
      'no specs needed: Claude reviews this area, writes a spec, implements it',
    )
    .option(
      '--workflow <name|path>',
      'the workflow to run: a built-in, .mmm/workflows/<name>.yml, or a file (config: workflow)',
    )
    .option('--var <key=value...>', 'set a workflow variable (repeatable)')
    .option('--model <id>', 'Anthropic model id (config: model)')
    .addOption(
      new Option(
        '--engine <name>',
        'what runs each agent step: the Messages API, or your claude CLI (config: engine; docs/engines.md)',
      ).choices(['api', 'claude-code']),
    )
    .option(
      '--max-iterations <n>',
      'stop after this many attempts in the run (config: max_iterations)',
    )
    .option(
      '--parallel <n>',
      'work on up to n independent specs at once, each in its own worktree (config: parallel)',
    )
    .option('--max-cost <usd>', 'stop past this cost in USD (config: budget.usd)')
    .option('--max-tokens <n>', 'stop past this many tokens (config: budget.tokens)')
    .option(
      '--max-time <duration>',
      'stop past this wall time, e.g. 90s, 30m, 2h (config: budget.time)',
    )
    .option(
      '--in-place',
      'work in this checkout on a new branch instead of a worktree (needs a clean checkout)',
    )
    .option('--merge', 'fast-forward the current branch to the run branch when everything passed')
    .option(
      '--resume [run-id]',
      'continue an interrupted or limited run (default: the latest resumable)',
    )
    .option('--force', '--resume even though the workflow file changed since the run started')
    .option('--json', 'print the run as JSON events, one per line (docs/events.md)')
    .option('--no-tui', 'plain line-by-line progress instead of the terminal UI')
    .option(
      '--report <file>',
      'write the run report to this file at the end (.html: HTML, .json: JSON, else markdown)',
    )
    .addOption(
      new Option('--replay <transcript>', 'serve the model from a recorded transcript').hideHelp(),
    )
    .addOption(new Option('--replay-delay <ms>', 'pause between replayed text chunks').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  $ mmm improve                          work through specs/ in dependency order
  $ mmm improve --spec add-retry         only this spec
  $ mmm improve --focus "error handling" no specs: review, write one, implement it
  $ mmm improve --workflow review --var focus=tests
  $ mmm improve --workflow .mmm/workflows/docs.yml
  $ mmm improve --parallel 3             three independent specs at once, merged in order
  $ mmm improve --max-cost 5 --max-time 1h
  $ mmm improve --resume                 continue the latest interrupted run
  $ mmm improve --engine claude-code     run the agent steps through your claude CLI
  $ mmm improve --report report.html     and write the run's report at the end

${exitCodesHelp({ [ExitCode.Ok]: 'all done', [ExitCode.WorkFailed]: 'some specs failed' })}`,
    )
    .action(
      action(async (flags: ImproveFlags) => {
        const options = improveOptions(flags, process.cwd(), process.env);
        const { checkReportTarget, writeRunReport } = await import('../report-file.js');
        // A --report path that cannot be written is bad input before anything starts.
        const reportTarget =
          flags.report === undefined ? undefined : checkReportTarget(flags.report);
        const { startImprove } = await import('../../core/run/improve.js');
        const { renderRun, chooseMode } = await import('../../ui/render-run.js');
        const run = startImprove(options);
        const mode = chooseMode({ json: flags.json, tui: flags.tui }, process.env, process.stdout);
        // The renderer routes SIGINT/SIGTERM and the TUI's keys to the run: the first
        // asks for a graceful stop, the second aborts.
        const rendering = renderRun(run, { mode });
        let result;
        try {
          result = await run.result;
        } finally {
          await rendering;
        }
        if (reportTarget) await writeRunReport(process.cwd(), result.runId, reportTarget);
        return result.exitCode;
      }),
    );
}
