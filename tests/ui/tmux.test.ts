import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The TUI in a real pseudo-terminal: tmux runs tests/support/tui-script.mjs (the BUILT
 * renderRun on a scripted run) at 80×24; we read the screen with capture-pane.
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../support/tui-script.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/ui/render-run.js', import.meta.url));
const SOCKET = `mmm-test-${process.pid}`;
const SESSION = 'tui';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

/** Poll the screen until `predicate` holds (the script runs at its own pace on a busy machine). */
async function waitForScreen(predicate: (s: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

const TITLE = hasTmux
  ? 'TUI in tmux (80×24)'
  : 'TUI in tmux — SKIPPED: tmux is not installed (apt-get install -y tmux; .ci/run installs it)';

describe.skipIf(!hasTmux)(TITLE, () => {
  it('shows the run live, stops on q, and leaves the summary on screen', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build`);
    // CI unset so Ink draws live frames; UTF-8 so the icons survive; keep the pane after exit.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION LANG=C.UTF-8 NO_COLOR=1 node ${JSON.stringify(SCRIPT)}; echo "[exit $?]"; sleep 600`;
    tmux('-u', 'new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, command);

    const mid = await waitForScreen(
      (s) => s.includes('… bash node --test test/validate.test.js'),
      'mid-run',
    );
    const lines = mid.split('\n');
    expect(lines.find((l) => l.startsWith('mmm · run 20261122-0900-demo'))).toMatch(/…$/);
    expect(mid).toContain('✔ add-slugify attempt 1/3 passed · commit 5eed123');
    expect(mid).toContain('▶ validate-input   0/2  Reject non-string input with a TypeError');
    expect(mid).toMatch(
      /▶ validate-input · attempt 1\/3 \(\d+:\d\d\) · agent \d+:\d\d · iteration 2/,
    );
    expect(mid).toContain('│ Turn 2: reading the code');
    expect(mid).toContain('  ✔ bash node --test → exit 0 · 8 passed');
    expect(mid).toMatch(/cost \$0\.01\/\$2\.00/);
    expect(mid).toContain('q stop · d more details');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);

    tmux('send-keys', '-t', SESSION, 'q');
    const end = await waitForScreen((s) => s.includes('[exit '), 'the end of the run');
    expect(end).toContain('[exit 0]');
    expect(end).toContain('■ validate-input attempt 1/3 stopped');
    expect(end).toContain('■ Run interrupted · exit 130');
    expect(end).toContain('1 done · 0 failed · 2 pending · 1 commit · cost $0.12');
    expect(end).toContain('Next:\n  mmm improve --resume');
    // the live area is gone: no key hints, no running tool line
    expect(end).not.toContain('q stop');
    expect(end).not.toContain('… bash node --test test/validate.test.js');
  });
});
