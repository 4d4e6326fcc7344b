import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.js';
import type { CheckResult } from '../../src/core/run/events.js';
import {
  failureFingerprint,
  formatFeedback,
  normalizeLine,
  projectCommandsToRun,
  validateAttempt,
} from '../../src/core/validate/index.js';
import { tempDir, writeTree } from '../support/tmp.js';

/**
 * A script printing vitest-shaped output whose timings, start time, object addresses and
 * absolute paths change on every run, like the real thing; the failing test is an argument.
 */
const FAKE_VITEST = `
const failing = process.argv[2];
const ms = () => Math.floor(Math.random() * 900) + 1;
const root = process.cwd();
const now = new Date();
console.log('\\n RUN  v4.1.12 ' + root + '\\n');
console.log(' ❯ src/math.test.ts (3 tests | 1 failed) ' + ms() + 'ms');
console.log('\\n⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯\\n');
console.log(' FAIL  src/math.test.ts > math > ' + failing);
console.log('AssertionError: expected ' + ms() + ' to be 3 // Object.is equality');
console.log(' ❯ ' + root + '/src/math.test.ts:' + ms() + ':17');
console.log('   at Object <anonymous> (0x' + Math.floor(Math.random() * 1e12).toString(16) + ')');
console.log('\\n Test Files  1 failed (1)');
console.log('      Tests  1 failed | 2 passed (3)');
console.log('   Start at  ' + now.toTimeString().slice(0, 8));
console.log('   Duration  ' + ms() + 'ms (transform ' + ms() + 'ms, setup 0ms, tests ' + ms() + 'ms)');
process.exit(1);
`;

async function attempt(failing: string): Promise<CheckResult[]> {
  const root = writeTree(tempDir(), { 'fake-vitest.cjs': FAKE_VITEST });
  const { results } = await validateAttempt({
    root,
    commands: [
      { name: 'test', command: `node fake-vitest.cjs '${failing}'` },
      { name: 'lint', command: 'echo clean' },
    ],
    checks: [{ kind: 'file_exists', path: 'CHANGELOG.md', line: 3 }],
    timeoutSec: 30,
  });
  return results;
}

describe('failureFingerprint', () => {
  it('is stable across runs that differ only in timings, paths and addresses', async () => {
    const a = await attempt('adds');
    const b = await attempt('adds');
    expect(a[0]?.output).not.toBe(b[0]?.output);
    expect(failureFingerprint(a)).toBe(failureFingerprint(b));
    expect(failureFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when something else fails', async () => {
    const a = await attempt('adds');
    const c = await attempt('divides');
    expect(failureFingerprint(a)).not.toBe(failureFingerprint(c));
    const fixedFile = a.map((r) => (r.name.startsWith('file_exists') ? { ...r, passed: true } : r));
    expect(failureFingerprint(fixedFile)).not.toBe(failureFingerprint(a));
  });

  it('is empty when nothing failed, and ignores the order of results', () => {
    const ok: CheckResult = { name: 'test', passed: true, summary: 'ok', durationMs: 1 };
    const bad1: CheckResult = { name: 'lint', passed: false, summary: '2 errors', durationMs: 5 };
    const bad2: CheckResult = {
      name: 'run: make e2e',
      passed: false,
      summary: 'exit 2',
      durationMs: 9,
    };
    expect(failureFingerprint([ok])).toBe('');
    expect(failureFingerprint([bad1, ok, bad2])).toBe(failureFingerprint([bad2, bad1]));
  });

  it('normalizes volatile parts of a line', () => {
    expect(normalizeLine('  /tmp/mmm-abc123/src/a.ts:12:7 - error TS2322 (took 35ms)  ')).toBe(
      'a.ts:N:N - error TSN (took <time>)',
    );
    expect(normalizeLine("thread 'x' (7157) panicked at 0x7f5d81bf33d0")).toBe(
      "thread 'x' (N) panicked at <hex>",
    );
  });
});

describe('formatFeedback', () => {
  it('names each failed check with its actual result, and lists what passed', async () => {
    const text = formatFeedback(await attempt('adds'));
    expect(text).toMatch(/^Validation failed: 2 of 3 checks failed\./);
    expect(text).toContain('## test — 2 passed, 1 failed (exit 1)');
    expect(text).toContain('Failing tests:\n- src/math.test.ts > math > adds');
    expect(text).toContain('Output:\n```\n⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1');
    expect(text).toContain('AssertionError: expected');
    expect(text).toContain('## file_exists: CHANGELOG.md — missing');
    expect(text).toContain('Passed (keep them passing): lint.');
    expect(text).not.toContain('RUN  v4.1.12');
  });

  it('is empty when everything passed', () => {
    expect(formatFeedback([{ name: 'test', passed: true, summary: 'ok', durationMs: 1 }])).toBe('');
  });

  it('fences output that itself contains backticks', () => {
    const text = formatFeedback([
      {
        name: 'lint',
        passed: false,
        summary: 'exit 1',
        exitCode: 1,
        output: 'use ``` here',
        durationMs: 1,
      },
    ]);
    expect(text).toContain('````\nuse ``` here\n````');
    expect(text).toContain('## lint — exit 1\n');
  });

  it('keeps the total bounded when many checks fail with long output', () => {
    const long = 'x'.repeat(4000);
    const results: CheckResult[] = Array.from({ length: 10 }, (_, i) => ({
      name: `run: step ${i}`,
      passed: false,
      summary: 'exit 1',
      exitCode: 1,
      output: `${long}\nlast line ${i}`,
      durationMs: 1,
    }));
    const text = formatFeedback(results);
    expect(text.length).toBeLessThan(16_000);
    expect(text).toContain('last line 9');
  });
});

describe('projectCommandsToRun', () => {
  const detected = {
    build: 'npm run build',
    test: 'npx vitest run',
    lint: 'npx eslint .',
    typecheck: null,
  };

  it('runs the commands listed in validate.run, detected ones by default, in a fixed order', () => {
    const config = configSchema.parse({
      validate: { run: ['test', 'lint', 'typecheck', 'build'] },
    });
    expect(projectCommandsToRun(config, detected)).toEqual([
      { name: 'build', command: 'npm run build' },
      { name: 'lint', command: 'npx eslint .' },
      { name: 'test', command: 'npx vitest run' },
    ]);
  });

  it('lets config.commands override detection, and "" disable a command', () => {
    const config = configSchema.parse({
      commands: { test: 'make test', lint: '', typecheck: 'npx tsc --noEmit' },
    });
    expect(projectCommandsToRun(config, detected)).toEqual([
      { name: 'typecheck', command: 'npx tsc --noEmit' },
      { name: 'test', command: 'make test' },
    ]);
  });
});
