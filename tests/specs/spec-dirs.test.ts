import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config/load.js';
import { InputError } from '../../src/core/errors.js';
import { runMmm } from '../support/cli.js';
import { gitRepo, tempDir, type FileTree } from '../support/tmp.js';

/**
 * `spec_dir` as a list of folders: the configuration accepts and checks it, and every
 * spec command reads all the folders (ids unique across them; new specs go into the first).
 */

function spec(number: number, title: string, extra = ''): string {
  return `---\nnumber: ${number}\ntitle: ${title}\nstatus: ready\n${extra}---\n\n# ${title}\n\n## Acceptance Criteria\n\n- [ ] ${title} works\n`;
}

/** A repository with `.mmm/config.toml` holding `config`, plus `tree`, committed. */
function repo(config: string, tree: FileTree = {}): string {
  return gitRepo({ '.mmm/config.toml': config, ...tree });
}

function mmm(args: string[], cwd: string) {
  return runMmm(args, {
    cwd,
    env: { XDG_CONFIG_HOME: join(cwd, '.xdg'), XDG_DATA_HOME: join(cwd, '.xdg') },
  });
}

async function configProblems(config: string): Promise<string[]> {
  const root = repo(config);
  try {
    await loadConfig({ cwd: root, env: { XDG_CONFIG_HOME: join(tempDir(), 'config') } });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
  throw new Error(`expected an InputError for ${config}`);
}

describe('spec_dir in the configuration', () => {
  const env = (): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: join(tempDir(), 'config') });

  it('keeps a single folder a string, and normalizes a list in its order', async () => {
    const one = repo('spec_dir = "./docs/specs/"\n');
    expect((await loadConfig({ cwd: one, env: env() })).config.spec_dir).toBe('docs/specs');
    const two = repo('spec_dir = ["./specs/", "docs//specs"]\n');
    const loaded = await loadConfig({ cwd: two, env: env() });
    expect(loaded.config.spec_dir).toEqual(['specs', 'docs/specs']);
    expect(loaded.sources.spec_dir).toBe(join(two, '.mmm/config.toml'));
    const fromEnv = await loadConfig({ cwd: two, env: { ...env(), MMM_SPEC_DIR: 'work' } });
    expect(fromEnv.config.spec_dir).toBe('work');
    const listEnv = { ...env(), MMM_SPEC_DIR: '["work", "docs/specs"]' };
    const fromList = await loadConfig({ cwd: two, env: listEnv });
    expect(fromList.config.spec_dir).toEqual(['work', 'docs/specs']);
    expect(fromList.sources.spec_dir).toBe('env MMM_SPEC_DIR');
    // A comma belongs to the path: only a JSON list is a list.
    const comma = await loadConfig({ cwd: two, env: { ...env(), MMM_SPEC_DIR: 'a,b' } });
    expect(comma.config.spec_dir).toBe('a,b');
  });

  it('names MMM_SPEC_DIR when its list is not JSON', async () => {
    const root = repo('');
    const error = await loadConfig({
      cwd: root,
      env: { ...env(), MMM_SPEC_DIR: '["specs", docs]' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.join('\n')).toContain(
      'MMM_SPEC_DIR="[\\"specs\\", docs]": expected one value, or a JSON list such as ["specs","docs/specs"]',
    );
  });

  it('refuses an empty list, an empty entry and a value of another type, naming file and line', async () => {
    const empty = await configProblems('model = "m"\nspec_dir = []\n');
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatch(/\.mmm\/config\.toml:2: spec_dir: lists no folder; list at least one/);
    const blank = await configProblems('spec_dir = ["specs", ""]\n');
    expect(blank[0]).toMatch(/config\.toml:1: spec_dir\.1: a folder in the list is empty/);
    const number = await configProblems('spec_dir = 3\n');
    expect(number[0]).toContain(
      'spec_dir: expected a folder (e.g. "specs") or a list of folders (e.g. ["specs", "docs/specs"])',
    );
  });

  it('refuses a folder listed twice and a folder outside the repository, each named, all at once', async () => {
    const problems = await configProblems('spec_dir = ["specs", "./specs/", "../elsewhere"]\n');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /\.mmm\/config\.toml: spec_dir lists the folder "specs" twice \(as "specs" and "\.\/specs\/"\); list each folder once$/,
    );
    expect(problems[1]).toMatch(
      /\.mmm\/config\.toml: spec_dir "\.\.\/elsewhere" leaves the repository .*; list only folders inside the repository/,
    );
  });

  it('is exit 2 from the command line, with the message and the fix', async () => {
    const root = repo('spec_dir = ["specs", ".mmm/specs"]\n', { 'specs/01-a.md': spec(1, 'A') });
    const r = await mmm(['specs'], root);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Invalid configuration (1 problem):');
    expect(r.stderr).toMatch(/config\.toml: spec_dir "\.mmm\/specs" is inside \.mmm/);
    expect(r.stderr).toContain('list only folders inside the repository, relative to its root');
  });
});

