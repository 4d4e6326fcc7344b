/**
 * The command policy's git rules. mmm owns the repository: its history, refs, config and
 * hooks are shared with the user's own checkout, so the agent may read them and change
 * files and the index, nothing else. Subcommands are allowed from a known list (an
 * unknown one may be an alias or an external `git-*` program, whose effect cannot be
 * seen); the options before the subcommand may not point git at another repository or
 * inject configuration.
 */

const OWNED =
  'mmm owns git: it commits your changes for you when the checks pass and rolls back what fails. Just leave the changes in the working tree';
const HISTORY =
  'it rewrites history or moves branches, which mmm owns. To undo your own edits to a file use `git restore <file>`, or `git diff` to review them';
const MAINTENANCE =
  "it can delete or rewrite the repository's objects, refs or reflogs, which mmm and the user rely on";

/** Subcommands that only read, or change only files and the index; any arguments are fine. */
const FREE = new Set([
  'add',
  'annotate',
  'apply',
  'archive',
  'blame',
  'bugreport',
  'bundle',
  'cat-file',
  'check-attr',
  'check-ignore',
  'check-mailmap',
  'check-ref-format',
  'cherry',
  'clone',
  'column',
  'count-objects',
  'describe',
  'diff',
  'diff-files',
  'diff-index',
  'diff-tree',
  'fast-export',
  'fsck',
  'for-each-ref',
  'format-patch',
  'get-tar-commit-id',
  'grep',
  'hash-object',
  'help',
  'index-pack',
  'interpret-trailers',
  'log',
  'ls-files',
  'ls-remote',
  'ls-tree',
  'merge-base',
  'merge-file',
  'merge-tree',
  'mailinfo',
  'mailsplit',
  'mktree',
  'mv',
  'name-rev',
  'patch-id',
  'range-diff',
  'read-tree',
  'request-pull',
  'restore',
  'rev-list',
  'rev-parse',
  'rm',
  'shortlog',
  'show',
  'show-branch',
  'show-index',
  'show-ref',
  'status',
  'stripspace',
  'unpack-file',
  'unpack-objects',
  'update-index',
  'var',
  'verify-commit',
  'verify-pack',
  'verify-tag',
  'version',
  'whatchanged',
  'write-tree',
]);

/** Free subcommands that xargs/find -exec may run: extra arguments cannot make them worse. */
const OPEN_ENDED_OK = new Set([...FREE].filter((s) => !['archive', 'clone', 'bundle'].includes(s)));

/** `git -c key=value` keys that cannot run programs or define aliases. */
const SAFE_CONFIG =
  /^(color\..*|advice\..*|user\.(name|email)|core\.(quotepath|abbrev|autocrlf|safecrlf|eol|ignorecase|filemode|precomposeunicode)|diff\.(noprefix|renames|algorithm|context|interhunkcontext|mnemonicprefix|relative|statgraphwidth|indentheuristic|colormoved)|log\.(date|decorate|abbrevcommit|follow|showroot|mailmap)|init\.defaultbranch|safe\.directory|status\.(short|branch|showuntrackedfiles|relativepaths)|column\.ui|pager\.[a-z-]+|merge\.conflictstyle|grep\.(linenumber|patterntype|extendedregexp|fullname))$/;

/** Variables that point git at another repository, config or program. */
export const GIT_ENV =
  /^GIT_(DIR|WORK_TREE|COMMON_DIR|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM|CONFIG_NOSYSTEM|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|EXEC_PATH|SSH|SSH_COMMAND|EXTERNAL_DIFF|DIFF_OPTS|SEQUENCE_EDITOR|PROXY_COMMAND|TEMPLATE_DIR|REPLACE_REF_BASE|REFLOG_ACTION|SHALLOW_FILE|GRAFT_FILE|ASKPASS|TRACE2?_\w*)$/;

/** git's global options that take a value as the next word (`-C dir`, `-c key=value`, …). */
export const GIT_GLOBAL_WITH_VALUE: ReadonlySet<string> = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--exec-path',
  '--config-env',
  '--super-prefix',
  '--attr-source',
  '--list-cmds',
]);

function positionals(args: readonly string[], withValue: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') return [...out, ...args.slice(i + 1)];
    if (withValue.includes(a)) i++;
    else if (!a.startsWith('-') || a === '-') out.push(a);
  }
  return out;
}

function hasFlag(args: readonly string[], ...flags: string[]): boolean {
  const end = args.indexOf('--');
  const opts = end === -1 ? args : args.slice(0, end);
  return opts.some(
    (a) =>
      flags.includes(a) ||
      flags.some((f) => f.startsWith('--') && a.startsWith(`${f}=`)) ||
      flags.some(
        (f) => /^-[a-zA-Z]$/.test(f) && /^-[a-zA-Z]{2,}$/.test(a) && a.includes(f[1] ?? ''),
      ),
  );
}

