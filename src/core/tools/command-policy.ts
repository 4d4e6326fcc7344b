import { nestedRuns, unwrap } from './command-wrappers.js';
import { dotGitRule } from './dot-git-rule.js';
import { GIT_ENV, GIT_GLOBAL_WITH_VALUE, gitRule } from './git-policy.js';
import { commandExtras, splitCommands, type SimpleCommand } from './shell-words.js';

const MAX_NESTING = 8;

/**
 * Which shell commands the model may run. Every simple command inside the command
 * line (see shell-words.ts) is unwrapped — leading `VAR=value` assignments and
 * wrappers like `env`, `time -p`, `nohup`, `timeout`, `xargs` removed, the program's
 * directory dropped (command-wrappers.ts) — and then:
 *   1. refused if it matches a configured deny pattern;
 *   2. allowed if it matches a configured allow pattern;
 *   3. refused if a default rule (mmm owns git, see git-policy.ts; `.git` is left alone,
 *      see dot-git-rule.ts; no sudo; nothing destructive) matches.
 * Patterns see the command with git's global options removed (`git -C sub commit` is
 * matched as `git commit`). What a command runs from strings — `bash -c`, `eval`,
 * `env -S`, `find -exec`, a heredoc fed to a shell — is checked the same way; a shell
 * that reads a script it cannot see (`curl … | sh`) is refused.
 * Pattern syntax (config tools.allow / tools.deny):
 *   - glob: `*` any characters (spaces included), `?` one character; the pattern matches
 *     the normalized command or any prefix of it that ends at a word boundary, so
 *     `git push` matches `git push origin main`; e.g. `npm publish`, `git commit*`.
 *   - `re:<regex>`: a JavaScript regular expression searched in the normalized command,
 *     e.g. `re:^curl .*\|\s*sh`.
 */
export type PolicyDecision =
  { allowed: true } | { allowed: false; command: string; reason: string };

export interface PolicyConfig {
  allow: readonly string[];
  deny: readonly string[];
}

type Matcher = (command: string) => boolean;

