/**
 * The crash test: `kill -9` at random moments, then `mmm improve --resume` (killed again
 * at random in some trials) until the run completes. Every trial must end with a branch
 * whose tree and commit messages equal those of an uninterrupted run. The run interprets
 * a project workflow (chosen by config) with shell, agent, validate and commit steps.
 *
 * MMM_KILL_TRIALS (default 20) and MMM_KILL_SEED (default: random, printed) control it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import type { CliResult } from '../support/cli.js';
import { git } from '../support/tmp.js';
import {
  branchMessages,
  events,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  TEST_CONFIG,
  runEnd,
  runIdOf,
  spawnImprove,
  specFile,
} from './helpers.js';

const TRIALS = Number(process.env.MMM_KILL_TRIALS ?? 20);
const SEED = Number(process.env.MMM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 2;

/**
 * Three specs; the second fails its first attempt (the check script finds a "bug"); the
 * third is written but not committed, so the run starts by bringing it in.
 */
const SPECS = [
  { id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] },
  { id: 'second', title: 'Write b', dependsOn: ['first'], checks: ['file_exists: b.txt'] },
];
const UNCOMMITTED = { id: 'third', title: 'Write c', checks: ['file_exists: c.txt'] };

/**
 * specs.yml with a shell step between the agent and the validation: it stamps each spec
 * (idempotent, as a step that may run again after a crash must be), and the stamp is
 * committed with the spec's work.
 */
