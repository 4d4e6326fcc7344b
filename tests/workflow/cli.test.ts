import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMmm } from '../support/cli.js';
import { gitRepo, type FileTree } from '../support/tmp.js';

function mmm(args: string[], cwd: string) {
  const isolated = { XDG_CONFIG_HOME: join(cwd, '.xdg'), XDG_DATA_HOME: join(cwd, '.xdg') };
  return runMmm(args, { cwd, env: isolated });
}

const BROKEN = `name: broken
description: a workflow with mistakes
steps:
  - id: work
    agent: "Fix \${vars.area}"
    max_turn: 3
  - id: check
    validate: true
    on_failure: { retry: wrok }
  - shell: "true"
    when: "steps.check.ok &&"
`;

function repo(tree: FileTree = {}) {
  return gitRepo({ 'README.md': '# x\n', ...tree });
}

describe('mmm workflows', () => {
  it('lists built-ins and project workflows, a project file overriding a built-in', async () => {
    const cwd = repo({
      '.mmm/workflows/docs.yml': 'description: Our docs pass\nsteps:\n  - shell: "make docs"\n',
      '.mmm/workflows/release.yml':
        'description: Cut a release\nsteps:\n  - shell: "make release"\n',
    });
    const r = await mmm(['workflows'], cwd);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+SOURCE\s+DESCRIPTION$/);
    expect(r.stdout).toMatch(/^docs\s+project \(overrides builtin\)\s+Our docs pass$/m);
    expect(r.stdout).toMatch(/^release\s+project\s+Cut a release$/m);
    expect(r.stdout).toMatch(/^fix-tests\s+builtin\s+Make the failing tests pass/m);

    const json = await mmm(['workflows', '--json'], cwd);
    const out = JSON.parse(json.stdout) as { workflows: Record<string, unknown>[] };
    expect(out.workflows.find((w) => w.name === 'docs')).toEqual({
      name: 'docs',
      source: 'project',
      file: '.mmm/workflows/docs.yml',
      description: 'Our docs pass',
      valid: true,
      overrides: 'builtin',
    });
    expect(out.workflows.find((w) => w.name === 'performance')).toMatchObject({
      source: 'builtin',
      file: 'templates/workflows/performance.yml',
      valid: true,
    });
  });

  it('shows the file a name resolves to, and its parsed form with --json', async () => {
    const cwd = repo();
    const r = await mmm(['workflows', 'show', 'lint-clean'], cwd);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('# templates/workflows/lint-clean.yml (builtin)');
    expect(r.stdout).toContain('name: lint-clean\n');
    const json = await mmm(['workflows', 'show', 'lint-clean', '--json'], cwd);
    const wf = JSON.parse(json.stdout) as {
      name: string;
      steps: { id: string; kind: string }[];
      source: { hash: string };
    };
    expect(wf.steps.map((s) => `${s.kind}:${s.id}`)).toEqual([
      'shell:lint',
      'agent:fix',
      'shell:relint',
      'validate:check',
      'commit:commit',
    ]);
    expect(wf.source.hash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await mmm(['workflows', 'show', 'lint-claen'], cwd);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no workflow "lint-claen" (did you mean "lint-clean"?)');
  });

  it('validates all workflows, reporting every problem with file:line:col and exit 2', async () => {
    const cwd = repo({ '.mmm/workflows/broken.yml': BROKEN });
    const r = await mmm(['workflows', 'validate'], cwd);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mmm: 4 problems in 1 workflow');
    expect(r.stderr).toContain('  .mmm/workflows/broken.yml:5:17: unknown variable ${vars.area}');
    expect(r.stderr).toContain(
      '  .mmm/workflows/broken.yml:6:5: unknown key "max_turn" in steps[0] (did you mean "max_turns"?)',
    );
    expect(r.stderr).toContain(
      '  .mmm/workflows/broken.yml:9:26: retry: no earlier step has id "wrok" (did you mean "work"?)',
    );
    expect(r.stderr).toMatch(
      / {2}\.mmm\/workflows\/broken\.yml:11:29: when: Unexpected token: EOF/,
    );

    const json = await mmm(['workflows', 'validate', 'broken', '--json'], cwd);
    expect(json.exitCode).toBe(2);
    const out = JSON.parse(json.stdout) as { valid: boolean; workflows: { problems: unknown[] }[] };
    expect(out.valid).toBe(false);
    expect(out.workflows[0]?.problems).toHaveLength(4);
  });

  it('validates one workflow by name or by path', async () => {
    const cwd = repo({ 'ci/nightly.yml': 'steps:\n  - shell: "npm test"\n    expect_exit: 0\n' });
    const byName = await mmm(['workflows', 'validate', 'coverage'], cwd);
    expect(byName.stdout).toBe('✓ templates/workflows/coverage.yml valid\n');
    expect(byName.exitCode).toBe(0);
    const byPath = await mmm(['workflows', 'validate', 'ci/nightly.yml'], cwd);
    expect(byPath.stdout).toBe('✓ ci/nightly.yml valid\n');
    const none = await mmm(['workflows', 'validate', 'ci/missing.yml'], cwd);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('workflow file ci/missing.yml does not exist');
  });
});

describe('mmm workflow new', () => {
  it('copies a built-in into .mmm/workflows with its new name, and refuses to overwrite', async () => {
    const cwd = repo();
    const r = await mmm(['workflow', 'new', 'my-tests', '--from', 'fix-tests'], cwd);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'created .mmm/workflows/my-tests.yml (from templates/workflows/fix-tests.yml)',
    );
    const file = join(cwd, '.mmm/workflows/my-tests.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^name: my-tests$/m);
    expect(text).toContain('Make them pass by fixing the code under test.');
    const list = await mmm(['workflows', 'validate', 'my-tests'], cwd);
    expect(list.exitCode).toBe(0);

    const again = await mmm(['workflow', 'new', 'my-tests', '--from', 'docs'], cwd);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('.mmm/workflows/my-tests.yml already exists');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a bad name or an unknown template, writing nothing', async () => {
    const cwd = repo();
    const bad = await mmm(['workflow', 'new', 'My Tests', '--from', 'docs'], cwd);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('"My Tests" is not a workflow name');
    const unknown = await mmm(['workflow', 'new', 'x', '--from', 'fix-test'], cwd);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no workflow "fix-test" (did you mean "fix-tests"?)');
    expect(existsSync(join(cwd, '.mmm/workflows/x.yml'))).toBe(false);
  });
});
