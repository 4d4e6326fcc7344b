import { render } from 'ink';
import type { RunHandle } from '../../core/run/events.js';
import { colorEnabled } from '../colors.js';
import { handleSignals, StopControl } from '../stop-control.js';
import { RunApp } from './RunApp.js';
import { RunViewStore } from './store.js';
import { COLOR_THEME, PLAIN_THEME, ThemeContext } from './theme.js';

export interface TuiOptions {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Route SIGINT/SIGTERM to stop/abort while rendering (default true). */
  signals?: boolean;
  /** Minimum time between redraws, ms (default 100: at most ~10 per second). */
  intervalMs?: number;
}

/**
 * Render a run with Ink until its event stream ends. The last frame (the summary)
 * stays on the screen; finished attempts went to the scrollback through <Static>.
 */
export async function renderTui(handle: RunHandle, options: TuiOptions): Promise<void> {
  const store = new RunViewStore(options.intervalMs ?? 100);
  const control = new StopControl(handle);
  const unsignal = options.signals === false ? () => {} : handleSignals(control);
  const theme = colorEnabled(options.stdout) ? COLOR_THEME : PLAIN_THEME;
  const ink = render(
    <ThemeContext.Provider value={theme}>
      <RunApp store={store} control={control} />
    </ThemeContext.Provider>,
    {
      stdout: options.stdout,
      stderr: options.stderr,
      stdin: options.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 10,
    },
  );
  try {
    for await (const event of handle.events) store.dispatch(event);
  } finally {
    store.flush();
    store.dispose();
    unsignal();
    // Let React commit the last state before unmounting, so the summary is the last frame.
    await new Promise((resolve) => setTimeout(resolve, 20));
    ink.unmount();
    await ink.waitUntilExit();
  }
}
