import { execFile } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { InputError, ProviderError } from '../../errors.js';
import { findExecutable } from '../../tools/sandbox-probe.js';

/**
 * Finding the user's `claude`, and checking before a run starts that it can do the job:
 * installed (exit 2 otherwise), recent enough for the flags the engine passes (exit 2),
 * and logged in or given a key (exit 4). Nothing is created before these pass.
 */

/** The oldest Claude Code with every flag the engine uses (tested with 2.1.332). */
export const MIN_CLAUDE_VERSION = '2.0.0';

/** Flags the engine passes that `claude --help` must list (--max-turns is hidden there). */
export const REQUIRED_FLAGS = [
  '--output-format',
  '--verbose',
  '--include-partial-messages',
  '--append-system-prompt',
  '--model',
  '--permission-mode',
  '--settings',
  '--allowedTools',
  '--disallowedTools',
  '--resume',
];

const INSTALL_HINT =
  'install Claude Code (npm install -g @anthropic-ai/claude-code, see https://docs.claude.com/claude-code) ' +
  'or set claude_code.path in .mmm/config.toml; or use the API engine: engine = "api" with ANTHROPIC_API_KEY';

/** The configured binary (relative to the project), or `claude` on PATH; undefined: none. */
export function findClaude(
  configured: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string | undefined {
  if (configured) {
    if (configured.includes('/'))
      return isAbsolute(configured) ? configured : resolve(cwd, configured);
    return findExecutable(configured, env.PATH);
  }
  return findExecutable('claude', env.PATH);
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }> {
  return new Promise((done) => {
    execFile(file, args, { env, timeout: 30_000, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
      done({
        code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
        ...(err && typeof err.code === 'string' ? { error: err } : {}),
      });
    });
  });
}

/** `2.1.332 (Claude Code)` → [2, 1, 332]. */
export function parseVersion(text: string): number[] | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function versionAtLeast(version: number[], minimum: string): boolean {
  const min = parseVersion(minimum) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const a = version[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export interface ClaudeBinary {
  path: string;
  version: string;
}

/** Installed and recent enough (InputError, exit 2, naming the cause and the fix). */
export async function checkClaude(
  configured: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ClaudeBinary> {
  const path = findClaude(configured, env, cwd);
  if (!path) {
    throw new InputError(
      configured
        ? `engine = "claude-code", but claude_code.path = "${configured}" is not an executable on PATH`
        : 'engine = "claude-code", but no `claude` binary is on PATH',
      { hint: INSTALL_HINT },
    );
  }
  const version = await run(path, ['--version'], env);
  if (version.error || version.code !== 0) {
    throw new InputError(
      `engine = "claude-code", but \`${path} --version\` failed: ${version.error?.message ?? (version.stderr.trim() || `exit ${version.code}`)}`,
      { hint: INSTALL_HINT },
    );
  }
  const parsed = parseVersion(version.stdout);
  if (!parsed || !versionAtLeast(parsed, MIN_CLAUDE_VERSION)) {
    throw new InputError(
      `Claude Code at ${path} is too old (${version.stdout.trim() || 'no version'}); the claude-code engine needs ${MIN_CLAUDE_VERSION} or newer`,
      { hint: 'update it: claude update (or npm install -g @anthropic-ai/claude-code@latest)' },
    );
  }
  const help = await run(path, ['--help'], env);
  const missing = REQUIRED_FLAGS.filter((flag) => !help.stdout.includes(flag));
  if (missing.length > 0) {
    throw new InputError(
      `Claude Code ${parsed.join('.')} at ${path} lacks flags the engine needs: ${missing.join(', ')}`,
      { hint: 'update it: claude update (or npm install -g @anthropic-ai/claude-code@latest)' },
    );
  }
  return { path, version: parsed.join('.') };
}

/**
 * Logged in (a subscription) or given a key (`claude auth status` exits 0): ProviderError,
 * exit 4, otherwise.
 */
export async function checkClaudeAuth(
  binary: ClaudeBinary,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const status = await run(binary.path, ['auth', 'status'], env);
  let parsed: { loggedIn?: boolean; authMethod?: string } = {};
  try {
    parsed = JSON.parse(status.stdout) as typeof parsed;
  } catch {
    // Older versions print text; the exit code decides.
  }
  if (status.code === 0 && parsed.loggedIn !== false) return parsed.authMethod ?? 'unknown';
  throw new ProviderError('Claude Code is not logged in (`claude auth status` says so)', {
    hint: 'log in once with `claude auth login` (a Claude subscription or a Console account), or export ANTHROPIC_API_KEY',
  });
}