export function compilePattern(pattern: string): Matcher {
  if (pattern.startsWith('re:')) {
    const re = new RegExp(pattern.slice(3));
    return (cmd) => re.test(cmd);
  }
  const glob = pattern
    .trim()
    .split(/(\*+|\?)/)
    .map((part) =>
      part.startsWith('*') ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^(?:${glob})(?: .*)?$`, 's');
  return (cmd) => re.test(cmd);
}

/** Drops assignments and wrappers; the program's path becomes its name; git global options go. */
export function normalize(words: SimpleCommand): string[] {
  const { argv } = unwrap(words);
  return argv[0] === 'git' ? ['git', ...argv.slice(1 + gitGlobalCount(argv.slice(1)))] : argv;
}

function gitGlobalCount(args: readonly string[]): number {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (GIT_GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) break;
  }
  return i;
}

const DANGEROUS_RM_TARGET =
  /^(\/+\*?|~\/?\*?|\$\{?HOME\}?\/?\*?|\.\/?\*?|\.\.\/?\*?|\/[^/]+\/?|\.git\/?)$/;

function defaultRule(argv: string[], openEnded: boolean): string | undefined {
  const [name = '', ...args] = argv;
  switch (name) {
    case 'git':
      return gitRule(args, openEnded);
    case 'sudo':
    case 'su':
    case 'doas':
    case 'pkexec':
    case 'runuser':
      return `${name} is not allowed: commands run as the current user only. If something needs root, say so in your final summary instead.`;
    case 'rm': {
      const recursive = args.some((a) => a === '--recursive' || /^-[a-zA-Z]*[rR]/.test(a));
      const target = args.find((a) => !a.startsWith('-') && DANGEROUS_RM_TARGET.test(a));
      if (args.includes('--no-preserve-root') || (recursive && target !== undefined)) {
        return `rm -r ${target ?? '/'} is not allowed: it would delete the whole project, your home or the system. Remove specific files or directories inside the project instead.`;
      }
      return undefined;
    }
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
    case 'mkfs':
      return `${name} is not allowed on the user's machine.`;
    case 'dd':
      return args.some((a) => /^of=\/dev\//.test(a)) ? 'dd to a device is not allowed.' : undefined;
    case 'chmod':
    case 'chown':
      return args.some((a) => /^-[a-zA-Z]*R/.test(a)) &&
        args.some((a) => DANGEROUS_RM_TARGET.test(a) && a !== '.' && a !== './')
        ? `${name} -R on the system or your home is not allowed; change specific files inside the project.`
        : undefined;
    default:
      return name.startsWith('mkfs.') ? `${name} is not allowed on the user's machine.` : undefined;
  }
}

export class CommandPolicy {
  private readonly allow: Matcher[];
  private readonly deny: { pattern: string; test: Matcher }[];

  constructor(config: PolicyConfig) {
    this.allow = config.allow.map(compilePattern);
    this.deny = config.deny.map((pattern) => ({ pattern, test: compilePattern(pattern) }));
  }

  check(commandLine: string): PolicyDecision {
    if (/:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}/.test(commandLine)) {
      return { allowed: false, command: ':(){ :|:& };:', reason: 'fork bombs are not allowed.' };
    }
    return this.checkLine(commandLine, 0);
  }

  private checkLine(commandLine: string, depth: number): PolicyDecision {
    for (const words of splitCommands(commandLine)) {
      const decision = this.checkWords(words, depth, false);
      if (!decision.allowed) return decision;
    }
    return { allowed: true };
  }

  /** One simple command; `openEnded`: run by xargs/find -exec with arguments added later. */
  private checkWords(words: SimpleCommand, depth: number, openEnded: boolean): PolicyDecision {
    const extras = commandExtras(words);
    const unwrapped = unwrap(words);
    const refuse = (command: string, reason: string): PolicyDecision => ({
      allowed: false,
      command,
      reason,
    });
    const shown = words.join(' ');
    let argv = unwrapped.argv;
    const envRule = gitEnvRule(unwrapped.assignments, argv);
    if (envRule) return refuse(shown, envRule);
    if (argv[0]?.startsWith('git-')) argv = ['git', argv[0].slice(4), ...argv.slice(1)];
    const program = argv[0];
    if (
      program !== undefined &&
      (program === '' || program.includes('$') || program.includes('{}'))
    ) {
      return refuse(
        shown,
        'the program to run comes from a variable or a command substitution, so the policy cannot see what it is. Write the program name itself.',
      );
    }
    const cmd = argv[0] === 'git' ? normalize(argv).join(' ') : argv.join(' ');
    const denied = this.deny.find((d) => d.test(cmd));
    if (denied) {
      return refuse(
        cmd,
        `it matches the project's deny pattern "${denied.pattern}" (config tools.deny).`,
      );
    }
    if (!this.allow.some((test) => test(cmd))) {
      const reason =
        dotGitRule(argv, extras.redirects) ??
        (argv.length ? defaultRule(argv, openEnded || unwrapped.openEnded) : undefined);
      if (reason) return refuse(cmd || shown, reason);
    }
    if (unwrapped.lookupOnly) return { allowed: true };
    // What it runs from strings (bash -c, eval, env -S, find -exec, a heredoc fed to a
    // shell) is checked as well.
    const nested = nestedRuns(argv);
    if (unwrapped.openEnded && (nested.scripts.length > 0 || nested.shellReadsStdin)) {
      return refuse(
        cmd,
        `${argv[0] ?? 'a shell'} run by xargs is not allowed: its script or arguments come from input the policy cannot check. Run the commands directly.`,
      );
    }
    const scripts = [...unwrapped.scripts, ...nested.scripts];
    if (nested.shellReadsStdin) {
      if (extras.stdin.length === 0) {
        return refuse(
          cmd,
          `${argv[0] ?? 'a shell'} reading its script from a pipe or a file is not allowed: the policy cannot see what it runs. Run the commands directly, or use \`bash -c '…'\`.`,
        );
      }
      scripts.push(...extras.stdin);
    }
    if (scripts.length + nested.commands.length === 0) return { allowed: true };
    const hidden = scripts.find(
      (script) => script.trim() === '' || /^\$\{?[\w@*]+\}?$/.test(script.trim()),
    );
    if (hidden !== undefined || (argv[0] === 'eval' && scripts.some((x) => x.includes('$')))) {
      return refuse(
        cmd,
        `${argv[0] ?? 'this'} running text that comes from a variable or a command's output is not allowed: the policy cannot see what it runs. Run the commands directly.`,
      );
    }
    if (depth >= MAX_NESTING) {
      return refuse(cmd, 'commands nested this deep (bash -c inside bash -c …) are not allowed.');
    }
    for (const script of scripts) {
      const decision = this.checkLine(script, depth + 1);
      if (!decision.allowed) return decision;
    }
    for (const inner of nested.commands) {
      const decision = this.checkWords(inner, depth + 1, true);
      if (!decision.allowed) return decision;
    }
    return { allowed: true };
  }
}

/** Builtins and keywords that set or export the variables named in their arguments. */
const VAR_SETTERS = new Set([
  'export',
  'declare',
  'typeset',
  'local',
  'readonly',
  'read',
  'printf',
  'mapfile',
  'readarray',
  'for',
  'select',
  'getopts',
]);

/** Setting GIT_DIR & co. (for this command, or exported for the next ones) is refused. */
function gitEnvRule(assignments: readonly string[], argv: readonly string[]): string | undefined {
  const set = [...assignments];
  if (VAR_SETTERS.has(argv[0] ?? '')) set.push(...argv.slice(1).filter((a) => !a.startsWith('-')));
  const hit = set
    .map((a) => a.split(/\+?=/)[0]?.replace(/\[.*$/, '') ?? '')
    .find((n) => GIT_ENV.test(n));
  if (hit) {
    return `setting ${hit} is not allowed: it points git at another repository, config or program. git runs on the project's own repository only.`;
  }
  if (argv[0] === 'alias' && argv.slice(1).some((a) => a.includes('='))) {
    return 'defining aliases is not allowed: the policy checks commands by name. Run the command itself.';
  }
  return undefined;
}
