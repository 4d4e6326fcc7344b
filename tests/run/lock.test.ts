import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitRepo } from '../support/tmp.js';
import { InputError } from '../../src/core/errors.js';
import { acquireRunLock } from '../../src/core/run/store/lock.js';

function writeLock(repo: string, info: Record<string, unknown>): string {
  mkdirSync(join(repo, '.mmm'), { recursive: true });
  const path = join(repo, '.mmm', 'run.lock');
  writeFileSync(path, JSON.stringify(info));
  return path;
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('run lock', () => {
  it('is exclusive, names the holder, and can be taken again after release', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const lock = await acquireRunLock(repo, { runId: 'run-a' });
    expect(lock.warning).toBeUndefined();
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      runId: 'run-a',
    });
    const error = await acquireRunLock(repo, { runId: 'run-b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).message).toMatch(
      new RegExp(`run run-a \\(pid ${process.pid}, since \\d{4}-`),
    );
    expect((error as InputError).hint).toMatch(/delete .*run\.lock/);
    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
    const again = await acquireRunLock(repo, { runId: 'run-b' });
    await again.release();
  });

  it('refuses a lock held by another live process', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      writeLock(repo, {
        pid: child.pid,
        host: hostname(),
        startedAt: '2026-11-22T00:00:00.000Z',
        runId: 'live-run',
      });
      const error = await acquireRunLock(repo, { runId: 'mine' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `another mmm run is active in this repository: run live-run (pid ${child.pid}, since 2026-11-22T00:00:00.000Z)`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a lock from another host, which it cannot check', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    writeLock(repo, { pid: 1, host: 'elsewhere.example', startedAt: 'x', runId: 'remote' });
    await expect(acquireRunLock(repo, { runId: 'mine' })).rejects.toThrow(
      /pid 1 on host elsewhere\.example/,
    );
  });

  it('takes over the lock of a dead process with a warning', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const pid = deadPid();
    const path = writeLock(repo, {
      pid,
      host: hostname(),
      startedAt: '2026-11-22T00:00:00.000Z',
      runId: 'crashed',
    });
    const lock = await acquireRunLock(repo, { runId: 'mine' });
    expect(lock.warning).toMatch(new RegExp(`took over the lock of run crashed \\(pid ${pid}`));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      runId: 'mine',
      pid: process.pid,
    });
    await lock.release();
  });

  it('is released when the holding process exits', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const lockModule = fileURLToPath(new URL('../../dist/core/run/store/lock.js', import.meta.url));
    const script = `import(${JSON.stringify(lockModule)}).then(async (m) => { await m.acquireRunLock(${JSON.stringify(repo)}, { runId: 'child' }); process.stdout.write('locked'); process.exit(0); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stdout).toBe('locked');
    expect(existsSync(join(repo, '.mmm', 'run.lock'))).toBe(false);
  });
});