/** Checks the options before the subcommand; returns [refusal, index of the subcommand]. */
function globalOptions(args: readonly string[]): [string | undefined, number] {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!a.startsWith('-')) break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = inline ?? (GIT_GLOBAL_WITH_VALUE.has(name) ? args[i + 1] : undefined);
    if (GIT_GLOBAL_WITH_VALUE.has(name) && inline === undefined) i++;
    switch (name) {
      case '-C': {
        const dir = value ?? '';
        if (
          dir.startsWith('/') ||
          dir.startsWith('~') ||
          dir.includes('$') ||
          /(^|\/)\.\.(\/|$)/.test(dir)
        ) {
          return [
            `git -C ${dir} is not allowed: git runs on the project's own repository only. Use \`git -C <subdirectory>\` or run git from the project directory.`,
            i,
          ];
        }
        break;
      }
      case '-c': {
        const key = (value ?? '').split('=')[0]?.toLowerCase() ?? '';
        if (!SAFE_CONFIG.test(key)) {
          return [
            `git -c ${key} is not allowed: configuration given on the command line can define aliases or run programs (alias.*, core.fsmonitor, core.hooksPath, core.sshCommand, …). Run the plain git command.`,
            i,
          ];
        }
        break;
      }
      case '--exec-path':
        if (value === undefined) break;
      // falls through: --exec-path=<dir> runs git-* programs from that directory
      case '--git-dir':
      case '--work-tree':
      case '--namespace':
      case '--config-env':
      case '--super-prefix':
        return [
          `git ${name} is not allowed: git runs on the project's own repository with its own settings only. Run the plain git command from the project directory.`,
          i,
        ];
    }
  }
  return [undefined, i];
}

/** Why `git <args>` is refused, or undefined. `openEnded`: xargs adds arguments at run time. */
export function gitRule(args: readonly string[], openEnded = false): string | undefined {
  const [global, at] = globalOptions(args);
  if (global) return global;
  const sub = args[at];
  const rest = args.slice(at + 1);
  if (sub === undefined) {
    return openEnded
      ? 'git run by xargs is not allowed: the subcommand would come from its input, which the policy cannot check.'
      : undefined;
  }
  if (openEnded && !OPEN_ENDED_OK.has(sub) && !(sub === 'checkout' && rest.includes('--'))) {
    return `git ${sub} run by xargs is not allowed: the arguments xargs adds could change what it does. Run it directly with explicit arguments.`;
  }
  if (FREE.has(sub)) {
    if (sub === 'archive' && hasFlag(rest, '--remote', '--exec')) {
      return 'git archive --remote/--exec is not allowed: it runs programs. Archive the local repository.';
    }
    return undefined;
  }
  return subcommandRule(sub, rest);
}

