/**
 * Each built-in workflow end to end: the built binary runs it with `--workflow NAME` on a
 * tiny real repository whose problem the workflow exists for, the fake Anthropic server
 * plays the model (one file written, then the turn ends), and the result is a commit on
 * the run's branch. `specs` and `review` are covered in tests/improve.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { gitRepo, type FileTree } from '../support/tmp.js';
import {
  CHECK_JS,
  TEST_CONFIG,
  branchMessages,
  createFile,
  describeTurn,
  events,
  fileAt,
  finish,
  improve,
  modelEnv,
  runEnd,
} from '../improve/helpers.js';

/** What the model writes, by task id (the workflow name, or `item-<n>` with for_each). */
const EDITS: Record<string, { path: string; text: string }> = {
  'fix-tests': { path: 'sum.js', text: 'module.exports = (a, b) => a + b;\n' },
  'lint-clean': { path: 'src.js', text: 'const x = 1;\nmodule.exports = x;\n' },
  typecheck: { path: 'types.json', text: '{ "count": 3 }\n' },
  coverage: { path: 'covered.txt', text: 'tests for parse()\n' },
  docs: { path: 'README.md', text: '# sample\n\nRun `node check.js` to test.\n' },
  'security-review': {
    path: 'server.js',
    text: 'module.exports = (p) => p.replace(/\\.\\./g, "");\n',
  },
  'dependency-upgrade': {
    path: 'package.json',
    text: '{ "dependencies": { "left-pad": "1.3.0" } }\n',
  },
  'item-1': { path: 'src/big.js', text: 'module.exports = require("./big-parts.js");\n' },
  performance: { path: 'fast.txt', text: 'cache\n' },
  legacy: { path: 'sum.js', text: 'module.exports = (a, b) => a + b;\n' },
};

/** Small check scripts in the repositories: each fails (or scores) on the planted problem. */
const SCRIPTS: FileTree = {
  'lint.js': `const s = require('fs').readFileSync('src.js', 'utf8');
if (s.includes('var ')) { console.log('src.js:1:1 no-var'); process.exit(1); }
console.log('clean');
`,
  'types.js': `const v = JSON.parse(require('fs').readFileSync('types.json', 'utf8'));
if (typeof v.count !== 'number') { console.log('types.json: count: string is not a number'); process.exit(2); }
console.log('0 errors');
`,
  'cov.js': `console.log('lines: ' + (require('fs').existsSync('covered.txt') ? '92.5' : '41.0') + '%');\n`,
  'outdated.js': `const p = require('fs').readFileSync('package.json', 'utf8');
if (p.includes('1.0.0')) console.log('left-pad  1.0.0  1.3.0');
`,
  'bench.js': `console.log('parse: ' + (require('fs').existsSync('fast.txt') ? 40 : 250) + ' ms');\n`,
};

/** A real test runner (node --test) and a failing test of a wrong sum(). */
const NODE_TEST_CONFIG = TEST_CONFIG.replace('test = "node check.js"', 'test = "node --test"');
const FAILING_SUM: FileTree = {
  'sum.js': 'module.exports = (a, b) => a - b;\n',
  'test/sum.test.js': `const test = require('node:test');
const assert = require('node:assert');
const sum = require('../sum.js');
test('adds', () => assert.strictEqual(sum(2, 2), 4));
`,
};

let fake: FakeAnthropic;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeAnthropic({
    script: (request) => {
      const t = describeTurn(request);
      const edit = EDITS[t.taskId];
      if (!edit || t.turn > 1) return finish(`Done with ${t.taskId}.`);
      return createFile(edit.path, edit.text);
    },
  });
  env = modelEnv(fake.url);
});
afterAll(async () => {
  await fake.close();
});

function repo(extra: FileTree): string {
  return gitRepo({
    '.mmm/config.toml': TEST_CONFIG,
    'check.js': CHECK_JS,
    'README.md': '# sample\n',
    ...SCRIPTS,
    ...extra,
  });
}

/** Runs the built-in; returns the commit subjects of the run's branch and the step outcomes. */
async function run(repoDir: string, name: string, vars: string[] = []) {
  const args = ['--workflow', name, ...vars.flatMap((v) => ['--var', v])];
  const r = await improve(repoDir, args, env);
  expect(r.exitCode, r.stderr + r.stdout.slice(-3000)).toBe(0);
  const end = runEnd(r.stdout);
  const subjects = branchMessages(repoDir, end.branch).map((m) => m.split('\n')[0]);
  const steps = events(r.stdout)
    .filter((e) => e.type === 'step_end')
    .map((e) => `${String(e.id)}:${String(e.outcome)}`);
  return { subjects, steps, branch: end.branch };
}

