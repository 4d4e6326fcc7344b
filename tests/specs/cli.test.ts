import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMmm } from '../support/cli.js';
import { gitRepo, type FileTree } from '../support/tmp.js';

const styles = fileURLToPath(new URL('./fixtures/styles/', import.meta.url));

/** The built binary, isolated from the user's global configuration. */
function mmm(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const isolated = {
    XDG_CONFIG_HOME: join(options.cwd, '.xdg'),
    XDG_DATA_HOME: join(options.cwd, '.xdg'),
  };
  return runMmm(args, { cwd: options.cwd, env: { ...isolated, ...options.env } });
}

/** A git repository whose specs/ holds the style fixtures. */
function repoWithStyles(extra: FileTree = {}): string {
  const tree: FileTree = {};
  for (const f of readdirSync(styles)) tree[`specs/${f}`] = readFileSync(join(styles, f));
  return gitRepo({ ...tree, ...extra });
}

describe('mmm specs', () => {
  it('lists specs in dependency order as an aligned table', async () => {
    const r = await mmm(['specs'], { cwd: repoWithStyles() });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+STATUS\s+PRIORITY\s+DEPENDS ON\s+CRITERIA$/);
    expect(lines.slice(1, 5).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'project-setup',
      'retry-policy',
      'metrics',
      'crlf',
    ]);
    expect(lines[1]).toMatch(/Set up the project skeleton\s+done\s+critical\s+-\s+3\/3$/);
    expect(lines[4]).toMatch(/low\s+project-setup, metrics\s+0\/2$/);
    // Columns line up: STATUS starts at the same offset on every row.
    const col = lines[0]?.indexOf('STATUS');
    expect(lines.slice(1, 5).every((l) => /^(done|draft|ready)/.test(l.slice(col)))).toBe(true);
    expect(r.stdout).toContain('4 specs: 1 done, 1 draft, 2 ready');
  });

  it('prints JSON with --json', async () => {
    const r = await mmm(['specs', '--json'], { cwd: repoWithStyles() });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { spec_dir: string; specs: Record<string, unknown>[] };
    expect(out.spec_dir).toBe('specs');
    expect(out.specs[1]).toEqual({
      id: 'retry-policy',
      title: 'Retry policy for HTTP calls',
      file: 'specs/02-retry-policy.md',
      status: 'draft',
      priority: 'high',
      depends_on: ['project-setup'],
      criteria: { done: 1, total: 3 },
      number: 2,
      category: 'feature',
    });
  });

  it('exits 2 with a hint when the spec directory is missing', async () => {
    const r = await mmm(['specs'], { cwd: gitRepo() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('mmm: spec directory specs/ does not exist');
    expect(r.stderr).toContain('hint: run `mmm init`');
  });

  it('exits 2 listing every problem when a spec is invalid', async () => {
    const cwd = repoWithStyles({
      'specs/05-bad.md': '---\ntitle: Bad\nstatus: finished\ndepends_on: nope\n---\n',
    });
    const r = await mmm(['specs'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mmm: 2 problems in spec files');
    expect(r.stderr).toContain('  specs/05-bad.md:3:9: status must be one of');
    expect(r.stderr).toContain('  specs/05-bad.md:4:13: depends_on must be a list of spec ids');
  });
});

describe('mmm specs validate', () => {
  it('exits 0 on valid specs', async () => {
    const r = await mmm(['specs', 'validate'], { cwd: repoWithStyles() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('✓ 4 specs in specs/ valid\n');
  });

  it('prints warnings but exits 0; --strict makes them errors (exit 2)', async () => {
    const cwd = repoWithStyles({ 'specs/05-w.md': '---\ntitle: W\ndepend_on: [metrics]\n---\n' });
    const loose = await mmm(['specs', 'validate'], { cwd });
    expect(loose.exitCode).toBe(0);
    expect(loose.stderr).toBe(
      'specs/05-w.md:3:1: warning: unknown key "depend_on" (did you mean "depends_on"?); it is ignored\n',
    );
    expect(loose.stdout).toContain('5 specs in specs/ valid (1 warning)');
    const strict = await mmm(['specs', 'validate', '--strict'], { cwd });
    expect(strict.exitCode).toBe(2);
    expect(strict.stderr).toContain('1 problem in spec files (--strict: warnings count)');
    expect(strict.stderr).toContain('  specs/05-w.md:3:1: unknown key "depend_on"');
  });

  it('lists every problem of every file and the graph (exit 2), with --json too', async () => {
    const cwd = repoWithStyles({
      'specs/05-cycle-a.md': '---\ntitle: A\ndepends_on: [cycle-b]\n---\n',
      'specs/06-cycle-b.md': '---\ntitle: B\ndepends_on: [cycle-a]\n---\n',
      'specs/07-cel.md': '---\ntitle: C\nchecks:\n  - expr: tests.ok &&\n---\n',
      'specs/08-latin1.md': Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
    });
    const r = await mmm(['specs', 'validate'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  specs/05-cycle-a.md:3:14: dependency cycle: cycle-a -> cycle-b -> cycle-a; remove one of these dependencies',
      '  specs/07-cel.md:4:22: invalid CEL expression: Unexpected token: EOF',
      '  specs/08-latin1.md:1:6: file is not valid UTF-8 (the first invalid byte is here): save it with UTF-8 encoding',
    ]);
    const json = await mmm(['specs', 'validate', '--json'], { cwd });
    expect(json.exitCode).toBe(2);
    const out = JSON.parse(json.stdout) as {
      valid: boolean;
      problems: { file: string; line: number }[];
    };
    expect(out.valid).toBe(false);
    expect(out.problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      'specs/05-cycle-a.md:3',
      'specs/07-cel.md:4',
      'specs/08-latin1.md:1',
    ]);
  });
});

describe('mmm specs show and graph', () => {
  it('shows one spec by id, number or file name', async () => {
    const cwd = repoWithStyles();
    const r = await mmm(['specs', 'show', 'retry-policy'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('retry-policy — Retry policy for HTTP calls');
    expect(r.stdout).toMatch(/depends on: project-setup \(done\)/);
    expect(r.stdout).toContain('acceptance criteria: 1/3');
    expect(r.stdout).toContain('  [x] Backoff doubles each attempt');
    const byNumber = await mmm(['specs', 'show', '1', '--json'], { cwd });
    const spec = JSON.parse(byNumber.stdout) as {
      id: string;
      checks: unknown[];
      dependents: string[];
    };
    expect(spec.id).toBe('project-setup');
    expect(spec.checks).toHaveLength(5);
    expect(spec.dependents).toEqual(['retry-policy', 'crlf']);
    const byFile = await mmm(['specs', 'show', '03-metrics.md'], { cwd });
    expect(byFile.stdout).toContain('metrics — Feature: Request metrics');
    const byStem = await mmm(['specs', 'show', '03-metrics'], { cwd });
    expect(byStem.exitCode).toBe(0);
    expect(byStem.stdout).toContain('metrics — Feature: Request metrics');
  });

  it('exits 2 with a did-you-mean for an unknown id', async () => {
    const r = await mmm(['specs', 'show', 'metrix'], { cwd: repoWithStyles() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('mmm: no spec "metrix" (did you mean "metrics"?)');
  });

  it('prints the graph as a tree and as DOT', async () => {
    const cwd = repoWithStyles();
    const tree = await mmm(['specs', 'graph'], { cwd });
    expect(tree.exitCode).toBe(0);
    expect(tree.stdout).toBe(
      [
        'project-setup  Set up the project skeleton  [done]',
        '├── retry-policy  Retry policy for HTTP calls  [draft]',
        '└── crlf  Windows line endings  [ready]',
        'metrics  Feature: Request metrics  [ready]',
        '└── crlf (see above)',
        '',
      ].join('\n'),
    );
    const dot = await mmm(['specs', 'graph', '--dot'], { cwd });
    expect(dot.exitCode).toBe(0);
    expect(dot.stdout).toMatch(/^digraph specs \{\n/);
    expect(dot.stdout).toContain('"project-setup" -> "retry-policy";');
    expect(dot.stdout).toContain('"metrics" -> "crlf";');
    expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);
  });
});

describe('mmm spec new', () => {
  it('writes the next numbered file from a template, which then validates', async () => {
    const cwd = repoWithStyles();
    const r = await mmm(
      [
        'spec',
        'new',
        'Handle: timeouts',
        '--template',
        'bugfix',
        '--depends-on',
        'retry-policy',
        'metrics',
      ],
      { cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'created specs/05-handle-timeouts.md (id handle-timeouts, template bugfix)',
    );
    const text = readFileSync(join(cwd, 'specs/05-handle-timeouts.md'), 'utf8');
    expect(text).toContain('title: "Handle: timeouts"\n');
    expect(text).toContain('depends_on: [retry-policy, metrics]\n');
    expect(text).toContain('# Handle: timeouts\n');
    const v = await mmm(['specs', 'validate', '--strict'], { cwd });
    expect(v.exitCode).toBe(0);
  });

  it('creates the spec directory in a fresh repository', async () => {
    const cwd = gitRepo();
    const r = await mmm(['spec', 'new', 'First spec', '--json'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      id: 'first-spec',
      file: 'specs/01-first-spec.md',
      title: 'First spec',
      template: 'feature',
    });
    expect(existsSync(join(cwd, 'specs/01-first-spec.md'))).toBe(true);
  });

  it('exits 2 and writes nothing on an unknown template or dependency', async () => {
    const cwd = repoWithStyles();
    const t = await mmm(['spec', 'new', 'X', '--template', 'bugfx'], { cwd });
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toContain('unknown spec template "bugfx" (did you mean "bugfix"?)');
    expect(t.stderr).toContain(
      'hint: available templates: bugfix, dependency-upgrade, docs, feature',
    );
    const d = await mmm(['spec', 'new', 'X', '--depends-on', 'metrix'], { cwd });
    expect(d.exitCode).toBe(2);
    expect(d.stderr).toContain(
      '--depends-on metrix: no spec has this id (did you mean "metrics"?)',
    );
    const e = await mmm(['spec', 'new', '  '], { cwd });
    expect(e.exitCode).toBe(2);
    const first = await mmm(['spec', 'new', 'Rate limits'], { cwd });
    expect(first.exitCode).toBe(0);
    const again = await mmm(['spec', 'new', 'Rate limits'], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(
      'a spec with id "rate-limits" already exists: specs/05-rate-limits.md',
    );
    expect(readdirSync(join(cwd, 'specs'))).toHaveLength(6);
  });
});

describe('spec_dir from the configuration', () => {
  it('reads specs from the configured directory, and from a subdirectory of the project', async () => {
    const cwd = gitRepo({
      '.mmm/config.toml': 'spec_dir = "docs/work"\n',
      'docs/work/01-only.md': '# Only spec\n\n## Acceptance Criteria\n\n- [ ] done\n',
      'src/x.ts': '',
    });
    const env = { XDG_CONFIG_HOME: join(cwd, '.xdg') };
    const r = await mmm(['specs', '--json'], { cwd: join(cwd, 'src'), env });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { spec_dir: string; specs: { file: string }[] };
    expect(out.spec_dir).toBe('docs/work');
    expect(out.specs.map((s) => s.file)).toEqual(['docs/work/01-only.md']);
    const created = await mmm(['spec', 'new', 'Second'], { cwd, env });
    expect(created.stdout).toContain('created docs/work/02-second.md');
  });

  it('exits 2, not 1, when spec_dir is a file', async () => {
    const cwd = gitRepo({ '.mmm/config.toml': 'spec_dir = "README"\n', README: 'hi\n' });
    const env = { XDG_CONFIG_HOME: join(cwd, '.xdg') };
    for (const args of [['specs'], ['spec', 'new', 'X']]) {
      const r = await mmm(args, { cwd, env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('mmm: README is not a directory');
      expect(r.stderr).not.toContain('internal error');
    }
  });
});
