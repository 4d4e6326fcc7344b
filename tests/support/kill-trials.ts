/**
 * The machinery of the crash tests (tests/improve/kill.slow.test.ts, serial;
 * tests/parallel/kill.slow.test.ts, `--parallel`): an uninterrupted reference run, then
 * trials that `kill -9` the run at random moments and `mmm improve --resume` (killed again
 * at random in some trials) until it completes. Every trial must end with a branch whose
 * tree and commit messages (run id normalised) equal the reference's. A test gives the
 * fixture, the model, extra CLI arguments, where a kill landed (for the tally printed at
 * the end) and its own checks of the reference and of each trial's end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type RecordedRequest,
  type ScriptedReply,
} from './fake-anthropic.js';
import type { CliResult } from './cli.js';
import { git } from './tmp.js';
import {
  branchMessages,
  events,
  improve,
  modelEnv,
  runEnd,
  runIdOf,
  spawnImprove,
} from '../improve/helpers.js';

/** mulberry32: a small seeded generator, so a failing trial can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Outcome {
  tree: string;
  messages: string[];
}

export function outcome(repo: string, branch: string): Outcome {
  const runId = runIdOf(branch);
  return {
    tree: git(repo, 'rev-parse', `${branch}^{tree}`),
    messages: branchMessages(repo, branch).map((m) => m.split(runId).join('<run>')),
  };
}

/**
 * When to kill: `afterEvent` events into the run's JSON stream (only those `on` matches,
 * when given) plus `delayMs` (so kills spread over the run's phases whatever the machine's
 * load), or `delayMs` after the start when `afterEvent` is 0 (start-up, preconditions,
 * setup).
 */
export interface KillPlan {
  afterEvent: number;
  delayMs: number;
  on?: (event: Record<string, unknown>) => boolean;
  /** How the plan reads in a trial's log. */
  label?: string;
}

/** What a kill plan may depend on: measured in the reference run. */
export interface ReferenceRun {
  /** Events of an uninterrupted run's JSON stream. */
  events: Record<string, unknown>[];
  /** When each of those events came, in ms from spawn. */
  times: number[];
  /** From spawn to the run's first event: process start-up, preconditions, setup. */
  startupMs: number;
}

/** The serial test's plans: one in five during start-up and setup, the others past a random event. */
export function planAnywhere(next: () => number, reference: ReferenceRun): KillPlan {
  return next() < 0.2
    ? { afterEvent: 0, delayMs: Math.floor(next() * reference.startupMs * 1.2) }
    : {
        afterEvent: 1 + Math.floor(next() * reference.events.length),
        delayMs: Math.floor(next() * 150),
      };
}

/** The state of the run last started in `repo` (undefined before its first checkpoint). */
export function lastRunState<T>(repo: string): T | undefined {
  const runs = join(repo, '.mmm', 'runs');
  const ids = existsSync(runs) ? readdirSync(runs).sort() : [];
  const id = ids.at(-1);
  if (!id || !existsSync(join(runs, id, 'state.json'))) return undefined;
  return JSON.parse(readFileSync(join(runs, id, 'state.json'), 'utf8')) as T;
}

interface ParallelRunState {
  current?: { step: string; stepId?: string } | null;
  plan?: { commands?: unknown };
  parallel?: {
    lanes: Record<string, { current?: { step: string; stepId?: string } | null }>;
    merging?: { specId: string } | null;
  };
}

/** Where a kill of a parallel run landed: mid-merge, the step(s) lanes were in, between steps, set-up. */
export function laneKillPoint(repo: string): string {
  const state = lastRunState<ParallelRunState>(repo);
  if (!state) return 'before the first checkpoint';
  if (!state.plan?.commands) return 'setup';
  if (state.parallel?.merging) return 'mid-merge';
  const steps = Object.values(state.parallel?.lanes ?? {})
    .flatMap((l) => (l.current ? [l.current.stepId ?? l.current.step] : []))
    .sort();
  if (steps.length) return `lane step ${steps.join(' + ')}`;
  if (state.current) return `step ${state.current.stepId ?? state.current.step}`;
  return 'between steps';
}