describe('built-in workflows end to end', () => {
  it("a workflow in the predecessor's list format runs, its prompt from .claude/commands", async () => {
    const dir = repo({
      '.mmm/config.toml': NODE_TEST_CONFIG,
      ...FAILING_SUM,
      '.claude/commands/fix-test.md':
        '---\ndescription: fix a test\n---\nA test fails: $ARGUMENTS\n',
      '.mmm/workflows/legacy.yml': `- shell: "node --test"
  on_failure:
    claude: "/fix-test \${shell.output}"
    max_attempts: 2
    commit_required: true
`,
    });
    const r = await run(dir, 'legacy');
    expect(r.subjects).toEqual(['mmm: fix-test']);
    expect(r.steps).toEqual([
      'step-1:failed',
      'step-1-fix:ok',
      'step-1-recheck:ok',
      'step-1-fix-commit:ok',
    ]);
    // The model was given the command file's prompt with the failing output as its arguments.
    const prompts = fake.requests.map((q) => describeTurn(q)).filter((t) => t.taskId === 'legacy');
    expect(prompts[0]?.system).toMatch(/A test fails: [^]*not ok 1 - adds/);
  });

  it('fix-tests: the failing tests are fixed (not weakened) and committed', async () => {
    // No --var: the workflow runs the project's own test command ([commands] test).
    const dir = repo({ '.mmm/config.toml': NODE_TEST_CONFIG, ...FAILING_SUM });
    const r = await run(dir, 'fix-tests');
    expect(r.subjects).toEqual(['mmm: Fix failing tests']);
    expect(r.steps).toEqual(['tests:failed', 'fix:ok', 'rerun:ok', 'check:ok', 'commit:ok']);
    expect(fileAt(dir, r.branch, 'sum.js')).toContain('a + b');
  });

  it('lint-clean: the lint problems are fixed and committed', async () => {
    const dir = repo({ 'src.js': 'var x = 1;\nmodule.exports = x;\n' });
    const r = await run(dir, 'lint-clean', ['lint=node lint.js']);
    expect(r.subjects).toEqual(['mmm: Fix lint problems']);
    expect(fileAt(dir, r.branch, 'src.js')).toContain('const x = 1;');
  });

  it('typecheck with no type checker configured or given: exit 2 before any model call, no run left', async () => {
    const dir = repo({}); // TEST_CONFIG: typecheck = ""
    const before = fake.requests.length;
    const r = await improve(dir, ['--workflow', 'typecheck'], env);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      "vars.typecheck is the project's typecheck command, and this project has none",
    );
    expect(r.stderr).toMatch(/--var NAME="command", or set it under \[commands\]/);
    expect(fake.requests.length).toBe(before);
    expect(
      existsSync(join(dir, '.mmm', 'runs')) ? readdirSync(join(dir, '.mmm', 'runs')) : [],
    ).toEqual([]);
  });

  it('typecheck: the type errors are fixed and committed', async () => {
    const dir = repo({ 'types.json': '{ "count": "3" }\n' });
    const r = await run(dir, 'typecheck', ['typecheck=node types.js']);
    expect(r.subjects).toEqual(['mmm: Fix type errors']);
    expect(r.steps[0]).toBe('types:failed');
  });

  it('coverage: goal_seek writes tests until the score reaches the target', async () => {
    const r = await run(repo({}), 'coverage', ['score=node cov.js']);
    expect(r.subjects).toEqual(['mmm: Raise test coverage of the least covered code']);
    expect(r.steps).toEqual(['raise:ok', 'check:ok', 'commit:ok']);
  });

  it('docs: the documentation is updated and committed', async () => {
    const dir = repo({});
    const r = await run(dir, 'docs');
    expect(r.subjects).toEqual(['mmm: Update documentation of the whole project']);
    expect(fileAt(dir, r.branch, 'README.md')).toContain('node check.js');
  });

  it('security-review: a fix is validated and committed', async () => {
    const dir = repo({ 'server.js': 'module.exports = (p) => p;\n' });
    const r = await run(dir, 'security-review', ['area=server.js']);
    expect(r.subjects).toEqual(['mmm: Fix security issues in server.js']);
  });

  it('dependency-upgrade: the outdated list drives the upgrade', async () => {
    const dir = repo({ 'package.json': '{ "dependencies": { "left-pad": "1.0.0" } }\n' });
    const r = await run(dir, 'dependency-upgrade', ['outdated=node outdated.js']);
    expect(r.subjects).toEqual(['mmm: Upgrade dependencies']);
    expect(fileAt(dir, r.branch, 'package.json')).toContain('1.3.0');
  });

  it('refactor-large-files: each file above the limit is an item and a commit', async () => {
    const long = Array.from({ length: 320 }, (_, i) => `exports.f${i} = () => ${i};`).join('\n');
    const dir = repo({ 'src/big.js': `${long}\n`, 'src/small.js': 'exports.a = 1;\n' });
    const r = await run(dir, 'refactor-large-files');
    expect(r.subjects).toEqual(['mmm: Split src/big.js into smaller modules']);
  });

  it('performance: goal_seek over the benchmark the user names, lower is better', async () => {
    const r = await run(repo({}), 'performance', ['bench=node bench.js', 'area=the parser']);
    expect(r.subjects).toEqual(['mmm: Speed up the parser']);
    expect(r.steps).toEqual(['baseline:ok', 'optimize:ok', 'check:ok', 'commit:ok']);
  });
});
