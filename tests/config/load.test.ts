import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config/load.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeTree } from '../support/tmp.js';
import { findKeyLine } from '../../src/core/config/toml-positions.js';

function setup(files: { global?: string; project?: string }) {
  const xdg = tempDir();
  const project = tempDir();
  writeTree(project, { '.git/HEAD': 'ref: refs/heads/main\n' });
  if (files.global) writeTree(xdg, { 'mmm/config.toml': files.global });
  if (files.project) writeTree(project, { '.mmm/config.toml': files.project });
  return { project, env: { XDG_CONFIG_HOME: xdg } as NodeJS.ProcessEnv, xdg };
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
  throw new Error('expected an InputError');
}

describe('loadConfig', () => {
  it('returns defaults when there is no file', async () => {
    const { project, env } = setup({});
    const { config, sources } = await loadConfig({ cwd: project, env });
    expect(config.model).toBe('claude-sonnet-5-5');
    expect(config.max_attempts).toBe(3);
    expect(sources['model']).toBe('default');
  });

  it('layers defaults < global < project < env < flags and records sources', async () => {
    const { project, env, xdg } = setup({
      global: 'model = "global-model"\nmax_iterations = 4\n[budget]\nusd = 1\n',
      project: 'model = "project-model"\n[budget]\nusd = 2\ntokens = 1000\n',
    });
    env.MMM_BUDGET__USD = '3';
    env.MMM_TOOLS__DENY = 'rm -rf *,curl *';
    const loaded = await loadConfig({
      cwd: join(project),
      env,
      flags: { 'budget.tokens': 500, max_turns: undefined },
    });
    expect(loaded.config.model).toBe('project-model');
    expect(loaded.config.max_iterations).toBe(4);
    expect(loaded.config.budget).toEqual({ usd: 3, tokens: 500 });
    expect(loaded.config.tools.deny).toEqual(['rm -rf *', 'curl *']);
    expect(loaded.sources['model']).toBe(join(project, '.mmm/config.toml'));
    expect(loaded.sources['max_iterations']).toBe(join(xdg, 'mmm/config.toml'));
    expect(loaded.sources['budget.usd']).toBe('env MMM_BUDGET__USD');
    expect(loaded.sources['budget.tokens']).toBe('flag');
  });

  it('does not credit an empty table (as scaffolded by mmm init) with its defaults', async () => {
    const { project, env } = setup({
      project: '[budget]\n# usd = 5\n\n[validate]\n# timeout = 600\n\n[git]\nworktree = false\n',
    });
    const loaded = await loadConfig({ cwd: project, env });
    expect(loaded.config.validate.timeout).toBe(600);
    expect(loaded.sources['validate.timeout']).toBe('default');
    expect(loaded.sources['validate.run']).toBe('default');
    expect(loaded.sources['git.branch_prefix']).toBe('default');
    expect(loaded.sources['git.worktree']).toBe(join(project, '.mmm/config.toml'));
  });

  it('finds the project config from a subdirectory', async () => {
    const { project, env } = setup({ project: 'spec_dir = "docs/specs"\n' });
    writeTree(project, { 'src/deep/x.txt': '' });
    const loaded = await loadConfig({ cwd: join(project, 'src/deep'), env });
    expect(loaded.config.spec_dir).toBe('docs/specs');
    expect(loaded.root).toBe(project);
  });

  it('lists every problem of every layer at once with file and line', async () => {
    const { project, env } = setup({
      global: 'max_attempts = 0\n',
      project: 'model = "x"\n\n[budget]\nusd = "five"\ntokenz = 3\n\n[tools]\nbash_timeout = -1\n',
    });
    env.MMM_MAX_TURNS = 'many';
    const problems = await problemsOf(loadConfig({ cwd: project, env }));
    const projectFile = join(project, '.mmm/config.toml');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/mmm\/config\.toml:1: max_attempts: Too small/),
        `${projectFile}:4: budget.usd: Invalid input: expected number, received string`,
        `${projectFile}:5: unknown key "budget.tokenz" (did you mean "tokens"?)`,
        expect.stringContaining(`${projectFile}:8: tools.bash_timeout:`),
        'MMM_MAX_TURNS="many": expected a plain decimal number such as 5 or 0.25 (no hex, exponent or other forms)',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('reports invalid TOML with line and column', async () => {
    const { project, env } = setup({ project: 'model = "a"\nmax_turns = \n' });
    const problems = await problemsOf(loadConfig({ cwd: project, env }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/config\.toml:2:\d+: invalid TOML/);
  });

  it('rejects bad flag values', async () => {
    const { project, env } = setup({});
    const problems = await problemsOf(
      loadConfig({ cwd: project, env, flags: { 'budget.usd': -1 } }),
    );
    expect(problems[0]).toMatch(/flag for budget\.usd/);
  });

  it('warns about MMM_ variables that are not keys', async () => {
    const { project, env } = setup({});
    env.MMM_MODLE = 'x';
    env.MMM_DEBUG = '1';
    const loaded = await loadConfig({ cwd: project, env });
    expect(loaded.warnings).toEqual(['MMM_MODLE is set but is not a configuration key; ignored']);
  });
});

describe('findKeyLine', () => {
  it('finds tables, dotted keys and quoted keys', () => {
    const text =
      '# c\nmodel = "m"\nbudget.usd = 2\n[tools]\n"bash_timeout" = 3\n[pricing.x]\ninput = 1\n';
    expect(findKeyLine(text, ['model'])).toBe(2);
    expect(findKeyLine(text, ['budget', 'usd'])).toBe(3);
    expect(findKeyLine(text, ['tools', 'bash_timeout'])).toBe(5);
    expect(findKeyLine(text, ['pricing', 'x', 'input'])).toBe(7);
    expect(findKeyLine(text, ['nothing'])).toBe(1);
  });
});