export interface KillTrials {
  /** The describe block's title (the seed is appended). */
  title: string;
  /** The line printed at the end starts with it: `<label>: N kills in M trials …`. */
  label: string;
  trials: number;
  seed: number;
  /** Trials run at once. */
  concurrency: number;
  /** A fresh repository for the reference and for each trial. */
  fixture: () => string;
  model: (request: RecordedRequest) => ScriptedReply;
  /** Extra CLI arguments of every run and resume (e.g. `--parallel 2`). */
  args?: string[];
  /** Extra CLI arguments of `--resume` (default: `args`). */
  resumeArgs?: string[];
  /** Where a kill landed, read from the run's state after the kill (for the tally). */
  killedAt: (repo: string) => string;
  /** Defaults to planAnywhere. */
  plan?: (next: () => number, reference: ReferenceRun) => KillPlan;
  /** Assertions on the uninterrupted run. */
  checkReference: (repo: string, r: CliResult, reference: Outcome) => void;
  /** Assertions on each trial's repository once its run completed (beyond the outcome). */
  checkEnd: (repo: string, r: CliResult, why: string) => void;
}

export function describeKillTrials(options: KillTrials): void {
  const { trials: TRIALS, seed: SEED, concurrency: CONCURRENCY } = options;
  const args = options.args ?? [];
  const resumeArgs = options.resumeArgs ?? args;
  const extraArgs = (runArgs: string[]) => (runArgs.includes('--resume') ? resumeArgs : args);
  const plan = options.plan ?? planAnywhere;
  let fake: FakeAnthropic;
  let env: Record<string, string>;
  let reference: Outcome;
  const measured: ReferenceRun = { events: [], times: [], startupMs: 0 };
  /** Where kills landed. */
  const killPoints = new Map<string, number>();

  beforeAll(async () => {
    fake = await startFakeAnthropic({ script: options.model });
    env = modelEnv(fake.url);
  });
  afterAll(async () => {
    await fake.close();
  });

  /** Start a run (or resume one) and SIGKILL it as planned, unless it ends first. */
  async function killedRun(repo: string, runArgs: string[], kill: KillPlan): Promise<CliResult> {
    const run = spawnImprove(repo, [...runArgs, ...extraArgs(runArgs)], env);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => run.child.kill('SIGKILL'), kill.delayMs);
    };
    if (kill.afterEvent === 0) arm();
    else {
      let seen = 0;
      const on = kill.on ?? (() => true);
      run.waitFor((e) => on(e) && ++seen >= kill.afterEvent).then(arm, () => undefined);
    }
    const result = await run.done;
    clearTimeout(timer);
    return result;
  }

  /** `--resume`, or a new run when the last one died before its first checkpoint. */
  async function resumeOrStart(repo: string, kill?: KillPlan): Promise<CliResult> {
    const run = (runArgs: string[]) =>
      kill === undefined
        ? improve(repo, [...runArgs, ...extraArgs(runArgs)], env)
        : killedRun(repo, runArgs, kill);
    const r = await run(['--resume']);
    if (r.exitCode === 2 && r.stderr.includes('no resumable run')) return run([]);
    return r;
  }

  function check(
    repo: string,
    r: CliResult,
    log: string[],
    kills: number,
  ): { kills: number; log: string[] } {
    const why = log.join('\n');
    expect(outcome(repo, runEnd(r.stdout).branch), why).toEqual(reference);
    options.checkEnd(repo, r, why);
    return { kills, log };
  }

  async function trial(index: number, seed: number): Promise<{ kills: number; log: string[] }> {
    const next = random(seed);
    const repo = options.fixture();
    const log: string[] = [];
    let kills = 0;
    // The first run, then up to three resumes, each killed at a random moment (a resume
    // with probability 1/2); then a last resume that must complete the run.
    for (let round = 0; round < 4; round++) {
      const kill = round === 0 || next() < 0.5;
      const where = plan(next, measured);
      const r =
        round === 0
          ? await killedRun(repo, [], where)
          : await resumeOrStart(repo, kill ? where : undefined);
      const when =
        where.label ??
        (where.afterEvent
          ? `event ${where.afterEvent} + ${where.delayMs}ms`
          : `${where.delayMs}ms`);
      log.push(
        `trial ${index} round ${round}: ${kill ? `kill at ${when}` : 'no kill'} → ${r.signal ?? r.exitCode}`,
      );
      if (r.signal === 'SIGKILL') {
        kills++;
        const at = options.killedAt(repo);
        killPoints.set(at, (killPoints.get(at) ?? 0) + 1);
        continue;
      }
      expect(r.exitCode, `${log.join('\n')}\n${r.stderr}`).toBe(0);
      return check(repo, r, log, kills);
    }
    const last = await resumeOrStart(repo);
    log.push(`trial ${index} final → ${last.exitCode}`);
    expect(last.exitCode, `${log.join('\n')}\n${last.stderr}`).toBe(0);
    return check(repo, last, log, kills);
  }

  describe(`${options.title} (seed ${SEED})`, () => {
    it(
      `${TRIALS} trials end with the tree and commit messages of an uninterrupted run`,
      async () => {
        const repo = options.fixture();
        const started = Date.now();
        const run = spawnImprove(repo, args, env);
        const times: number[] = [];
        run
          .waitFor(() => {
            times.push(Date.now() - started);
            return false;
          })
          .catch(() => undefined);
        await run.waitFor((e) => e.type === 'run_start');
        measured.startupMs = Date.now() - started;
        const r = await run.done;
        measured.events = events(r.stdout);
        measured.times = times;
        expect(r.exitCode, r.stderr).toBe(0);
        reference = outcome(repo, runEnd(r.stdout).branch);
        options.checkReference(repo, r, reference);

        const seeds = random(SEED);
        let kills = 0;
        for (let i = 0; i < TRIALS; i += CONCURRENCY) {
          const batch = Array.from({ length: Math.min(CONCURRENCY, TRIALS - i) }, (_, k) =>
            trial(i + k, Math.floor(seeds() * 2 ** 31)),
          );
          // Every trial of the batch ends before a failure is reported (its repository is
          // removed after the test, so a run still going would find its directory gone).
          for (const result of await Promise.allSettled(batch)) {
            if (result.status === 'rejected') throw result.reason;
            kills += result.value.kills;
          }
        }
        const tally = [...killPoints].map(([where, n]) => `${where}: ${n}`).join(', ');
        process.stdout.write(
          `${options.label}: ${kills} kills in ${TRIALS} trials (seed ${SEED}); ${tally}\n`,
        );
        // Most trials must really have been killed mid-run (a few finish before their kill).
        expect(kills).toBeGreaterThanOrEqual(Math.ceil(TRIALS * 0.75));
      },
      TRIALS * 60_000,
    );
  });
}