const WORKFLOW = `name: crash
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

function fixture(): string {
  const repo = improveRepo(SPECS, {
    '.mmm/config.toml': `workflow = "crash"\n${TEST_CONFIG}`,
    '.mmm/workflows/crash.yml': WORKFLOW,
  });
  writeFileSync(join(repo, 'specs', '03-third.md'), specFile(UNCOMMITTED));
  return repo;
}
const MODEL = fileWritingModel({
  first: { path: 'a.txt', text: 'alpha\n' },
  second: {
    path: 'b.txt',
    text: (t) => (t.system.includes('Validation failed') ? 'beta\n' : 'bug\n'),
  },
  third: { path: 'c.txt', text: 'gamma\n' },
});

/** mulberry32: a small seeded generator, so a failing trial can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  tree: string;
  messages: string[];
}

function outcome(repo: string, branch: string): Outcome {
  const runId = runIdOf(branch);
  return {
    tree: git(repo, 'rev-parse', `${branch}^{tree}`),
    messages: branchMessages(repo, branch).map((m) => m.split(runId).join('<run>')),
  };
}

let fake: FakeAnthropic;
let env: Record<string, string>;
let reference: Outcome;
/** Events of an uninterrupted run's JSON stream. */
let referenceEvents = 0;
/** From spawn to the run's first event: process start-up, preconditions, setup. */
let startupMs = 0;

beforeAll(async () => {
  fake = await startFakeAnthropic({ script: MODEL });
  env = modelEnv(fake.url);
});
afterAll(async () => {
  await fake.close();
});

/**
 * When to kill: `afterEvent` events into the run's JSON stream plus `delayMs` (so kills
 * spread over the run's phases whatever the machine's load), or `delayMs` after the
 * start when `afterEvent` is 0 (start-up, preconditions, setup).
 */
interface KillPlan {
  afterEvent: number;
  delayMs: number;
}

/** Start a run (or resume one) and SIGKILL it as planned, unless it ends first. */
async function killedRun(repo: string, args: string[], plan: KillPlan): Promise<CliResult> {
  const run = spawnImprove(repo, args, env);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => run.child.kill('SIGKILL'), plan.delayMs);
  };
  if (plan.afterEvent === 0) arm();
  else {
    let seen = 0;
    run.waitFor(() => ++seen >= plan.afterEvent).then(arm, () => undefined);
  }
  const result = await run.done;
  clearTimeout(timer);
  return result;
}

/** Where kills landed: the step recorded in the state (or before the first checkpoint). */
const killPoints = new Map<string, number>();

function killedAt(repo: string): string {
  const runs = join(repo, '.mmm', 'runs');
  const ids = existsSync(runs) ? readdirSync(runs).sort() : [];
  const id = ids.at(-1);
  if (!id || !existsSync(join(runs, id, 'state.json'))) return 'before the first checkpoint';
  const state = JSON.parse(readFileSync(join(runs, id, 'state.json'), 'utf8')) as {
    current?: { step: string; stepId?: string } | null;
    plan?: { commands?: unknown };
  };
  if (!state.plan?.commands) return 'setup';
  return state.current
    ? `step ${state.current.stepId ?? state.current.step} (${state.current.step})`
    : 'between steps';
}

/** `--resume`, or a new run when the last one died before its first checkpoint. */
async function resumeOrStart(repo: string, plan?: KillPlan): Promise<CliResult> {
  const run = (args: string[]) =>
    plan === undefined ? improve(repo, args, env) : killedRun(repo, args, plan);
  const r = await run(['--resume']);
  if (r.exitCode === 2 && r.stderr.includes('no resumable run')) return run([]);
  return r;
}

async function trial(index: number, seed: number): Promise<{ kills: number; log: string[] }> {
  const next = random(seed);
  const repo = fixture();
  const log: string[] = [];
  let kills = 0;
  // The first run, then up to three resumes, each killed at a random moment (a resume
  // with probability 1/2); then a last resume that must complete the run.
  for (let round = 0; round < 4; round++) {
    const kill = round === 0 || next() < 0.5;
    // One kill in five during start-up and setup; the others past a random event.
    const plan: KillPlan =
      next() < 0.2
        ? { afterEvent: 0, delayMs: Math.floor(next() * startupMs * 1.2) }
        : {
            afterEvent: 1 + Math.floor(next() * referenceEvents),
            delayMs: Math.floor(next() * 150),
          };
    const r =
      round === 0
        ? await killedRun(repo, [], plan)
        : await resumeOrStart(repo, kill ? plan : undefined);
    const when = plan.afterEvent
      ? `event ${plan.afterEvent} + ${plan.delayMs}ms`
      : `${plan.delayMs}ms`;
    log.push(
      `trial ${index} round ${round}: ${kill ? `kill at ${when}` : 'no kill'} → ${r.signal ?? r.exitCode}`,
    );
    if (r.signal === 'SIGKILL') {
      kills++;
      const where = killedAt(repo);
      killPoints.set(where, (killPoints.get(where) ?? 0) + 1);
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

function check(
  repo: string,
  r: CliResult,
  log: string[],
  kills: number,
): { kills: number; log: string[] } {
  const why = log.join('\n');
  expect(outcome(repo, runEnd(r.stdout).branch), why).toEqual(reference);
  expect(git(repo, 'status', '--porcelain'), why).toBe('?? specs/03-third.md');
  expect(existsSync(join(repo, '.mmm', 'run.lock')), why).toBe(false);
  return { kills, log };
}

describe(`kill -9 at random moments, then resume (seed ${SEED})`, () => {
  it(
    `${TRIALS} trials end with the tree and commit messages of an uninterrupted run`,
    async () => {
      const repo = fixture();
      const started = Date.now();
      const run = spawnImprove(repo, [], env);
      await run.waitFor((e) => e.type === 'run_start');
      startupMs = Date.now() - started;
      const r = await run.done;
      referenceEvents = events(r.stdout).length;
      expect(r.exitCode).toBe(0);
      reference = outcome(repo, runEnd(r.stdout).branch);
      const kinds = events(r.stdout).flatMap((e) => (e.type === 'step_end' ? [e.kind] : []));
      expect(new Set(kinds)).toEqual(new Set(['agent', 'shell', 'validate', 'commit']));
      expect(git(repo, 'show', `${runEnd(r.stdout).branch}:stamp-second.txt`)).toBe(
        'stamped Write b',
      );
      expect(reference.messages.map((m) => m.split('\n')[0])).toEqual([
        'mmm: use the uncommitted spec files of the checkout',
        'mmm: Write a',
        'mmm: Write b',
        'mmm: Write c',
      ]);

      const seeds = random(SEED);
      let kills = 0;
      for (let i = 0; i < TRIALS; i += CONCURRENCY) {
        const batch = Array.from({ length: Math.min(CONCURRENCY, TRIALS - i) }, (_, k) =>
          trial(i + k, Math.floor(seeds() * 2 ** 31)),
        );
        for (const result of await Promise.all(batch)) kills += result.kills;
      }
      const tally = [...killPoints].map(([where, n]) => `${where}: ${n}`).join(', ');
      process.stdout.write(
        `kill test: ${kills} kills in ${TRIALS} trials (seed ${SEED}); ${tally}\n`,
      );
      // Most trials must really have been killed mid-run (a few finish before their kill).
      expect(kills).toBeGreaterThanOrEqual(Math.ceil(TRIALS * 0.75));
    },
    TRIALS * 60_000,
  );
});
