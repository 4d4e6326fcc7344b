import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';
import { RunApp } from '../../src/ui/tui/RunApp.js';
import { RunViewStore } from '../../src/ui/tui/store.js';
import { StopControl } from '../../src/ui/stop-control.js';
import { PLAIN_THEME, ThemeContext } from '../../src/ui/tui/theme.js';
import type { RunEvent, RunHandle } from '../../src/core/run/events.js';

/** Like ink-testing-library, with a chosen terminal size and a choice of TTY stdin. */
class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = false;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  data: string | null = null;
  constructor(readonly isTTY: boolean) {
    super();
  }
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function strip(s: string): string {
  return s.replace(ANSI, '');
}

export function mount(
  tree: ReactElement,
  opts: { columns?: number; rows?: number; tty?: boolean } = {},
) {
  const stdout = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24);
  const stdin = new FakeStdin(opts.tty ?? true);
  const stderr = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24);
  const ink = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    frames: stdout.frames,
    lastFrame: (): string => strip(stdout.frames.at(-1) ?? ''),
    unmount: () => ink.unmount(),
  };
}

export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

/** Mount the RunApp on a store; `feed` dispatches events and waits for the frame. */
export function mountRun(
  handle: Pick<RunHandle, 'requestStop' | 'abort'>,
  opts: { columns?: number; rows?: number; tty?: boolean } = {},
) {
  const store = new RunViewStore(0);
  const control = new StopControl(handle);
  const now = (): number => store.current().lastEventAt;
  const app = mount(
    <ThemeContext.Provider value={PLAIN_THEME}>
      <RunApp store={store} control={control} now={now} />
    </ThemeContext.Provider>,
    opts,
  );
  return {
    ...app,
    store,
    control,
    async feed(events: RunEvent[]): Promise<string> {
      for (const e of events) store.dispatch(e);
      store.flush();
      await tick();
      return app.lastFrame();
    },
  };
}