/**
 * specs.yml with a shell step between the agent and the validation: it stamps each spec
 * (idempotent, as a step that may run again after a crash must be), and the stamp is
 * committed with the spec's work.
 */
export const CRASH_WORKFLOW = `name: crash
description: implement, stamp, check, commit
for_each: specs
steps:
  - id: implement
    agent: "Do task \${spec.id}: \${spec.title}. Follow the task description and the rules in your instructions, verify your work with the project's own checks, then end your turn with a summary."
    on_failure:
      retry: implement
  - id: stamp
    shell: "node -e \\"require('fs').writeFileSync('stamp-\${spec.id}.txt', 'stamped \${spec.title}')\\""
  - id: check
    validate: true
    on_failure:
      retry: implement
  - id: commit
    commit: "\${spec.title}"
    on_failure:
      retry: implement
`;

/** A parallel trial's end: nothing of the lanes is left (worktrees, branches, tip refs). */
export function expectNoLaneLeft(repo: string, r: CliResult, why: string): void {
  expect(git(repo, 'status', '--porcelain'), why).toBe('');
  expect(existsSync(join(repo, '.mmm', 'run.lock')), why).toBe(false);
  const runId = runIdOf(runEnd(r.stdout).branch);
  const lanesDir = join(repo, '.mmm', 'worktrees', `${runId}.lanes`);
  expect(existsSync(lanesDir) ? readdirSync(lanesDir) : [], why).toEqual([]);
  expect(git(repo, 'branch', '--list', 'mmm/*--*'), why).toBe('');
  expect(git(repo, 'for-each-ref', `refs/mmm/${runId}/lanes`), why).toBe('');
}
