import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { renderRun } from '../../src/ui/render-run.js';
import { colorsFor } from '../../src/ui/colors.js';
import { strip } from './ink-harness.js';
import { listHandle, scenario } from './fixtures.js';

class FakeTty extends EventEmitter {
  text = '';
  isTTY = true;
  columns = 80;
  rows = 24;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

class PipeStdin extends EventEmitter {
  isTTY = false;
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('renderRun in TUI mode', () => {
  it('renders into a TTY stream, resolves after run_end, ends with the summary', async () => {
    const stdout = new FakeTty();
    const stderr = new FakeTty();
    await renderRun(listHandle(scenario()), {
      mode: 'tui',
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: new PipeStdin() as unknown as NodeJS.ReadStream,
      signals: false,
    });
    const out = strip(stdout.text);
    expect(out).toContain('✘ add-slugify attempt 1/3 failed');
    expect(out).toContain('✔ add-slugify attempt 2/3 passed · commit c0ffee1');
    expect(out).toContain('✘ Run finished with failures · exit 1');
    expect(out).toContain('  git merge mmm/20261122-0147-ab12');
    // the summary is the last thing drawn
    expect(out.trimEnd().endsWith('mmm report 20261122-0147-ab12 --out report.html')).toBe(true);
  });
});

describe('colors', () => {
  it('only on a TTY and without NO_COLOR', () => {
    delete process.env.FORCE_COLOR;
    delete process.env.NO_COLOR;
    const tty = new FakeTty() as unknown as NodeJS.WriteStream;
    const pipe = Object.assign(new FakeTty(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    expect(colorsFor(tty).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(colorsFor(pipe).red('x')).toBe('x');
    process.env.NO_COLOR = '1';
    expect(colorsFor(tty).red('x')).toBe('x');
  });
});
