import type { Analysis } from '../analyze/types.js';
import { COMMAND_NAMES, type CommandName } from '../analyze/types.js';
import { defaultConfig } from '../config/schema.js';

/**
 * The text of a new `.mmm/config.toml`: the commands the analyzer is sure of,
 * guesses commented out with the reason, and commented examples of the main keys
 * with their default values. Top-level keys come before any table, so uncommenting
 * a line never moves a key into the wrong table.
 */
function toml(value: string | number | boolean | string[]): string {
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function renderProjectConfig(analysis: Analysis): string {
  const d = defaultConfig();
  const lines: string[] = [
    '# mmm project configuration (docs/config.md). Reference: `mmm config schema`.',
    '# Layers, lowest first: defaults, ~/.config/mmm/config.toml, this file,',
    '# MMM_<KEY> environment variables (nested keys with __), command-line flags.',
    '# Uncomment a line to change a value; the commented values are the defaults.',
    '',
    `# model = ${toml(d.model)}`,
    `# max_iterations = ${d.max_iterations}   # spec attempts per run`,
    `# max_attempts = ${d.max_attempts}     # attempts per spec`,
    `# max_turns = ${d.max_turns}       # model turns per attempt`,
    `# spec_dir = ${toml(d.spec_dir)}`,
    '',
    '# Commands mmm runs to validate each attempt, detected by `mmm analyze`.',
    '# Unset (commented) = detected again at each run; "" = disabled.',
    '[commands]',
  ];
  for (const name of COMMAND_NAMES) lines.push(commandLine(analysis, name));
  lines.push(
    '',
    '[budget]',
    '# usd = 5.0        # stop the run past this cost',
    '# tokens = 2000000 # stop the run past this many tokens',
    '# time = 3600      # stop the run past this wall time (seconds)',
    '',
    '[validate]',
    `# run = ${toml(d.validate.run)}`,
    `# timeout = ${d.validate.timeout}   # seconds per validation command`,
    `# baseline = ${toml(d.validate.baseline)}   # tolerate | require-green: failures before the first attempt`,
    '# protect = ["scripts/ci/**"]   # globs no attempt may change (integrity guard)',
    `# require_evidence = ${d.validate.require_evidence}   # every acceptance criterion needs verified evidence`,
    '',
    '[git]',
    `# branch_prefix = ${toml(d.git.branch_prefix)}`,
    `# worktree = ${d.git.worktree}      # work in .mmm/worktrees/<run-id>, never in your checkout`,
    '',
    '[tools]',
    `# bash_timeout = ${d.tools.bash_timeout}   # seconds`,
    `# output_limit = ${d.tools.output_limit} # characters of command output shown to the model`,
    '# allow = ["make *"]   # command patterns always allowed',
    '# deny = ["curl *"]    # extra command patterns refused',
    `# sandbox = ${toml(d.tools.sandbox)}   # auto | bwrap | off: the shell and checks run in bubblewrap`,
    `# network = ${d.tools.network}     # false: no network inside the sandbox`,
    `# max_file_size = ${d.tools.max_file_size}   # bytes; bigger files are refused by the edit tool`,
    '',
    '[provider]',
    '# base_url = "http://localhost:4000"   # any Anthropic-compatible server',
    `# max_retries = ${d.provider.max_retries}`,
    '',
  );
  return lines.join('\n');
}

/**
 * One `[commands]` line. Written uncommented only when the analyzer is not guessing and,
 * after --verify, the command ran; a command that cannot run is always commented out.
 */
function commandLine(analysis: Analysis, name: CommandName): string {
  const src = analysis.commandSources[name];
  const cmd = analysis.commands[name];
  if (!cmd) return `# ${name} = ""   # not detected: set the command that ${verb(name)}`;
  const v = src?.verification;
  if (v?.status === 'cannot-run')
    return `# ${name} = ${toml(cmd)}   # cannot run here${v.hint ? `: ${v.hint}` : ''}`;
  if (src && src.confidence === 'guess')
    return `# ${name} = ${toml(cmd)}   # guess from ${src.source}: check, then uncomment`;
  const proof = v
    ? v.status === 'passes'
      ? ' · verified: runs and passes'
      : v.status === 'fails'
        ? ` · verified: runs, fails now${v.failures !== undefined ? ` (${v.failures} failures)` : ''}`
        : ' · timed out when verified'
    : '';
  return `${name} = ${toml(cmd)}${src ? `   # from ${src.source}${proof}` : ''}`;
}

function verb(name: (typeof COMMAND_NAMES)[number]): string {
  switch (name) {
    case 'build':
      return 'builds the project';
    case 'test':
      return 'runs the tests';
    case 'lint':
      return 'runs the linter';
    case 'typecheck':
      return 'type-checks the code';
    case 'format':
      return 'formats the code in place';
  }
}
