import type { RunHandle } from '../core/run/events.js';
import { colorsFor } from './colors.js';
import { formatCost, formatDuration } from './format.js';
import { handleSignals, StopControl } from './stop-control.js';
import { writeOut } from './write.js';

export interface JsonOptions {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Route SIGINT/SIGTERM to stop/abort while rendering (default true). */
  signals?: boolean;
}

/**
 * `--json`: every RunEvent as one JSON line on stdout, exactly as emitted (format:
 * docs/events.md). Anything meant for a human goes to stderr.
 */
export async function renderJson(handle: RunHandle, options: JsonOptions): Promise<void> {
  const c = colorsFor(options.stderr);
  const control = new StopControl(handle);
  const off = control.onChange((s) => {
    options.stderr.write(
      `${c.yellow(s === 'stopping' ? 'mmm: stopping after the current tool call… (Ctrl-C again to abort)' : 'mmm: aborting…')}\n`,
    );
  });
  const unsignal = options.signals === false ? () => {} : handleSignals(control);
  try {
    for await (const event of handle.events) {
      await writeOut(options.stdout, `${JSON.stringify(event)}\n`);
      if (event.type === 'run_end') {
        const t = event.totals;
        options.stderr.write(
          `mmm: run ${event.status}: ${event.reason} · ${t.commits} commit${t.commits === 1 ? '' : 's'} · cost ${formatCost(t.cost)} · ${formatDuration(t.elapsedMs)}\n`,
        );
        for (const next of event.next) options.stderr.write(`mmm: next: ${next}\n`);
      }
    }
  } finally {
    unsignal();
    off();
  }
}
