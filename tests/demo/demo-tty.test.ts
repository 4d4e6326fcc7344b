import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MMM_BIN } from '../support/cli.js';
import { git } from '../support/tmp.js';

/**
 * `mmm demo` with its terminal UI, in a real pseudo-terminal: tmux runs the BUILT binary at
 * 100×30 with CI unset; the screen is read with capture-pane while the run goes on.
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `mmm-demo-test-${process.pid}`;
const SESSION = 'demo';
const WIDTH = 100;
/** Generous: the demo runs the sample's tests six times; the machine may be busy. */
const DEADLINE_MS = 90_000;

const root = realpathSync(mkdtempSync(join(tmpdir(), 'mmm-demo-tty-')));

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(root, { recursive: true, force: true });
});

function screen(): string {
  return execFileSync('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-t', SESSION], {
    encoding: 'utf8',
  });
}

/** Poll the screen until `predicate` holds or the deadline passes. */
async function waitForScreen(
  predicate: (s: string) => boolean,
  what: string,
  deadline: number,
): Promise<string> {
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const TITLE = hasTmux
  ? `mmm demo in a pseudo-terminal (tmux, ${WIDTH}×30)`
  : 'mmm demo in a pseudo-terminal — SKIPPED: tmux is not installed (apt-get install -y tmux; .ci/run installs it)';

describe.skipIf(!hasTmux)(TITLE, () => {
  it('draws the live run, then the summary with 3 specs done, and exits 0', async () => {
    if (!existsSync(MMM_BIN)) throw new Error(`${MMM_BIN} is missing: run npm run build`);
    const dir = join(root, 'd');
    const home = join(root, 'home');
    // CI unset so the TUI is chosen; UTF-8 for the icons; own HOME/XDG; no API key.
    const vars = [
      `HOME=${home}`,
      `XDG_DATA_HOME=${home}/data`,
      `XDG_CONFIG_HOME=${home}/config`,
      `XDG_STATE_HOME=${home}/state`,
      `XDG_CACHE_HOME=${home}/cache`,
      'GIT_CONFIG_NOSYSTEM=1',
      'LANG=C.UTF-8',
      'NO_COLOR=1',
      'TERM=xterm-256color',
    ].map(shellQuote);
    const unset = ['CI', 'CONTINUOUS_INTEGRATION', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']
      .map((v) => `-u ${v}`)
      .join(' ');
    const mmm = [process.execPath, MMM_BIN, 'demo', '--dir', dir, '--delay', '20']
      .map(shellQuote)
      .join(' ');
    // keep the pane after the exit so the final screen can be read
    const command = `mkdir -p ${shellQuote(home)} && env ${unset} ${vars.join(' ')} ${mmm}; echo "[exit $?]"; sleep 600`;
    const deadline = Date.now() + DEADLINE_MS;
    execFileSync('tmux', [
      '-L',
      SOCKET,
      '-f',
      '/dev/null',
      '-u',
      'new-session',
      '-d',
      '-s',
      SESSION,
      '-x',
      String(WIDTH),
      '-y',
      '30',
      '-c',
      root,
      command,
    ]);

    // Mid-run: the header, the spec list with one in progress, the attempt line, a tool line.
    const mid = await waitForScreen(
      (s) => /^▶ \S+ · attempt \d\/3 /m.test(s) && /^ {2}[✔✘…] (view|edit|bash)/m.test(s),
      'the live run (an attempt with a tool call)',
      deadline,
    );
    const header = mid.split('\n').find((l) => l.startsWith('mmm · run '));
    expect(header, mid).toMatch(/^mmm · run (\S+) · mmm\/\1 · claude-sonnet-5-5 · workflow specs$/);
    expect(mid).toMatch(/^▶ (slugify-separator|validate-input|truncate-words) +\d\/3 {2}\S/m);
    expect(mid).toMatch(/^[·▶] truncate-words +0\/3 {2}Truncate at a word boundary$/m);
    expect(mid).toMatch(/^cost \$\d+\.\d\d\S* +tokens \S+ +time \d+:\d\d\S*$/m);
    expect(mid).toContain('q stop · d more details');
    for (const line of mid.split('\n')) expect([...line].length).toBeLessThanOrEqual(WIDTH);

    // Later, still live: the specs done so far show their criteria ticked.
    const later = await waitForScreen(
      (s) => /^▶ truncate-words +0\/3 /m.test(s) && s.includes('q stop'),
      'the last spec in progress',
      deadline,
    );
    expect(later).toMatch(/^✔ slugify-separator +3\/3 {2}Let slugify use a custom separator$/m);
    expect(later).toMatch(/^✔ validate-input +3\/3 {2}Reject bad input with a clear TypeError$/m);
    expect(later).toMatch(/^✔ slugify-separator attempt 1\/3 passed · commit [0-9a-f]{7}/m);

    // The end: finished attempts above, the summary, the hint for the demo repository.
    const end = await waitForScreen((s) => s.includes('[exit '), 'the end of the run', deadline);
    expect(end).toContain('[exit 0]');
    expect(end).toContain('✔ Run completed · exit 0');
    expect(end).toMatch(/^3 done · 0 failed · 3 commits · cost \$0\.\d\d · /m);
    expect(end).toMatch(/^✘ validate-input attempt 1\/3 failed · /m);
    expect(end).toMatch(/^✔ validate-input attempt 2\/3 passed · commit [0-9a-f]{7}/m);
    // done specs show their criteria ticked
    expect(end).toMatch(/^✔ slugify-separator +3\/3 {2}Let slugify use a custom separator$/m);
    expect(end).toMatch(/^✔ validate-input +3\/3 /m);
    expect(end).toMatch(/^✔ truncate-words +3\/3 /m);
    expect(end).toContain(`The demo repository is ${dir}; to look around:`);
    // the live area is gone
    expect(end).not.toContain('q stop');
    expect(end).not.toMatch(/^ {2}… /m);

    const runId = /^mmm · run (\S+)/m.exec(end)?.[1];
    expect(git(dir, 'rev-list', '--count', `main..mmm/${runId}`)).toBe('3');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  }, 120_000);
});
