import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { InputError } from '../errors.js';

/**
 * Whether the agent's shell and the validation commands can run in a bubblewrap sandbox,
 * decided once per process from `tools.sandbox`:
 * - `auto` (default): bwrap when it is installed and works here, otherwise no sandbox and
 *   one warning that says what is not protected and how to get it;
 * - `bwrap`: bwrap or nothing — unavailable is bad input (exit 2) before a run starts;
 * - `off`: no sandbox, no warning (the user chose it) unless `tools.network = false`,
 *   which only the sandbox can enforce.
 *
 * "Works" is probed with the options the sandbox really uses (a read-only root, a new
 * PID namespace with its own /proc, a /dev, a tmpfs, no network when asked): bwrap is
 * often installed where one of them is refused (a container without user namespaces).
 */
export type SandboxSetting = Config['tools']['sandbox'];

export interface SandboxChoice {
  mode: 'bwrap' | 'off';
  /** Absolute path of the bwrap binary, when mode is bwrap. */
  bwrap?: string;
  /** Why there is no sandbox, for `auto` only (announced once as a run warning). */
  warning?: string;
}

interface Probe {
  ok: boolean;
  path?: string;
  reason: string;
}

const probes = new Map<string, Probe>();

/** The first executable `name` on `pathVar`, or undefined. */
export function findExecutable(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** The arguments the probe runs: the same namespaces and mounts as a real command. */
export function probeArgs(network: boolean): string[] {
  return [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--unshare-pid',
    '--die-with-parent',
    ...(network ? [] : ['--unshare-net']),
    '--',
    'true',
  ];
}

function probe(network: boolean, pathVar: string | undefined): Probe {
  const key = `${network ? 'net' : 'nonet'}\0${pathVar ?? ''}`;
  const known = probes.get(key);
  if (known) return known;
  let result: Probe;
  const path = findExecutable('bwrap', pathVar);
  if (process.platform !== 'linux') {
    result = { ok: false, reason: `bubblewrap exists only on Linux (this is ${process.platform})` };
  } else if (!path) {
    result = { ok: false, reason: 'bubblewrap (bwrap) is not installed (not found on PATH)' };
  } else {
    const run = spawnSync(path, probeArgs(network), {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
      encoding: 'utf8',
    });
    if (run.status === 0) result = { ok: true, path, reason: '' };
    else {
      const why = (run.stderr || run.error?.message || `exit ${run.status ?? run.signal}`)
        .trim()
        .split('\n')[0];
      result = { ok: false, path, reason: `${path} does not work here: ${why}` };
    }
  }
  probes.set(key, result);
  return result;
}

const NOT_PROTECTED =
  'the agent shell and validation commands can read other processes (e.g. /proc/<pid>/environ), ' +
  'write outside the work tree (your checkout, the repository .git: commits, branches, hooks), ' +
  'and leave background processes behind';

function installHint(): string {
  return process.platform === 'linux'
    ? 'install bubblewrap (apt-get install bubblewrap, dnf install bubblewrap, pacman -S bubblewrap)'
    : 'run mmm on Linux with bubblewrap for this protection';
}

/**
 * The sandbox to use for `tools` (probing at most once per PATH and network setting).
 * Throws InputError (exit 2) when `tools.sandbox = "bwrap"` cannot be honoured.
 */
export function chooseSandbox(
  tools: Pick<Config['tools'], 'sandbox' | 'network'>,
  env: NodeJS.ProcessEnv = process.env,
): SandboxChoice {
  if (tools.sandbox === 'off') {
    if (tools.network) return { mode: 'off' };
    return {
      mode: 'off',
      warning:
        'tools.network = false has no effect with tools.sandbox = "off": commands can reach the network; ' +
        'use tools.sandbox = "auto" or "bwrap" (Linux, bubblewrap) to cut it',
    };
  }
  const found = probe(tools.network, env.PATH);
  if (found.ok && found.path) return { mode: 'bwrap', bwrap: found.path };
  if (tools.sandbox === 'bwrap') {
    throw new InputError(`tools.sandbox = "bwrap", but ${found.reason}`, {
      hint: `${installHint()}, or set tools.sandbox = "auto" (sandbox when available) or "off" in .mmm/config.toml`,
    });
  }
  const network = tools.network
    ? ''
    : '; tools.network = false is not enforced either (commands can reach the network)';
  return {
    mode: 'off',
    warning:
      `no sandbox: ${found.reason}, so ${NOT_PROTECTED}${network}. ` +
      `mmm's command policy and path guard still apply. To sandbox, ${installHint()}; ` +
      'to silence this warning, set tools.sandbox = "off"',
  };
}

/** Forget probe results (tests that change PATH within one process). */
export function resetSandboxProbe(): void {
  probes.clear();
}
