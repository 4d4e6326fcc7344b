/**
 * Which environment variables are secrets, and which of their values mmm redacts.
 *
 * Two lists with one source. The scrub list (`isSecretName`) decides what the agent's
 * shell and validation commands do not inherit: credential-like names plus whole families
 * of provider variables (ANTHROPIC_*, AWS_*, …). The redaction list is narrower: values of
 * credential-like names only (KEY, TOKEN, SECRET, …), so configuration such as
 * ANTHROPIC_BASE_URL or AWS_REGION is kept out of the shell but never turned into
 * `[redacted:…]` in output; a password embedded in such a URL is redacted.
 */

/** Credential-like words in a variable name. `AUTH` but not `AUTHOR` (GIT_AUTHOR_NAME). */
const SECRET_NAME =
  /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|AUTH(?!OR)|COOKIE|SESSION/i;
/** Families scrubbed from the agent's environment whatever the rest of the name. */
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

/** True for a variable the agent's shell and validation commands must not inherit. */
export function isSecretName(name: string): boolean {
  if (KEEP.has(name)) return false;
  const upper = name.toUpperCase();
  return SECRET_PREFIXES.some((p) => upper.startsWith(p)) || SECRET_NAME.test(name);
}

/** True for a credential-like name, whose value is redacted wherever it shows up. */
export function isCredentialName(name: string): boolean {
  return !KEEP.has(name) && SECRET_NAME.test(name);
}

/** `env` without the variables of the scrub list and without shell start-up hooks. */
export function withoutSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretName(name)) continue;
    if (name.startsWith('BASH_FUNC_')) continue; // exported functions
    out[name] = value;
  }
  delete out.PROMPT_COMMAND;
  delete out.BASH_ENV;
  delete out.ENV;
  delete out.CDPATH;
  return out;
}

/** One value to redact, and the variable it came from (named in the placeholder). */
export interface SecretValue {
  name: string;
  value: string;
}

/** Values shorter than this are never redacted: they would match ordinary text. */
export const MIN_SECRET_LENGTH = 8;

/** Values that are flags or placeholders, not secrets, whatever the variable is called. */
const COMMON_VALUES = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'null',
  'none',
  'undefined',
  'disabled',
  'enabled',
  'changeme',
  'password',
  'localhost',
  '127.0.0.1',
]);

/** True when `value` is long and specific enough to be redacted without false positives. */
export function isRedactableValue(value: string): boolean {
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH) return false;
  if (COMMON_VALUES.has(v.toLowerCase())) return false;
  if (/^\d+$/.test(v)) return false; // ports, ids, timestamps
  return true;
}

function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The secret values of `env`: every credential-like variable's value (trimmed and as
 * is), and the password of a URL in any scrubbed variable. Values that are too short or
 * common are left out, and so is a value that a non-secret variable also holds (the agent
 * sees it anyway, and redacting e.g. a home directory would garble every path).
 */
export function collectSecretValues(env: NodeJS.ProcessEnv): SecretValue[] {
  const visible = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretName(name)) visible.add(value.trim());
  }
  const out: SecretValue[] = [];
  const add = (name: string, value: string): void => {
    for (const v of new Set([value, value.trim()])) {
      if (isRedactableValue(v) && !visible.has(v.trim())) out.push({ name, value: v });
    }
  };
  // The credentials mmm itself uses come first, so a value shared with another
  // variable is named after them.
  const names = Object.keys(env).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of names) {
    const value = env[name];
    if (value === undefined || !isSecretName(name)) continue;
    if (isCredentialName(name)) add(name, value);
    const password = urlPassword(value.trim());
    if (password) add(name, password);
  }
  return out;
}

function rank(name: string): number {
  if (name === 'ANTHROPIC_API_KEY') return 0;
  if (name === 'ANTHROPIC_AUTH_TOKEN') return 1;
  return 2;
}
