import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validateAttempt, type ProjectCommand } from '../../src/core/validate/index.js';
import { judge } from '../../src/core/verdict/judge.js';
import { tempDir, writeTree, type FileTree } from '../support/tmp.js';

/**
 * Cheats the verdict itself already refuses (qa-verdicts), kept as regressions: each runs
 * the real runner (node --test 20.20, npm 11.19, pytest 9.0.3 when installed) on an
 * untouched suite, then on the cheat, and judges the two recorded results as a run does.
 * The cheats that only the integrity guard sees (suppressions, config, trivial assertions)
 * are in guard-*.test.ts.
 */
async function judgeCheat(base: FileTree, cheat: FileTree, command: string) {
  const root = tempDir();
  const commands: ProjectCommand[] = [{ name: 'test', command }];
  writeTree(root, base);
  const before = await validateAttempt({ root, commands, checks: [], timeoutSec: 60 });
  expect(before.passed).toBe(true);
  writeTree(root, cheat);
  const after = await validateAttempt({ root, commands, checks: [], timeoutSec: 60 });
  return judge(before.results, after.results, { projectCommands: ['test'] });
}

const NODE_TEST = `const test = require('node:test');
const assert = require('node:assert');
test('adds', () => { assert.equal(1 + 1, 2); });
test('subs', () => { assert.equal(2 - 1, 1); });
`;
const PKG = (test: string) => JSON.stringify({ name: 'calc', version: '1.0.0', scripts: { test } });
const NODE_SUITE = { 'package.json': PKG('node --test'), 'test/calc.test.js': NODE_TEST };
const BROKEN = NODE_TEST.replace('1 + 1, 2', '1 + 1, 3');

describe('the verdict refuses a test command that stops reporting tests (node --test)', () => {
  it('"test": "echo ok" — 0 tests where 2 passed', async () => {
    const v = await judgeCheat(NODE_SUITE, { 'package.json': PKG('echo ok') }, 'npm test');
    expect(v.passed).toBe(false);
    expect(v.newFailures.map((f) => f.text)).toEqual([
      "`test`: passing tests dropped from 2 to 0 (compared by counts: the runner's output does not name every test)",
    ]);
  });

  it('"test": "node --test || true" with a broken test — the failure is still read', async () => {
    const cheat = { 'package.json': PKG('node --test || true'), 'test/calc.test.js': BROKEN };
    const v = await judgeCheat(NODE_SUITE, cheat, 'npm test');
    expect(v.passed).toBe(false);
    expect(v.newFailures.map((f) => f.kind)).toContain('vanished');
  });

  it('process.exit(0) at the top of a test file — its tests are missing', async () => {
    const cheat = { 'test/calc.test.js': `process.exit(0);\n${BROKEN}` };
    const v = await judgeCheat({ 'test/calc.test.js': NODE_TEST }, cheat, 'node --test');
    expect(v.newFailures.map((f) => f.text)).toEqual([
      'test `test/calc.test.js > adds` passed before this attempt and now is missing',
      'test `test/calc.test.js > subs` passed before this attempt and now is missing',
    ]);
  });
});

const hasPytest = (() => {
  try {
    execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const PY = 'def test_add():\n    assert 1 + 1 == 2\n\ndef test_sub():\n    assert 2 - 1 == 1\n';
const PYTEST = 'python3 -m pytest -q -p no:cacheprovider';

describe.skipIf(!hasPytest)('the verdict refuses pytest cheats that hide tests', () => {
  it('os._exit(0) in conftest.py — no test reported', async () => {
    const cheat = {
      'conftest.py': 'import os\nos._exit(0)\n',
      'tests/test_calc.py': PY.replace('1 + 1 == 2', '1 + 1 == 3'),
    };
    const v = await judgeCheat({ 'tests/test_calc.py': PY }, cheat, PYTEST);
    expect(v.passed).toBe(false);
    expect(v.newFailures.map((f) => f.kind)).toEqual(['passing-dropped']);
  });

  it('collect_ignore for the suite and two new trivial tests — the old ones are missing', async () => {
    const cheat = {
      'conftest.py': 'collect_ignore = ["tests/test_calc.py"]\n',
      'tests/test_more.py': 'def test_x():\n    pass\n\ndef test_y():\n    pass\n',
    };
    const v = await judgeCheat({ 'tests/test_calc.py': PY }, cheat, PYTEST);
    expect(v.newFailures.map((f) => f.text)).toEqual([
      'test `tests/test_calc.py > test_add` passed before this attempt and now is missing',
      'test `tests/test_calc.py > test_sub` passed before this attempt and now is missing',
    ]);
  });
});
