import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git } from '../support/tmp.js';
import {
  TEST_CONFIG,
  events,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
  runIdOf,
  runState,
} from '../improve/helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('mmm improve: per-test results of the project test command', () => {
  it('reports every test by file and name in the validation event and the iteration log', async () => {
    const repo = improveRepo(
      [{ id: 'greet', title: 'Write greeting', checks: ['file_exists: hello.txt'] }],
      {
        '.mmm/config.toml': TEST_CONFIG.replace('test = "node check.js"', 'test = "node --test"'),
        'test/calc.test.js': `const { describe, it } = require('node:test');
const assert = require('node:assert');
describe('calc', () => {
  it('adds', () => assert.equal(1 + 2, 3));
  it('divides', { skip: 'later' }, () => {});
});
`,
      },
    );
    fake = await startFakeAnthropic({
      script: fileWritingModel({ greet: { path: 'hello.txt', text: 'hello\n' } }),
    });

    const r = await improve(repo, [], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const validation = events(r.stdout).find((e) => e.type === 'validation') as {
      checks: { name: string; tests?: unknown }[];
    };
    const expected = {
      runner: 'node-test',
      source: 'report',
      identity: 'names',
      tests: [
        {
          id: 'test/calc.test.js > calc > adds',
          file: 'test/calc.test.js',
          name: 'calc > adds',
          status: 'passed',
        },
        {
          id: 'test/calc.test.js > calc > divides',
          file: 'test/calc.test.js',
          name: 'calc > divides',
          status: 'skipped',
        },
      ],
      passed: 1,
      failed: 0,
      skipped: 1,
    };
    expect(validation.checks.find((c) => c.name === 'test')?.tests).toEqual(expected);
    // The run's iteration log keeps it beside state.json.
    const { branch } = runEnd(r.stdout);
    const runDir = join(repo, '.mmm', 'runs', runIdOf(branch));
    const log = (runState(repo, runIdOf(branch)).iterationLog as { file: string }).file;
    expect(readFileSync(join(runDir, log), 'utf8')).toContain(
      '"id":"test/calc.test.js > calc > adds"',
    );
    // The report was written outside the worktree: the commit holds the attempt only.
    const files = git(repo, 'show', '--name-only', '--format=', branch).split('\n');
    expect(files.sort()).toEqual(['hello.txt', 'specs/01-greet.md']);
  }, 120_000);
});
