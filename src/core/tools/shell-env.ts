import { sep } from 'node:path';
/**
 * The environment of the agent's shell: the user's environment without secrets, made
 * non-interactive (no pagers, prompts or editors), so a command can never hang waiting
 * for a human and never sees the API key mmm itself uses.
 */
import { withoutSecrets } from '../secrets/secret-values.js';

/** The scrub list lives with the redaction layer (one source for both). */
export { isSecretName } from '../secrets/secret-values.js';

export const NON_INTERACTIVE_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  MANPAGER: 'cat',
  SYSTEMD_PAGER: '',
  TERM: 'dumb',
  NO_COLOR: '1',
  GIT_EDITOR: 'true',
  EDITOR: 'true',
  VISUAL: 'true',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GCM_INTERACTIVE: 'never',
  DEBIAN_FRONTEND: 'noninteractive',
  PIP_NO_INPUT: '1',
};

/** The scrubbed, non-interactive environment for the agent's shell and validation commands. */
export function agentEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { ...withoutSecrets(base), ...NON_INTERACTIVE_ENV };
}

/**
 * `GIT_CEILING_DIRECTORIES` for commands run in a run's worktree (`.mmm/worktrees/<id>`):
 * git never looks for a repository above the worktrees folder, so when the agent removes
 * the worktree's `.git`, its git commands fail ("not a git repository") instead of
 * finding — and changing — the repository of the user's checkout. Empty elsewhere.
 */
export function worktreeCeiling(root: string): Record<string, string> {
  const marker = `${sep}.mmm${sep}worktrees${sep}`;
  const at = root.lastIndexOf(marker);
  if (at === -1) return {};
  return { GIT_CEILING_DIRECTORIES: root.slice(0, at + marker.length - 1) };
}
