import { describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMmm } from '../support/cli.js';
import { gitRepo, writeTree } from '../support/tmp.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function mmm(args: string[], cwd: string) {
  return runMmm(args, {
    cwd,
    env: { XDG_CONFIG_HOME: join(cwd, '.xdg'), XDG_DATA_HOME: join(cwd, '.xdg') },
  });
}

/** A repository holding the spec-kit and Kiro fixtures together. */
function mixedRepo(): string {
  const root = gitRepo({ 'README.md': '# app\n' });
  cpSync(join(FIXTURES, 'speckit'), root, { recursive: true });
  cpSync(join(FIXTURES, 'kiro'), root, { recursive: true });
  return root;
}

describe('mmm specs on feature folders', () => {
  it('validates --strict and says which layouts it found', async () => {
    const cwd = mixedRepo();
    const r = await mmm(['specs', 'validate', '--strict'], cwd);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '✓ 3 specs in specs/ (2 feature folders), .kiro/specs/ (1 feature folder) valid\n',
    );
    const list = await mmm(['specs'], cwd);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/csv-export\s+CSV export of reports\s+in-progress/);
    expect(list.stdout).toContain(
      'from specs/ (2 feature folders), .kiro/specs/ (1 feature folder)',
    );
  });

  it('prints JSON with the errors on invalid specs (exit 2), and show --json says depends_on', async () => {
    const cwd = gitRepo({
      'specs/01-a.md': '---\ntitle: A\n---\n# A\n',
      'specs/02-b.md': '---\ntitle: B\ndepends_on: [a]\nmax_attempts: 2\n---\n# B\n',
    });
    const show = await mmm(['specs', 'show', 'b', '--json'], cwd);
    const spec = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(spec.depends_on).toEqual(['a']);
    expect(spec.max_attempts).toBe(2);
    expect(spec).not.toHaveProperty('dependsOn');

    writeTree(cwd, { 'specs/03-c.md': '---\ntitle: C\npriority: urgent\n---\n' });
    const r = await mmm(['specs', '--json'], cwd);
    expect(r.exitCode).toBe(2);
    const json = JSON.parse(r.stdout) as { specs: unknown[]; errors: Array<{ text: string }> };
    expect(json.specs).toHaveLength(2);
    expect(json.errors.map((e) => e.text)).toEqual([
      'specs/03-c.md:3:11: priority must be one of critical, high, medium, low (got "urgent")',
    ]);
  });
});
