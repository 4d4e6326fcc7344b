import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRepo } from '../support/tmp.js';
import { attemptDiff, guardAttempt, type GuardOptions } from '../../src/core/verdict/guard-git.js';
import { formatGuardFeedback, guardFingerprint } from '../../src/core/verdict/guard.js';
import { parseDiff } from '../../src/core/verdict/guard-diff.js';

/**
 * The integrity guard on real edits in real git repositories: the diff comes from git,
 * as in a run.
 */
const ADD_TEST = `const test = require('node:test');
const assert = require('node:assert');
const { add } = require('../src/add.js');

test('adds', () => {
  assert.equal(add(2, 3), 5);
});

test('adds negatives', () => {
  assert.equal(add(-2, -3), -5);
});
`;

function calcRepo(extra: Record<string, string> = {}): string {
  return gitRepo({
    'src/add.js': 'exports.add = (a, b) => a + b;\n',
    'test/add.test.js': ADD_TEST,
    'scripts/check.mjs': 'process.exit(0);\n',
    'specs/01-sub.md': '# Sub\n',
    'README.md': '# calc\n',
    ...extra,
  });
}

function options(repo: string, over: Partial<GuardOptions> = {}): GuardOptions {
  return {
    workDir: repo,
    checkpoint: git(repo, 'rev-parse', 'HEAD'),
    commands: [
      { command: 'node --test test/', origin: 'the test command' },
      { command: 'node scripts/check.mjs --strict', origin: 'the spec check' },
    ],
    configGlobs: [],
    specGlobs: [],
    allowEdit: [],
    specFile: 'specs/01-sub.md',
    knownTestFiles: [],
    ...over,
  };
}

