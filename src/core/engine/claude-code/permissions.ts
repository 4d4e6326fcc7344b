import { join } from 'node:path';

/**
 * Claude Code's own permission rules for an mmm step: edit and run commands in the work
 * tree, nothing that mmm owns. Passed as `--permission-mode`, `--allowedTools`,
 * `--disallowedTools` and a `--settings` JSON (deny rules win over allow rules in every
 * mode, bypassPermissions included). Never a blanket bypass unless the user sets
 * claude_code.permission_mode = "bypassPermissions".
 */

/** git subcommands that change what mmm owns: commits, refs, branches, config, worktrees. */
export const DENIED_GIT = [
  'commit',
  'push',
  'reset',
  'checkout',
  'switch',
  'rebase',
  'merge',
  'cherry-pick',
  'revert',
  'am',
  'tag',
  'branch',
  'stash',
  'config',
  'worktree',
  'update-ref',
  'symbolic-ref',
  'gc',
  'prune',
  'filter-branch',
];

/**
 * Claude Code tools an mmm step has no use for and that would work around the run:
 * its own worktrees (another directory), scheduled and remote work that outlives the step.
 */
export const DENIED_TOOLS = [
  'EnterWorktree',
  'ExitWorktree',
  'CronCreate',
  'CronDelete',
  'ScheduleWakeup',
  'RemoteTrigger',
];

export type PermissionMode = 'dontAsk' | 'acceptEdits' | 'bypassPermissions';

export interface PermissionSetup {
  mode: PermissionMode;
  allow: string[];
  deny: string[];
  /** The JSON for --settings. */
  settings: string;
}

/** An absolute path as a Claude Code path rule: `//abs/path` (one `/` means the settings dir). */
function rulePath(path: string): string {
  return `/${path}`;
}

export function permissionSetup(args: {
  mode: PermissionMode;
  workDir: string;
  /** Paths in the work tree the agent must not write (e.g. `.mmm` of an in-place run). */
  protectedPaths: string[];
}): PermissionSetup {
  const root = rulePath(args.workDir);
  const allow = [
    'Read',
    'Glob',
    'Grep',
    'LS',
    'TodoWrite',
    'Task',
    'Agent',
    `Edit(${root}/**)`,
    `Write(${root}/**)`,
    `NotebookEdit(${root}/**)`,
    'Bash',
  ];
  const deny = [
    ...DENIED_GIT.flatMap((sub) => [`Bash(git ${sub}:*)`, `Bash(git ${sub})`]),
    ...DENIED_TOOLS,
    // The work tree's git link and any .git inside it; mmm's run data when in place.
    ...[join(args.workDir, '.git'), ...args.protectedPaths].flatMap((p) => [
      `Edit(${rulePath(p)})`,
      `Edit(${rulePath(p)}/**)`,
    ]),
    `Edit(${root}/**/.git/**)`,
  ];
  const settings = JSON.stringify({
    permissions: { allow, deny, defaultMode: args.mode },
    // No co-author trailers in mmm's commits: mmm writes the commit message itself.
    includeCoAuthoredBy: false,
  });
  return { mode: args.mode, allow, deny, settings };
}

/** The CLI arguments for a setup. */
export function permissionArgs(setup: PermissionSetup): string[] {
  return [
    '--permission-mode',
    setup.mode,
    '--settings',
    setup.settings,
    '--allowedTools',
    ...setup.allow,
    '--disallowedTools',
    ...setup.deny,
  ];
}
