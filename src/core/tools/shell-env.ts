/**
 * The environment of the agent's shell: the user's environment without secrets, made
 * non-interactive (no pagers, prompts or editors), so a command can never hang waiting
 * for a human and never sees the API key mmm itself uses.
 */
const SECRET_NAME =
  /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|AUTH|COOKIE|SESSION/i;
const SECRET_PREFIXES = [
  'ANTHROPIC_',
  'CLAUDE_',
  'MMM_',
  'AWS_',
  'AZURE_',
  'GOOGLE_',
  'GCP_',
  'OPENAI_',
  'NPM_CONFIG__AUTH',
  'VAULT_',
];
/** Names kept even though they match SECRET_NAME: harmless and needed by common tools. */
const KEEP = new Set(['KEYTIMEOUT', 'XAUTHORITY_DISABLED']);

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

export function isSecretName(name: string): boolean {
  if (KEEP.has(name)) return false;
  const upper = name.toUpperCase();
  return SECRET_PREFIXES.some((p) => upper.startsWith(p)) || SECRET_NAME.test(name);
}

/** The scrubbed, non-interactive environment for the agent's shell. */
export function agentEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isSecretName(name)) continue;
    if (name.startsWith('BASH_FUNC_')) continue; // exported functions
    env[name] = value;
  }
  delete env.PROMPT_COMMAND;
  delete env.BASH_ENV;
  delete env.ENV;
  delete env.CDPATH;
  return { ...env, ...NON_INTERACTIVE_ENV };
}