describe('integrity guard on real edits', () => {
  it('accepts an honest change: new code and a new test', async () => {
    const repo = calcRepo();
    writeFileSync(join(repo, 'src/sub.js'), 'exports.sub = (a, b) => a - b;\n');
    writeFileSync(
      join(repo, 'test/sub.test.js'),
      "const test = require('node:test');\ntest('subs', () => {});\n",
    );
    writeFileSync(
      join(repo, 'test/add.test.js'),
      ADD_TEST.replace('adds negatives', 'adds two negatives'),
    );
    expect(await guardAttempt(options(repo))).toEqual([]);
  });

  it('names a deleted test file and its deleted lines', async () => {
    const repo = calcRepo();
    rmSync(join(repo, 'test/add.test.js'));
    writeFileSync(join(repo, 'src/add.js'), 'exports.add = (a, b) => a - b;\n');
    const v = await guardAttempt(options(repo));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ kind: 'test_deleted', file: 'test/add.test.js' });
    const feedback = formatGuardFeedback(v);
    expect(feedback).toContain('test file deleted: test/add.test.js');
    expect(feedback).toContain('6:   assert.equal(add(2, 3), 5);');
  });

  it('names an emptied test file (only a comment left)', async () => {
    const repo = calcRepo();
    writeFileSync(join(repo, 'test/add.test.js'), '// tests moved elsewhere\n');
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => [x.kind, x.file])).toEqual([['test_emptied', 'test/add.test.js']]);
  });

  it('names each added skip/only marker with file:line, not markers that only moved', async () => {
    const repo = calcRepo({
      'test/old.test.js': "const test = require('node:test');\ntest.skip('legacy', () => {});\n",
    });
    writeFileSync(
      join(repo, 'test/add.test.js'),
      ADD_TEST.replace("test('adds negatives'", "test.skip('adds negatives'").replace(
        "test('adds',",
        "test('adds', { only: true },",
      ),
    );
    // Re-indenting a marker that was there is not adding one.
    writeFileSync(
      join(repo, 'test/old.test.js'),
      "const test = require('node:test');\n  test.skip('legacy', () => {});\n",
    );
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => (x.kind === 'skip_marker' ? `${x.file}:${x.line}` : x.kind))).toEqual([
      'test/add.test.js:5',
      'test/add.test.js:9',
    ]);
    expect(formatGuardFeedback(v)).toContain(
      "skip/only marker added: test/add.test.js:9: test.skip('adds negatives', () => {",
    );
  });

  it('ignores skip-like words outside test files and in comments', async () => {
    const repo = calcRepo();
    writeFileSync(join(repo, 'src/list.js'), 'exports.page = (q) => q.skip(10).only(5);\n');
    writeFileSync(join(repo, 'test/add.test.js'), `${ADD_TEST}// do not use test.skip here\n`);
    expect(await guardAttempt(options(repo))).toEqual([]);
  });

  it('protects the script a check runs, CI files and .mmm/, unless the spec allows it', async () => {
    const repo = calcRepo({
      '.github/workflows/ci.yml': 'on: push\n',
      '.mmm/config.toml': '[commands]\n',
    });
    writeFileSync(join(repo, 'scripts/check.mjs'), 'process.exit(0); // always\n');
    writeFileSync(join(repo, '.github/workflows/ci.yml'), 'on: [push]\n');
    writeFileSync(join(repo, '.mmm/config.toml'), '[commands]\ntest = ""\n');
    writeFileSync(join(repo, 'specs/01-sub.md'), '# Sub\n- [x] done\n');
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => (x.kind === 'protected' ? `${x.file} <- ${x.why}` : x.kind))).toEqual([
      '.github/workflows/ci.yml <- a CI definition',
      ".mmm/config.toml <- mmm's configuration and run data",
      'scripts/check.mjs <- run by the spec check `node scripts/check.mjs --strict`',
      'specs/01-sub.md <- the spec this attempt is judged by (mmm updates it itself)',
    ]);
    // allow_edit opens the CI file and the script, never .mmm/ or the spec itself.
    const opened = await guardAttempt(
      options(repo, { allowEdit: ['.github/workflows/**', 'scripts/'] }),
    );
    expect(opened.map((x) => x.file)).toEqual(['.mmm/config.toml', 'specs/01-sub.md']);
  });

  it('protects globs from config and spec, and untracked new files under them', async () => {
    const repo = calcRepo({ 'fixtures/golden.json': '{}\n' });
    writeFileSync(join(repo, 'fixtures/golden.json'), '{"x":1}\n');
    mkdirSync(join(repo, 'gen'));
    writeFileSync(join(repo, 'gen/new.txt'), 'x\n');
    const v = await guardAttempt(
      options(repo, { configGlobs: ['fixtures/*.json'], specGlobs: ['gen/'] }),
    );
    expect(v.map((x) => (x.kind === 'protected' ? `${x.file} <- ${x.pattern}` : x.kind))).toEqual([
      'fixtures/golden.json <- fixtures/*.json',
      'gen/new.txt <- gen/',
    ]);
  });

  it('does not protect a test file a check runs (the test rules guard it)', async () => {
    const repo = calcRepo();
    writeFileSync(join(repo, 'test/add.test.js'), `${ADD_TEST}test('more', () => {});\n`);
    const v = await guardAttempt(
      options(repo, {
        commands: [{ command: 'node --test test/add.test.js', origin: 'the spec check' }],
      }),
    );
    expect(v).toEqual([]);
  });

  it('treats files the runners named as tests, and a test moved out of the suite as deleted', async () => {
    const repo = calcRepo({ 'checks/arith.js': "require('node:test')('x', () => {});\n" });
    rmSync(join(repo, 'checks/arith.js'));
    renameSync(join(repo, 'test/add.test.js'), join(repo, 'src/add-cases.js'));
    const v = await guardAttempt(options(repo, { knownTestFiles: ['./checks/arith.js'] }));
    expect(v.map((x) => x.kind === 'test_deleted' && [x.file, x.movedTo ?? null])).toEqual([
      ['checks/arith.js', null],
      ['test/add.test.js', 'src/add-cases.js'],
    ]);
    expect(guardFingerprint(v)).toBe(
      'guard:test_deleted:checks/arith.js|test_deleted:test/add.test.js',
    );
  });

  it('treats a test renamed out of the naming convention as moved out, even inside tests/', async () => {
    // qa-verdicts: pytest 9.0.3 (python_files = test_*.py) and vitest 4 do not collect the
    // new names, yet the files stay under a test directory; a counts-only runner
    // (unittest, phpunit) then reports fewer tests that a new trivial test can make up for.
    const repo = calcRepo({
      'tests/test_calc.py': 'def test_add():\n    assert 1 + 1 == 2\n',
      'src/add.spec.ts': "it('adds', () => expect(1 + 1).toBe(2));\n",
    });
    mkdirSync(join(repo, 'tests/helpers'), { recursive: true });
    renameSync(join(repo, 'tests/test_calc.py'), join(repo, 'tests/calc_cases.py'));
    renameSync(join(repo, 'src/add.spec.ts'), join(repo, 'src/add.cases.ts'));
    renameSync(join(repo, 'test/add.test.js'), join(repo, 'test/add_test.js'));
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => x.kind === 'test_deleted' && [x.file, x.movedTo ?? null])).toEqual([
      ['src/add.spec.ts', 'src/add.cases.ts'],
      ['tests/test_calc.py', 'tests/calc_cases.py'],
    ]);
  });

  it('parses quoted paths, renames and binary files from git', async () => {
    const repo = calcRepo({ 'test/é x.test.js': "test('a', () => {});\n", 'img.bin': 'a' });
    writeFileSync(join(repo, 'test/é x.test.js'), "test.only('a', () => {});\n");
    writeFileSync(join(repo, 'img.bin'), Buffer.from([0, 1, 2, 0]));
    const { files } = await attemptDiff(repo, git(repo, 'rev-parse', 'HEAD'));
    expect(files.map((f) => [f.newPath, f.status, f.binary])).toEqual([
      ['img.bin', 'modified', true],
      ['test/é x.test.js', 'modified', false],
    ]);
    const v = await guardAttempt(options(repo));
    expect(v.map((x) => x.kind === 'skip_marker' && `${x.file}:${x.line}`)).toEqual([
      'test/é x.test.js:1',
    ]);
    // The parser on a hand-written header with spaces and no ---/+++ lines.
    expect(parseDiff('diff --git a/a b/c b/a b/c\nold mode 100644\nnew mode 100755\n')).toEqual([
      {
        oldPath: 'a b/c',
        newPath: 'a b/c',
        status: 'modified',
        binary: false,
        added: [],
        removed: [],
      },
    ]);
  });
});
