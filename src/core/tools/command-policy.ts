import { innerScripts, splitCommands, type SimpleCommand } from './shell-words.js';

const MAX_NESTING = 8;

/**
 * Which shell commands the model may run. Every simple command inside the command
 * line (see shell-words.ts) is normalized — leading `VAR=value` assignments and
 * wrappers like `env`, `command`, `nohup`, `timeout`, `nice` removed, the program's
 * directory dropped, git's global options (`-C dir`, `-c k=v`, …) removed — and then:
 *   1. refused if it matches a configured deny pattern;
 *   2. allowed if it matches a configured allow pattern;
 *   3. refused if a default rule (mmm owns git; no sudo; nothing destructive) matches.
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

const WRAPPERS: Record<string, { flagsWithValue: string[]; positional?: number }> = {
  env: { flagsWithValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
  command: { flagsWithValue: [] },
  builtin: { flagsWithValue: [] },
  exec: { flagsWithValue: ['-a'] },
  nohup: { flagsWithValue: [] },
  time: { flagsWithValue: ['-f', '-o'] },
  nice: { flagsWithValue: ['-n', '--adjustment'] },
  ionice: { flagsWithValue: ['-c', '-n', '-p'] },
  timeout: { flagsWithValue: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  stdbuf: { flagsWithValue: ['-i', '-o', '-e'] },
  xargs: { flagsWithValue: ['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a'] },
  chronic: { flagsWithValue: [] },
};

const GIT_GLOBAL_WITH_VALUE = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--exec-path',
  '--config-env',
  '--super-prefix',
  '--attr-source',
]);

function basename(word: string): string {
  return word.split('/').pop() ?? word;
}

/** Drops assignments and wrappers; the program's path becomes its name; git global options go. */
export function normalize(words: SimpleCommand): string[] {
  let w = [...words];
  for (let guard = 0; guard < 10; guard++) {
    while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0] ?? '')) w.shift();
    const name = basename(w[0] ?? '');
    const wrapper = WRAPPERS[name];
    if (!wrapper || w.length < 2) break;
    let i = 1;
    while (i < w.length) {
      const a = w[i] ?? '';
      if (a === '--') {
        i++;
        break;
      }
      if (wrapper.flagsWithValue.includes(a)) i += 2;
      else if (a.startsWith('-') && a !== '-') i++;
      else if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) i++;
      else break;
    }
    i += wrapper.positional ?? 0;
    w = w.slice(i);
  }
  if (w.length === 0) return w;
  w[0] = basename(w[0] ?? '');
  if (w[0] === 'git') {
    let i = 1;
    for (; i < w.length; i++) {
      const a = w[i] ?? '';
      if (GIT_GLOBAL_WITH_VALUE.has(a)) i++;
      else if (!a.startsWith('-')) break;
    }
    w = ['git', ...w.slice(i)];
  }
  return w;
}

const GIT_OWNED =
  'mmm owns git: it commits your changes for you when the checks pass and rolls back what fails. Just leave the changes in the working tree';

function gitRule(args: string[]): string | undefined {
  const [sub = '', ...rest] = args;
  const has = (...flags: string[]): boolean =>
    rest.some(
      (a) =>
        flags.includes(a) ||
        flags.some((f) => /^-[a-zA-Z]+$/.test(a) && f.length === 2 && a.includes(f[1] ?? '')),
    );
  switch (sub) {
    case 'commit':
    case 'commit-tree':
    case 'am':
      return `git ${sub} is not allowed: ${GIT_OWNED}.`;
    case 'push':
      return 'git push is not allowed: mmm never publishes anything; the user reviews and pushes the run branch.';
    case 'reset':
    case 'rebase':
    case 'merge':
    case 'pull':
    case 'filter-branch':
    case 'update-ref':
    case 'replace':
      return `git ${sub} is not allowed: it rewrites history or moves branches, which mmm owns. To undo your own edits to a file use \`git restore <file>\` or \`git diff\` to review them.`;
    case 'cherry-pick':
    case 'revert':
      return has('-n', '--no-commit')
        ? undefined
        : `git ${sub} is not allowed (it creates a commit): ${GIT_OWNED}. \`git ${sub} --no-commit\` is allowed.`;
    case 'checkout':
      return rest.includes('--')
        ? undefined
        : 'git checkout is not allowed except to restore files: mmm keeps you on its run branch. Use `git restore <file>` or `git checkout -- <file>` to restore a file.';
    case 'switch':
      return 'git switch is not allowed: mmm keeps you on its run branch; work on the current branch.';
    case 'stash':
      return "git stash is not allowed: it hides changes from mmm's checks. To set changes aside, save a patch with `git diff > /tmp/x.patch`.";
    case 'worktree':
      return 'git worktree is not allowed: mmm manages worktrees itself.';
    case 'clean':
      return 'git clean is not allowed: it deletes untracked files, including ones mmm needs. Remove specific files with rm.';
    case 'tag':
      return rest.length === 0 || has('-l', '--list')
        ? undefined
        : `git tag is not allowed except to list tags: ${GIT_OWNED}.`;
    case 'branch':
      return has(
        '-d',
        '-D',
        '--delete',
        '-m',
        '-M',
        '--move',
        '-c',
        '-C',
        '--copy',
        '-f',
        '--force',
      )
        ? 'deleting, renaming or forcing branches is not allowed: mmm owns the branches. Listing them (`git branch`) is fine.'
        : undefined;
    default:
      return undefined;
  }
}

const DANGEROUS_RM_TARGET =
  /^(\/+\*?|~\/?\*?|\$\{?HOME\}?\/?\*?|\.\/?\*?|\.\.\/?\*?|\/[^/]+\/?|\.git\/?)$/;

function defaultRule(argv: string[]): string | undefined {
  const [name = '', ...args] = argv;
  switch (name) {
    case 'git':
      return gitRule(args);
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
      const argv = normalize(words);
      if (argv.length === 0) continue;
      const cmd = argv.join(' ');
      const denied = this.deny.find((d) => d.test(cmd));
      if (denied) {
        return {
          allowed: false,
          command: cmd,
          reason: `it matches the project's deny pattern "${denied.pattern}" (config tools.deny).`,
        };
      }
      if (!this.allow.some((test) => test(cmd))) {
        const reason = defaultRule(argv);
        if (reason) return { allowed: false, command: cmd, reason };
      }
      // What it runs from strings (bash -c, eval, find -exec) is checked as well.
      if (depth < MAX_NESTING) {
        for (const inner of innerScripts(argv)) {
          const decision = this.checkLine(inner, depth + 1);
          if (!decision.allowed) return decision;
        }
      }
    }
    return { allowed: true };
  }
}
