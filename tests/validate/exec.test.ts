import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runShell } from '../../src/core/validate/exec.js';
import { tempDir } from '../support/tmp.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(predicate: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
}

describe('runShell', () => {
  it('captures stdout and stderr, exit code, in the given directory', async () => {
    const root = tempDir();
    const r = await runShell('pwd; echo out; echo err >&2; exit 3', { cwd: root, timeoutSec: 10 });
    expect(r.exitCode).toBe(3);
    expect(r.output).toContain(root);
    expect(r.output).toContain('out\n');
    expect(r.output).toContain('err\n');
    expect(r.timedOut).toBe(false);
  });

  it('runs non-interactively: CI set, colors off, stdin closed', async () => {
    const r = await runShell('echo "ci=$CI color=$NO_COLOR"; cat; echo "extra=$EXTRA"', {
      cwd: tempDir(),
      timeoutSec: 10,
      env: { EXTRA: 'yes' },
    });
    // `cat` would hang forever on an open stdin.
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('ci=true color=1');
    expect(r.output).toContain('extra=yes');
  });

  it('strips ANSI colour codes', async () => {
    const r = await runShell("printf '\\033[31mred\\033[0m\\r\\n'", {
      cwd: tempDir(),
      timeoutSec: 10,
    });
    expect(r.output).toBe('red\n');
  });

  it('kills the whole process group on timeout', async () => {
    const root = tempDir();
    const pidFile = join(root, 'grandchild.pid');
    // A grandchild that ignores nothing and would outlive a plain kill of bash.
    // The timeout leaves bash time to start the grandchild even on a loaded machine.
    const r = await runShell(`sleep 60 & echo $! > ${pidFile}; wait`, {
      cwd: root,
      timeoutSec: 3,
      killGraceMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(await waitUntil(() => !alive(pid))).toBe(true);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runShell("trap '' TERM; while :; do sleep 0.05; done", {
      cwd: tempDir(),
      timeoutSec: 2,
      killGraceMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
  });

  it('does not wait for a background process that outlives the shell', async () => {
    const root = tempDir();
    const pidFile = join(root, 'bg.pid');
    const r = await runShell(`(sleep 60 & echo $! > ${pidFile}); echo done`, {
      cwd: root,
      timeoutSec: 20,
    });
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(await waitUntil(() => !alive(pid))).toBe(true);
  });

  it('does not hang on a setsid child that holds the output open (no sandbox)', async () => {
    const root = tempDir();
    const pidFile = join(root, 'bg.pid');
    const r = await runShell(`setsid sleep 60 & echo $! > ${pidFile}; echo done`, {
      cwd: root,
      timeoutSec: 20,
    });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      expect(r.exitCode).toBe(0);
      expect(r.timedOut).toBe(false);
      expect(r.output).toContain('done');
    } finally {
      // Without a sandbox it escaped the process group (the sandbox ends it: sandbox.test.ts).
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('bounds huge output, keeping head and tail', async () => {
    // ~8 MB of numbered lines.
    const r = await runShell(
      `node -e "for (let i = 0; i < 400000; i++) process.stdout.write('line ' + i + ' ' + 'x'.repeat(12) + '\\n')"`,
      { cwd: tempDir(), timeoutSec: 60 },
    );
    expect(r.exitCode).toBe(0);
    expect(r.output.length).toBeLessThan(400 * 1024);
    expect(r.output.startsWith('line 0 ')).toBe(true);
    expect(r.output).toContain('line 399999 ');
    expect(r.output).toMatch(/characters of output omitted/);
  });

  it('cuts very long lines', async () => {
    const r = await runShell(`node -e "console.log('a'.repeat(50000)); console.log('end')"`, {
      cwd: tempDir(),
      timeoutSec: 30,
    });
    const [first, second] = r.output.split('\n');
    expect(first).toBe(`${'a'.repeat(2000)} …[line cut]`);
    expect(second).toBe('end');
  });

  it('aborts on signal', async () => {
    const controller = new AbortController();
    const pending = runShell('sleep 30', {
      cwd: tempDir(),
      timeoutSec: 60,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const r = await pending;
    expect(r.aborted).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('reports a working directory that does not exist instead of throwing', async () => {
    const r = await runShell('true', { cwd: join(tempDir(), 'nope'), timeoutSec: 5 });
    expect(r.spawnError).toMatch(/^working directory does not exist: .*nope$/);
    expect(r.exitCode).toBeNull();
  });
});
