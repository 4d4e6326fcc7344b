import { describe, expect, it } from 'vitest';
import { runMmm } from '../support/cli.js';
import { gitRepo, tempDir, writeTree } from '../support/tmp.js';

describe('mmm config', () => {
  it('show prints values with their sources', async () => {
    const repo = gitRepo({ '.mmm/config.toml': 'max_iterations = 7\n' });
    const xdg = tempDir();
    const r = await runMmm(['config', 'show'], {
      cwd: repo,
      env: { XDG_CONFIG_HOME: xdg, MMM_MODEL: 'claude-haiku-4-5' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^max_iterations\s+7\s+.*\.mmm\/config\.toml$/m);
    expect(r.stdout).toMatch(/^model\s+"claude-haiku-4-5"\s+env MMM_MODEL$/m);
    expect(r.stdout).toMatch(/^max_attempts\s+3\s+default$/m);
  });

  it('show --json is machine-readable', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const r = await runMmm(['config', 'show', '--json'], {
      cwd: repo,
      env: { XDG_CONFIG_HOME: tempDir() },
    });
    expect(r.exitCode).toBe(0);
    const parsed = JSON.parse(r.stdout) as { config: { model: string }; sources: object };
    expect(parsed.config.model).toBe('claude-sonnet-5-5');
  });

  it('exits 2 on an invalid config file, naming file, line and key, changing nothing', async () => {
    const repo = gitRepo({ '.mmm/config.toml': '[budget]\nusd = "lots"\n' });
    const r = await runMmm(['config', 'show'], { cwd: repo, env: { XDG_CONFIG_HOME: tempDir() } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('.mmm/config.toml:2: budget.usd:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('schema prints the JSON Schema', async () => {
    const r = await runMmm(['config', 'schema'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['model', 'budget', 'commands', 'git', 'tools', 'provider']),
    );
  });

  it('reads the global config from XDG_CONFIG_HOME', async () => {
    const xdg = writeTree(tempDir(), { 'mmm/config.toml': 'max_turns = 9\n' });
    const r = await runMmm(['config', 'show', '--json'], {
      cwd: gitRepo({ x: '' }),
      env: { XDG_CONFIG_HOME: xdg },
    });
    expect((JSON.parse(r.stdout) as { config: { max_turns: number } }).config.max_turns).toBe(9);
  });
});
