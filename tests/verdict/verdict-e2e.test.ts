/**
 * Issue 9 end to end, on the calc sample, through the built binary and the fake server:
 * a red baseline is pre-existing, a cheating attempt is rejected, a flaky test does not
 * decide, a command that cannot run stops the run before any model call, and
 * require-green stops on a red baseline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
import { git, tempDir } from '../support/tmp.js';
import {
  branchMessages,
  createFile,
  describeTurn,
  events,
  fileAt,
  fileWritingModel,
  finish,
  improve,
  modelEnv,
  runEnd,
  runIdOf,
  runState,
} from '../improve/helpers.js';
import {
  CALC_CHEAT,
  CALC_TEST,
  CALC_TEST_CHEAT,
  CALC_WITH_DIV,
  CALC_WITH_MUL,
  DIV_SPEC,
  FLIP_TEST,
  LEGACY_TEST,
  MUL_SPEC,
  calcConfig,
  calcRepo,
} from './calc-sample.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

type Check = { name: string; passed: boolean; summary: string; tests?: { identity: string } };
type Baseline = { commit: string; results: Check[]; preExisting: string[]; flaky: string[] };

describe('verdicts on the calc sample', () => {
  it('(1) a committed unrelated failing test is pre-existing: both specs are committed', async () => {
    const repo = calcRepo({
      specs: [MUL_SPEC, DIV_SPEC],
      extra: { 'legacy.test.js': LEGACY_TEST },
    });
    fake = await startFakeAnthropic({
      script: fileWritingModel({
        mul: { path: 'calc.js', text: CALC_WITH_MUL },
        div: { path: 'calc.js', text: CALC_WITH_DIV },
      }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('completed');
    const messages = branchMessages(repo, end.branch);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('Mmm-Spec: mul');
    expect(messages[1]).toContain('Mmm-Spec: div');
    expect(messages[0]).toContain(
      'Failing before this work too (pre-existing, no new failure): test.',
    );

    // Reported up front: the baseline event comes before any attempt.
    const all = events(r.stdout);
    const baselineAt = all.findIndex((e) => e.type === 'baseline');
    const firstAttempt = all.findIndex((e) => e.type === 'attempt_start');
    expect(baselineAt).toBeGreaterThan(0);
    expect(baselineAt).toBeLessThan(firstAttempt);
    const event = all[baselineAt] as unknown as Baseline & { source: string; checks: Check[] };
    expect(event.source).toBe('taken');
    expect(event.checks.map((c) => [c.name, c.passed])).toEqual([['test', false]]);
    expect(event.preExisting).toHaveLength(1);
    expect(event.preExisting[0]).toMatch(/^test: test `[^`]*legacy` fails$/);
    // Each attempt passed first time; no attempt was told about legacy as its failure.
    const ends = all.filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['passed', 'passed']);
    // Each validation: the test command failed (legacy), the verdict passed, pre-existing.
    const validations = all.filter((e) => e.type === 'validation') as {
      passed: boolean;
      checks: Check[];
      verdict: { newFailures: string[]; preExisting: string[] };
    }[];
    expect(validations).toHaveLength(2);
    for (const v of validations) {
      expect(v.passed).toBe(true);
      expect(v.checks.find((c) => c.name === 'test')?.passed).toBe(false);
      expect(v.verdict.newFailures).toEqual([]);
      expect(v.verdict.preExisting.join('\n')).toMatch(/legacy/);
    }
    // The model was told the pre-existing failure up front, as not its task.
    const system = describeTurn(fake.messageRequests()[0]!).system;
    expect(system).toContain('Already failing before you started (pre-existing; not your task)');
    expect(system).toMatch(/legacy/);

    const runId = runIdOf(end.branch);
    const state = runState(repo, runId) as { baseline: Baseline };
    expect(state.baseline.commit).toBe(git(repo, 'rev-parse', 'main'));
    expect(state.baseline.preExisting).toEqual(event.preExisting);
    expect(state.baseline.results[0]?.passed).toBe(false);

    const status = await runMmm(['status', runId], { cwd: repo });
    expect(status.stdout).toContain(`baseline   ${state.baseline.commit.slice(0, 7)}`);
    expect(status.stdout).toMatch(
      /pre-existing \(not the model's task\): test: test `[^`]*legacy` fails/,
    );
    const json = JSON.parse((await runMmm(['status', runId, '--json'], { cwd: repo })).stdout) as {
      baseline: { preExisting: string[] };
    };
    expect(json.baseline.preExisting).toEqual(event.preExisting);
  }, 90_000);

  it('(2) the cheating attempt is rejected naming the vanished test; the honest one is committed', async () => {
    const repo = calcRepo();
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        const retry = t.system.includes('<attempt number="1">');
        if (!retry) {
          if (t.turn === 1) return createFile('calc.js', CALC_CHEAT);
          if (t.turn === 2) return createFile('calc.test.js', CALC_TEST_CHEAT);
          return finish('Added multiply.');
        }
        if (t.turn === 1) return createFile('calc.js', CALC_WITH_MUL);
        return finish('Added multiply without touching add.');
      },
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    const feedback = String(ends[0]?.feedback);
    const state = runState(repo, runIdOf(end.branch)) as {
      iterations?: unknown;
      baseline: Baseline;
    };
    // node --test leaves a per-test report (validate/reports): the test is named.
    expect(state.baseline.results[0]?.tests?.identity).toBe('names');
    expect(feedback).toMatch(/test `[^`]*add` passed before this attempt and now is missing/);
    // And the deleted lines are quoted.
    expect(feedback).toContain('Lines this attempt removed from test files:');
    expect(feedback).toMatch(/ {4}\d+: test\('add', \(\) => assert\.equal\(add\(1, 2\), 3\)\);/);
    expect(feedback).toContain('New failures (this attempt caused them; fix them)');
    expect(feedback).not.toContain('Already failing before you started');
    // The spec's check passed in the cheat: only the verdict rejected it.
    const validations = events(r.stdout).filter((e) => e.type === 'validation');
    const cheatChecks = validations[0]?.checks as Check[];
    const cheatVerdict = validations[0]?.verdict as { newFailures: string[] };
    expect(cheatVerdict.newFailures.length).toBeGreaterThan(0);
    expect(cheatChecks.find((c) => c.name.startsWith('run:'))?.passed).toBe(true);
    // The next attempt was told, and the committed tree keeps add and its test.
    const second = fake
      .messageRequests()
      .map(describeTurn)
      .find((t) => t.system.includes('<attempt number="1">'));
    expect(second?.system).toContain('New failures (this attempt caused them; fix them)');
    expect(fileAt(repo, end.branch, 'calc.js')).toContain('export const add = (a, b) => a + b;');
    expect(fileAt(repo, end.branch, 'calc.test.js')).toBe(CALC_TEST.trimEnd());
    expect(branchMessages(repo, end.branch)).toHaveLength(1);
  }, 90_000);

  it('(3) a flaky test (fails, then passes on the re-run) does not decide', async () => {
    const flipFile = join(tempDir('mmm-flip-'), 'runs');
    const repo = calcRepo({ extra: { 'flip.test.js': FLIP_TEST } });
    fake = await startFakeAnthropic({
      script: fileWritingModel({ mul: { path: 'calc.js', text: CALC_WITH_MUL } }),
    });
    // The flip marker lives outside the worktree, which the sandbox makes read-only: this
    // probe of the verdict runs without it.
    const r = await improve(repo, [], {
      ...modelEnv(fake.url),
      FLIP_FILE: flipFile,
      MMM_TOOLS__SANDBOX: 'off',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    const all = events(r.stdout);
    const baseline = all.find((e) => e.type === 'baseline') as unknown as Baseline & {
      checks: Check[];
    };
    // Run 1 failed, run 2 passed: flaky, and the baseline is green.
    expect(baseline.flaky.some((id) => id.includes('flip'))).toBe(true);
    expect(baseline.preExisting).toEqual([]);
    expect(baseline.checks[0]?.passed).toBe(true);
    // The attempt's run 3 failed flip again, the re-run (run 4) passed: it did not decide.
    expect(readFileSync(flipFile, 'utf8')).toBe('4');
    const validation = all.find((e) => e.type === 'validation') as {
      passed: boolean;
      checks: Check[];
    };
    expect(validation.passed).toBe(true);
    expect(validation.checks[0]?.summary).toMatch(/flaky/);
    expect(all.filter((e) => e.type === 'attempt_end').map((e) => e.outcome)).toEqual(['passed']);
    const state = runState(repo, runIdOf(end.branch)) as { baseline: Baseline };
    expect(state.baseline.flaky.some((id) => id.includes('flip'))).toBe(true);
    expect(branchMessages(repo, end.branch)).toHaveLength(1);
  }, 90_000);

  it('(4) a command missing at baseline stops the run with exit 2 before any model call', async () => {
    const repo = calcRepo({ config: calcConfig('no-such-tool') });
    const before = git(repo, 'status', '--porcelain');
    fake = await startFakeAnthropic({ script: fileWritingModel({}) });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(2);
    expect(fake.requests).toHaveLength(0);
    expect(r.stderr).toContain('the test command cannot run on the untouched run branch');
    expect(r.stderr).toContain('`no-such-tool` cannot run: command not found (exit 127)');
    expect(r.stderr).toContain('set in the configuration (commands.test)');
    expect(r.stderr).toMatch(/no-such-tool: command not found/);
    expect(r.stderr).toContain('commands.test = ""');
    expect(r.stderr).toContain('nothing was spent');
    // Nothing left behind: no run branch, no worktree, no run directory.
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
    const runs = join(repo, '.mmm', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    expect(git(repo, 'status', '--porcelain')).toBe(before);
  }, 60_000);

  it('(4b) with --in-place, the checkout goes back to its branch and the run branch is gone', async () => {
    const repo = calcRepo({ config: calcConfig('no-such-tool') });
    fake = await startFakeAnthropic({ script: fileWritingModel({}) });
    const r = await improve(repo, ['--in-place'], modelEnv(fake.url));
    expect(r.exitCode).toBe(2);
    expect(fake.requests).toHaveLength(0);
    expect(r.stderr).toContain('`no-such-tool` cannot run');
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it('(5) validate.baseline = "require-green" with a red baseline stops with exit 2 listing the failures', async () => {
    const repo = calcRepo({
      config: calcConfig('node --test', 'baseline = "require-green"\n'),
      extra: { 'legacy.test.js': LEGACY_TEST },
    });
    fake = await startFakeAnthropic({ script: fileWritingModel({}) });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(2);
    expect(fake.requests).toHaveLength(0);
    expect(r.stderr).toContain('validate.baseline = "require-green"');
    expect(r.stderr).toMatch(/test: test `[^`]*legacy` fails/);
    expect(r.stderr).toContain('validate.baseline = "tolerate"');
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
  }, 60_000);
});