describe('mmm specs with several spec directories', () => {
  const LIST = 'spec_dir = ["specs", "docs/specs"]\n';

  it('lists the specs of every folder together, in order, and says where they came from', async () => {
    const root = repo(LIST, {
      'specs/01-parser.md': spec(1, 'Parser'),
      'specs/03-cache.md': spec(3, 'Cache', 'dependencies: [2]\n'),
      'docs/specs/02-lexer.md': spec(2, 'Lexer'),
    });
    const table = await mmm(['specs'], root);
    expect(table.stderr).toBe('');
    expect(table.exitCode).toBe(0);
    const rows = table.stdout.split('\n').slice(1, 4);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['parser', 'lexer', 'cache']);
    expect(table.stdout).toContain('from specs/ (2 spec files), docs/specs/ (1 spec file)');

    const json = await mmm(['specs', '--json'], root);
    const out = JSON.parse(json.stdout) as {
      spec_dir: string[];
      layouts: { path: string }[];
      specs: { file: string }[];
    };
    expect(out.spec_dir).toEqual(['specs', 'docs/specs']);
    expect(out.layouts.map((l) => l.path)).toEqual(['specs', 'docs/specs']);
    expect(out.specs.map((s) => s.file)).toEqual([
      'specs/01-parser.md',
      'docs/specs/02-lexer.md',
      'specs/03-cache.md',
    ]);

    const valid = await mmm(['specs', 'validate'], root);
    expect(valid.stdout).toContain(
      '✓ 3 specs in specs/ (2 spec files), docs/specs/ (1 spec file) valid',
    );
    const show = await mmm(['specs', 'show', 'lexer'], root);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('docs/specs/02-lexer.md');
  });

  it('a number or an id used in two folders is the duplicate error naming both files', async () => {
    const root = repo(LIST, {
      'specs/01-parser.md': spec(1, 'Parser'),
      'docs/specs/01-lexer.md': spec(1, 'Lexer'),
      'specs/04-login.md': spec(4, 'Login', 'id: login\n'),
      'docs/specs/05-login.md': spec(5, 'Login again', 'id: login\n'),
    });
    const r = await mmm(['specs', 'validate'], root);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'docs/specs/01-lexer.md:1:1: duplicate spec number 1 (also used by specs/01-parser.md)',
    );
    expect(r.stderr).toMatch(
      /docs\/specs\/05-login\.md:\d+:\d+: duplicate spec id "login" \(also used by specs\/04-login\.md\)/,
    );
  });

  it('reads a listed folder once when it sits inside another listed folder', async () => {
    const root = repo('spec_dir = ["specs", "specs/auth"]\n', {
      'specs/01-parser.md': spec(1, 'Parser'),
      'specs/auth/spec.md': '# Feature Specification: Sign-in\n\nUsers sign in.\n',
      'specs/auth/tasks.md': '# Tasks\n\n- [ ] T001 Write the form\n',
    });
    const json = await mmm(['specs', '--json'], root);
    expect(json.stderr).toBe('');
    const out = JSON.parse(json.stdout) as { specs: { file: string }[] };
    expect(out.specs.map((s) => s.file)).toEqual(['specs/01-parser.md', 'specs/auth/spec.md']);
  });

  it('warns about a listed folder that does not exist while another holds specs; none at all is exit 2', async () => {
    const root = repo(LIST, { 'docs/specs/01-only.md': spec(1, 'Only') });
    const r = await mmm(['specs', '--json'], root);
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { specs: unknown[] }).specs).toHaveLength(1);
    // Most likely a typo in spec_dir: a warning naming it (so --strict fails).
    const validate = await mmm(['specs', 'validate', '--strict'], root);
    expect(validate.exitCode).toBe(2);
    expect(validate.stdout + validate.stderr).toContain(
      'specs/:1:1: spec_dir lists specs/, which does not exist',
    );
    const empty = repo(LIST, { 'README.md': 'hi\n' });
    const none = await mmm(['specs'], empty);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('spec directories specs/, docs/specs/ do not exist');
  });

  it('`mmm spec new` writes into the first folder, numbered after every folder', async () => {
    const root = repo(LIST, {
      'specs/01-parser.md': spec(1, 'Parser'),
      'docs/specs/07-lexer.md': spec(7, 'Lexer'),
    });
    const created = await mmm(['spec', 'new', 'Cache results', '--depends-on', 'lexer'], root);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('created specs/08-cache-results.md');
    expect(readdirSync(join(root, 'docs/specs'))).toEqual(['07-lexer.md']);
    const fresh = repo('spec_dir = ["work/specs", "docs/specs"]\n', {
      'docs/specs/02-lexer.md': spec(2, 'Lexer'),
    });
    const first = await mmm(['spec', 'new', 'Parser'], fresh);
    expect(first.stdout).toContain('created work/specs/03-parser.md');
    expect(existsSync(join(fresh, 'work/specs/03-parser.md'))).toBe(true);
  });
});
