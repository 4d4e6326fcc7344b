import type { RunHandle } from '../core/run/events.js';
import type * as Tui from './tui/render-tui.js';
import { renderJson } from './render-json.js';
import { renderPlain } from './render-plain.js';

export type RenderMode = 'tui' | 'plain' | 'json';

export interface RenderRunOptions {
  mode: RenderMode;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /**
   * Route SIGINT (first: graceful stop, second: abort) and SIGTERM (graceful stop)
   * to the handle while rendering. Default true; pass false if the caller does it.
   */
  signals?: boolean;
}

/**
 * Render a run until its event stream ends (after `run_end`). The three modes read
 * the same stream; the TUI (Ink, React) is loaded only when used.
 */
export async function renderRun(handle: RunHandle, options: RenderRunOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  switch (options.mode) {
    case 'json':
      return renderJson(handle, { stdout, stderr, signals: options.signals });
    case 'plain':
      return renderPlain(handle, { stdout, signals: options.signals });
    case 'tui': {
      const { renderTui } = await loadTui();
      return renderTui(handle, {
        stdout,
        stderr,
        stdin: options.stdin ?? process.stdin,
        signals: options.signals,
      });
    }
  }
}

/**
 * Load Ink and React in their production builds (React's development build is several
 * times slower), without leaving NODE_ENV set for the child processes the run starts.
 */
async function loadTui(): Promise<typeof Tui> {
  const had = Object.prototype.hasOwnProperty.call(process.env, 'NODE_ENV');
  const prev = process.env.NODE_ENV;
  if (!had) process.env.NODE_ENV = 'production';
  try {
    return await import('./tui/render-tui.js');
  } finally {
    if (!had) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = prev;
  }
}

/**
 * `--json` → json; the TUI only on a TTY, outside CI, without `--no-tui`
 * (commander sets `tui: false`); plain otherwise.
 */
export function chooseMode(
  flags: { json?: boolean; tui?: boolean },
  env: NodeJS.ProcessEnv,
  stdout: { isTTY?: boolean },
): RenderMode {
  if (flags.json) return 'json';
  if (flags.tui === false) return 'plain';
  if (!stdout.isTTY) return 'plain';
  if (isCi(env)) return 'plain';
  if (env.TERM === 'dumb') return 'plain';
  return 'tui';
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const set = (v: string | undefined): boolean =>
    v !== undefined && v !== '' && v !== 'false' && v !== '0';
  return set(env.CI) || set(env.CONTINUOUS_INTEGRATION);
}
