import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/core/config/decimal.js';
import { loadConfig } from '../../src/core/config/load.js';
import { branchPrefixProblem, patternProblem } from '../../src/core/config/rules.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeTree } from '../support/tmp.js';

function setup(project?: string) {
  const xdg = tempDir();
  const root = tempDir();
  writeTree(root, { '.git/HEAD': 'ref: refs/heads/main\n' });
  if (project) writeTree(root, { '.mmm/config.toml': project });
  return { root, env: { XDG_CONFIG_HOME: xdg } as NodeJS.ProcessEnv };
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

/** What git itself says of `<prefix><run-id>` as a branch name. */
function gitAccepts(prefix: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', `${prefix}20260101-000000-abcd`], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

describe('config rules (issue 17 item 10)', () => {
  it.each([
    'mmm/',
    'ai/mmm-',
    'x',
    'team.a/run_',
    'a..b/',
    'x y/',
    '-x/',
    'x.lock/',
    '.x/',
    'a//b/',
    '/a/',
    'a~/',
    'a^b/',
    'a:b/',
    'a?/',
    'a*/',
    'a[/',
    'a\\b/',
    'a@{b/',
    'a\tb/',
  ])('branch prefix %j: agrees with git check-ref-format --branch', (prefix) => {
    expect(branchPrefixProblem(prefix) === undefined).toBe(gitAccepts(prefix));
  });

  it('command patterns: a bad regex is a problem, globs always compile', () => {
    expect(patternProblem('re:(["]')).toMatch(/"re:\(\["\]" is not a valid regular expression/);
    expect(patternProblem('re:^curl ')).toBeUndefined();
    expect(patternProblem('npm publish*')).toBeUndefined();
    expect(patternProblem('  ')).toMatch(/empty pattern/);
  });

  it('numbers given as text are plain decimals only', () => {
    expect(['5', '0.25', '-1', '.5', ' 7 '].map(parseDecimal)).toEqual([5, 0.25, -1, 0.5, 7]);
    for (const bad of ['0x10', '1e-9', '0b1', '0o7', 'Infinity', '', ' ', '1_000', '+5', '5.']) {
      if (bad === '5.') continue;
      expect(parseDecimal(bad)).toBeUndefined();
    }
  });

  it('loadConfig reports each problem with its file, line and key (exit 2)', async () => {
    const { root, env } = setup(
      '[git]\nbranch_prefix = "a..b/"\n\n[tools]\ndeny = ["re:([", "npm publish"]\n',
    );
    env.MMM_BUDGET__USD = '0x10';
    env.MMM_MAX_TURNS = '1e-9';
    const file = join(root, '.mmm/config.toml');
    let caught: unknown;
    const problems = await problemsOf(
      loadConfig({ cwd: root, env }).catch((error: unknown) => {
        caught = error;
        throw error;
      }),
    );
    expect((caught as InputError).exitCode).toBe(2);
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: git\\.branch_prefix: "a\\.\\.b/" cannot start a branch name: it contains "\\.\\."`,
        ),
      ),
      expect.stringMatching(
        /config\.toml:5: tools\.deny\.0: "re:\(\[" is not a valid regular expression/,
      ),
      expect.stringMatching(/^MMM_BUDGET__USD="0x10": expected a plain decimal number/),
      expect.stringMatching(/^MMM_MAX_TURNS="1e-9": expected a plain decimal number/),
    ]);
  });

  it('the same checks apply to MMM_* variables', async () => {
    const { root, env } = setup();
    env.MMM_GIT__BRANCH_PREFIX = 'x y/';
    env.MMM_TOOLS__ALLOW = 're:*x';
    const problems = await problemsOf(loadConfig({ cwd: root, env }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^MMM_GIT__BRANCH_PREFIX: git\.branch_prefix: "x y\/" cannot start a branch name: it contains a space/,
      ),
      expect.stringMatching(/tools\.allow\.0: "re:\*x" is not a valid regular expression/),
    ]);
  });
});
