import type { RunHandle } from '../core/run/events.js';
import { colorsFor } from './colors.js';
import { formatTimeOfDay } from './format.js';
import { PlainFormatter } from './plain-format.js';
import { handleSignals, StopControl } from './stop-control.js';
import { writeOut } from './write.js';

export interface PlainOptions {
  stdout: NodeJS.WriteStream;
  /** Route SIGINT/SIGTERM to stop/abort while rendering (default true). */
  signals?: boolean;
}

/** Line-oriented progress for pipes, CI logs and `--no-tui`: no cursor escapes. */
export async function renderPlain(handle: RunHandle, options: PlainOptions): Promise<void> {
  const c = colorsFor(options.stdout);
  const formatter = new PlainFormatter(c);
  const control = new StopControl(handle);
  const off = control.onChange((s) => {
    const msg =
      s === 'stopping'
        ? 'stopping after the current tool call… (Ctrl-C again to abort)'
        : 'aborting…';
    const time = c.dim(formatTimeOfDay(new Date().toISOString()));
    options.stdout.write(`${time} ${c.yellow(msg)}\n`);
  });
  const unsignal = options.signals === false ? () => {} : handleSignals(control);
  try {
    for await (const event of handle.events) {
      const lines = formatter.format(event);
      if (lines.length) await writeOut(options.stdout, `${lines.join('\n')}\n`);
    }
  } finally {
    unsignal();
    off();
  }
}