function subcommandRule(sub: string, rest: readonly string[]): string | undefined {
  const pos = positionals(rest);
  switch (sub) {
    case 'commit':
    case 'commit-tree':
    case 'am':
    case 'fast-import':
    case 'mktag':
      return `git ${sub} is not allowed: ${OWNED}.`;
    case 'push':
    case 'send-pack':
    case 'http-push':
    case 'send-email':
    case 'imap-send':
      return `git ${sub} is not allowed: mmm never publishes anything; the user reviews and pushes the run branch.`;
    case 'reset':
    case 'rebase':
    case 'merge':
    case 'pull':
    case 'filter-branch':
    case 'update-ref':
    case 'replace':
    case 'bisect':
    case 'switch':
      return `git ${sub} is not allowed: ${HISTORY}.`;
    case 'gc':
    case 'prune':
    case 'prune-packed':
    case 'repack':
    case 'pack-refs':
    case 'maintenance':
      return `git ${sub} is not allowed: ${MAINTENANCE}.`;
    case 'init':
      return hasFlag(rest, '--separate-git-dir', '--template')
        ? 'git init --separate-git-dir/--template is not allowed: on an existing repository it moves the git directory or installs hooks. A plain `git init <new-dir>` is fine.'
        : undefined;
    case 'reflog':
      return ['expire', 'delete', 'drop'].includes(pos[0] ?? '')
        ? `git reflog ${pos[0] ?? ''} is not allowed: ${MAINTENANCE}. \`git reflog\` (show) is fine.`
        : undefined;
    case 'symbolic-ref':
      return pos.length >= 2 || hasFlag(rest, '-d', '--delete')
        ? `git symbolic-ref that changes a ref is not allowed: ${HISTORY}. Reading it (\`git symbolic-ref HEAD\`) is fine.`
        : undefined;
    case 'cherry-pick':
    case 'revert':
      return hasFlag(rest, '-n', '--no-commit')
        ? undefined
        : `git ${sub} is not allowed (it creates a commit): ${OWNED}. \`git ${sub} --no-commit\` is allowed.`;
    case 'checkout':
      return checkoutRule(rest);
    case 'stash':
      return ['list', 'show'].includes(pos[0] ?? '')
        ? undefined
        : "git stash is not allowed: it hides changes from mmm's checks. To set changes aside, save a patch with `git diff > /tmp/x.patch`. (`git stash list` and `git stash show` are fine.)";
    case 'worktree':
      return 'git worktree is not allowed: mmm manages worktrees itself.';
    case 'clean':
      return 'git clean is not allowed: it deletes untracked files, including ones mmm needs. Remove specific files with rm.';
    case 'tag':
      return rest.length === 0 || hasFlag(rest, '-l', '--list')
        ? undefined
        : `git tag is not allowed except to list tags: ${OWNED}.`;
    case 'branch':
      return hasFlag(
        rest,
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
        '-u',
        '--set-upstream-to',
        '--unset-upstream',
        '--edit-description',
      )
        ? 'deleting, renaming, forcing or configuring branches is not allowed: mmm owns the branches. Listing them (`git branch`) is fine.'
        : undefined;
    case 'config':
      return configRule(rest);
    case 'remote':
      return pos.length === 0 || ['show', 'get-url'].includes(pos[0] ?? '')
        ? undefined
        : `git remote ${pos[0] ?? ''} is not allowed: the repository's remotes belong to the user. Listing them (\`git remote -v\`) is fine.`;
    case 'fetch':
      return pos.some((p) => p.includes(':')) ||
        hasFlag(rest, '--upload-pack', '--update-head-ok', '-u')
        ? 'git fetch into local branches is not allowed: mmm owns the branches. A plain `git fetch` is fine.'
        : undefined;
    case 'notes':
      return pos.length === 0 || ['list', 'show'].includes(pos[0] ?? '')
        ? undefined
        : `git notes ${pos[0] ?? ''} is not allowed: ${OWNED}.`;
    case 'submodule':
      return ['status', 'summary'].includes(pos[0] ?? 'status')
        ? undefined
        : `git submodule ${pos[0] ?? ''} is not allowed: it changes the repository's config or other repositories (and \`foreach\` runs commands the policy cannot check). \`git submodule status\` is fine.`;
    case 'sparse-checkout':
      return pos[0] === 'list'
        ? undefined
        : 'git sparse-checkout is not allowed: it changes which files the checks see.';
    case 'lfs':
      return [
        'ls-files',
        'status',
        'fetch',
        'pull',
        'checkout',
        'env',
        'version',
        'track',
        'untrack',
        'logs',
        'pointer',
        'fsck',
      ].includes(pos[0] ?? 'version')
        ? undefined
        : `git lfs ${pos[0] ?? ''} is not allowed: it pushes or installs hooks and config.`;
    case 'hook':
    case 'difftool':
    case 'mergetool':
    case 'credential':
    case 'credential-cache':
    case 'credential-store':
    case 'daemon':
    case 'instaweb':
    case 'upload-pack':
    case 'receive-pack':
    case 'upload-archive':
      return `git ${sub} is not allowed: it runs programs or serves credentials outside what mmm can check.`;
    default:
      return `git ${sub} is not allowed: it is not a git command mmm knows (aliases and external git-* programs are refused because the policy cannot see what they run). Use the full git command, e.g. \`git status\`, \`git diff\`, \`git log\`.`;
  }
}

function checkoutRule(rest: readonly string[]): string | undefined {
  const dash = rest.indexOf('--');
  const creates = hasFlag(rest, '-b', '-B', '--orphan', '--detach', '-t', '--track');
  if (dash !== -1 && dash < rest.length - 1 && !creates) return undefined;
  return 'git checkout is not allowed except to restore files: mmm keeps you on its run branch. Use `git restore <file>` or `git checkout -- <file>` (with at least one path after `--`).';
}

const CONFIG_WRITES = [
  '--add',
  '--unset',
  '--unset-all',
  '--replace-all',
  '--rename-section',
  '--remove-section',
  '-e',
  '--edit',
];
const CONFIG_VALUE_FLAGS = ['-f', '--file', '--blob', '--type', '--default', '--comment'];

function configRule(rest: readonly string[]): string | undefined {
  const pos = positionals(rest, CONFIG_VALUE_FLAGS);
  const verb = pos[0] ?? '';
  const readVerb = ['get', 'list', 'get-all', 'get-regexp', 'get-urlmatch'].includes(verb);
  const writeVerb = ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(verb);
  const writes =
    writeVerb ||
    hasFlag(rest, ...CONFIG_WRITES) ||
    (!readVerb &&
      !hasFlag(rest, '--get', '--get-all', '--get-regexp', '--get-urlmatch', '-l', '--list') &&
      pos.length >= 2);
  return writes
    ? "git config that writes is not allowed: the repository config is shared with the user's checkout and can run programs (core.fsmonitor, core.hooksPath, alias.*). Reading it (`git config --get <key>`, `git config -l`) is fine."
    : undefined;
}
