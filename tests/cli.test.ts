import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runMmm } from './support/cli.js';
import { tempDir } from './support/tmp.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('mmm binary', () => {
  it('prints its version and exits 0', async () => {
    const r = await runMmm(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('prints help with examples and exit codes', async () => {
    const r = await runMmm(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Usage: mmm');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes:');
  });

  it('exits 2 with a message on an unknown command', async () => {
    const r = await runMmm(['frobnicate'], { cwd: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 on an unknown option', async () => {
    const r = await runMmm(['--frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
});
