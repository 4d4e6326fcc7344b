import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { cannotRun } from '../../src/core/analyze/install-hints.js';
import { verifyCommands } from '../../src/core/analyze/verify.js';
import { InputError } from '../../src/core/errors.js';
import { git, gitRepo, tempDir } from '../support/tmp.js';

/**
 * `mmm analyze --verify`: every detected command really runs, in a temporary worktree,
 * and what it did is recorded. Real make, real node --test, a real missing tool.
 */
const TESTS = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert';",
  "test('adds', () => assert.equal(1 + 1, 2));",
  "test('breaks', () => assert.equal(1 + 1, 3));",
  '',
].join('\n');

describe('mmm analyze --verify', () => {
  it('records passes, fails with the failure count, cannot run with a hint, timeouts', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'package-lock.json': '{}',
      'src/sum.js': 'export const sum = (a, b) => a + b;\n',
      'test/sum.test.mjs': TESTS,
      Makefile: [
        '.PHONY: build lint typecheck format',
        'build:',
        '\ttrue',
        'lint:',
        '\tno-such-linter-xyz src',
        'typecheck:',
        '\ttrue',
        'format:',
        "\tsed -i 's/a + b/b + a/' src/sum.js",
        '',
      ].join('\n'),
    });
    const analysis = await analyzeProject(root, { cache: false });
    expect(analysis.commands).toMatchObject({
      build: 'make build',
      test: 'npm test',
      lint: 'make lint',
      format: 'make format',
    });
    const seen: string[] = [];
    const a = await verifyCommands(analysis, {
      timeoutSec: 60,
      onProgress: (e) => {
        if (!e.result) seen.push(e.name);
      },
    });
    expect(seen).toEqual(['build', 'typecheck', 'lint', 'test', 'format']);
    const s = a.commandSources;
    expect(s.build?.verification).toMatchObject({ status: 'passes', exitCode: 0 });
    expect(s.build?.confidence).toBe('verified');
    expect(s.test?.verification).toMatchObject({ status: 'fails', failures: 1, tests: 2 });
    expect(s.test?.confidence).toBe('verified');
    expect(s.lint?.verification?.status).toBe('cannot-run');
    expect(s.lint?.verification?.hint).toMatch(/no-such-linter-xyz is missing/);
    expect(s.lint).toMatchObject({ confidence: 'guess', sure: false });
    // typecheck and build are both `true` behind make: each its own run.
    expect(s.typecheck?.verification?.status).toBe('passes');
    expect(s.format?.verification?.status).toBe('passes');
    expect(a.verified?.head).toBe(analysis.git?.head);
    // The user's checkout is untouched and the temporary worktree is gone.
    expect(readFileSync(join(root, 'src/sum.js'), 'utf8')).toContain('a + b');
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(git(root, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 30_000);

  it('a command that outlives the timeout is recorded as timed out', async () => {
    const root = gitRepo({ Makefile: 'typecheck:\n\tsleep 30\n' });
    const analysis = await analyzeProject(root, { cache: false });
    expect(analysis.commands.typecheck).toBe('make typecheck');
    const a = await verifyCommands(analysis, { timeoutSec: 1 });
    expect(a.commandSources.typecheck?.verification?.status).toBe('timed-out');
    expect(a.commandSources.typecheck?.confidence).toBe('conventional');
  });

  it('outside git or before the first commit: a clear input error', async () => {
    const plain = tempDir();
    const a = await analyzeProject(plain, { cache: false });
    await expect(verifyCommands(a, { timeoutSec: 5 })).rejects.toThrow(InputError);
    const empty = gitRepo({ 'go.mod': 'module x\n' }, { commit: false });
    const b = await analyzeProject(empty, { cache: false });
    await expect(verifyCommands(b, { timeoutSec: 5 })).rejects.toThrow(/no commits/);
  });

  it('install hints: missing tools, cargo components, npx without the package', () => {
    expect(cannotRun('cargo fmt', 127, 'bash: line 1: cargo: command not found')).toMatch(
      /cargo is missing: install Rust with rustup/,
    );
    expect(cannotRun('cargo clippy', 101, 'error: no such command: `clippy`')).toBe(
      'cargo clippy is missing: rustup component add clippy',
    );
    expect(cannotRun('npx jest', 1, 'npm error npx canceled due to missing packages')).toMatch(
      /jest is missing: install the Node dependencies/,
    );
    expect(cannotRun('uv run pytest', 1, "ModuleNotFoundError: No module named 'pytest'")).toMatch(
      /pytest is missing/,
    );
    expect(cannotRun('npm run lint', 1, 'npm error Missing script: "lint"')).toMatch(
      /script lint is not defined/,
    );
    expect(cannotRun('npm test', 1, '1 failing test')).toBeUndefined();
  });
});
