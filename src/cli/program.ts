import { Command, CommanderError } from 'commander';
import { setDebug } from '../core/log.js';
import { mmmVersion } from './version.js';
import { reportError } from './run-command.js';
import { ExitCode, InputError } from '../core/errors.js';
import { exitCodesHelp } from './exit-codes-help.js';

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

${exitCodesHelp()}
Docs: README.md and docs/ in the mmm repository.
`;

/**
 * `mmm <command> …` loads that command's module alone: each lives in
 * commands/<command>.ts. Anything else (no command, `help`, a typo) loads them all, so
 * --help and commander's suggestions see every command.
 */
async function loadOne(name: string | undefined): Promise<Register | null> {
  if (!name || !/^[a-z]+$/.test(name)) return null;
  try {
    const module = (await import(`./commands/${name}.js`)) as { register?: Register };
    return module.register ?? null;
  } catch {
    return null;
  }
}

/** The first argument that is not an option: the command (mmm's own options take no value). */
function commandName(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

function baseProgram(): Command {
  return new Command('mmm')
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
}

export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const name = argv ? commandName(argv) : undefined;
  const one = await loadOne(name);
  if (one) {
    const program = baseProgram();
    one(program);
    if (program.commands.some((c) => c.name() === name)) return program;
  }
  const program = baseProgram();
  for (const register of await loadCommands()) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--debug')) setDebug(true);
  const program = await buildProgram(argv);
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
