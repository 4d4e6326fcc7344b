import { Command, CommanderError } from 'commander';
import { setDebug } from '../core/log.js';
import { mmmVersion } from './version.js';
import { reportError } from './run-command.js';
import { ExitCode, InputError } from '../core/errors.js';

/**
 * Thin entry: commander wiring only. Each command lives in src/cli/commands/<name>.ts,
 * exports `register(program)`, and imports its implementation lazily inside the
 * action, so `mmm --version` and `mmm --help` load nothing heavy.
 */
type Register = (program: Command) => void;

async function loadCommands(): Promise<Register[]> {
  // Registration modules are tiny (options + a lazy import), so loading them all is cheap.
  const modules = await Promise.all([
    // COMMANDS: one line per command module, in --help order.
    import('./commands/demo.js'),
    import('./commands/init.js'),
    import('./commands/analyze.js'),
    import('./commands/projects.js'),
    import('./commands/config.js'),
    import('./commands/specs.js'),
    import('./commands/spec.js'),
    import('./commands/improve.js'),
    import('./commands/status.js'),
    import('./commands/runs.js'),
    import('./commands/report.js'),
    import('./commands/workflows.js'),
    import('./commands/workflow.js'),
  ]);
  return modules.map((m: { register: Register }) => m.register);
}

const EXAMPLES = `
Examples:
  $ mmm demo                      see a whole run, offline, in a minute
  $ mmm init                      set up mmm in this repository
  $ mmm analyze                   what mmm learns about this project
  $ mmm specs validate --strict   check the spec files (CI-friendly)
  $ mmm improve                   let Claude work through specs/
  $ mmm improve --resume          continue an interrupted run
  $ mmm report --out report.html  what the last run did, as one page with charts

Exit codes: 0 ok · 1 some work failed · 2 bad input · 3 limit reached (resumable)
            4 provider/auth error · 130 interrupted (resumable)
Docs: README.md and docs/ in the mmm repository.
`;

export async function buildProgram(): Promise<Command> {
  const program = new Command('mmm')
    .description(
      'Spec-driven, autonomous code improvement with Claude: specs in, tested commits out.',
    )
    .version(mmmVersion(), '-V, --version', 'print the version')
    .option('--debug', 'show internal details and stack traces (or MMM_DEBUG=1)')
    .showHelpAfterError('hint: run `mmm --help` or `mmm <command> --help` for usage')
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'mmm: ')) })
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .hook('preAction', (cmd) => {
      if (cmd.opts<{ debug?: boolean }>().debug) setDebug(true);
    });
  for (const register of await loadCommands()) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--debug')) setDebug(true);
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput;
      return;
    }
    process.exitCode = reportError(error instanceof Error ? error : new InputError(String(error)));
  }
}
