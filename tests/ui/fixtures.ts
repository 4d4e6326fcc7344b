import type { AgentEvent } from '../../src/core/agent/events.js';
import type { RunEvent, RunEventBody, RunHandle, SpecSummary } from '../../src/core/run/events.js';

/** A synthetic run, as the engine would emit it, with times one second apart. */
export const RUN_ID = '20261122-0147-ab12';
export const T0 = Date.parse('2026-11-22T12:00:00Z');

export function ev(i: number, body: RunEventBody): RunEvent {
  return { t: new Date(T0 + i * 1000).toISOString(), runId: RUN_ID, ...body } as RunEvent;
}

export const SPECS: SpecSummary[] = [
  {
    id: 'add-slugify',
    title: 'Add a slugify option',
    status: 'pending',
    criteriaDone: 0,
    criteriaTotal: 3,
  },
  {
    id: 'validate-input',
    title: 'Validate input',
    status: 'pending',
    criteriaDone: 0,
    criteriaTotal: 2,
  },
];

const usage = { input: 1200, output: 300, cacheWrite: 0, cacheRead: 800 };

function agent(specId: string, attempt: number, event: AgentEvent): RunEventBody {
  return { type: 'agent', specId, attempt, event };
}

export const RUN_START: RunEventBody = {
  type: 'run_start',
  branch: `mmm/${RUN_ID}`,
  worktree: `/tmp/repo/.mmm/worktrees/${RUN_ID}`,
  baseCommit: 'a1b2c3d4e5f6',
  model: 'claude-sonnet-4-5',
  workflow: 'specs',
  specs: SPECS,
  limits: { maxIterations: 10, usd: 2, tokens: 1_000_000, time: 1800 },
  resumed: false,
};

/** Bodies in order; `scenario()` stamps them. Index marks named moments. */
export const BODIES: RunEventBody[] = [
  RUN_START,
  {
    type: 'attempt_start',
    specId: 'add-slugify',
    title: 'Add a slugify option',
    iteration: 1,
    attempt: 1,
    maxAttempts: 3,
  },
  { type: 'step', specId: 'add-slugify', attempt: 1, step: 'agent' },
  agent('add-slugify', 1, {
    type: 'request_start',
    turn: 1,
    model: 'claude-sonnet-4-5',
    messages: 1,
  }),
  agent('add-slugify', 1, { type: 'text_delta', turn: 1, text: 'I will read ' }),
  agent('add-slugify', 1, { type: 'text_delta', turn: 1, text: 'the source first.' }),
  agent('add-slugify', 1, { type: 'text', turn: 1, text: 'I will read the source first.' }),
  agent('add-slugify', 1, {
    type: 'tool_call',
    turn: 1,
    id: 't1',
    name: 'str_replace_based_edit_tool',
    input: { command: 'view', path: 'src/slug.js' },
    summary: 'view src/slug.js',
  }),
  agent('add-slugify', 1, {
    type: 'tool_result',
    turn: 1,
    id: 't1',
    name: 'str_replace_based_edit_tool',
    ok: true,
    display: '24 lines',
    durationMs: 3,
  }),
  agent('add-slugify', 1, {
    type: 'usage',
    turn: 1,
    usage,
    cost: 0.01,
    total: usage,
    totalCost: 0.01,
  }),
  agent('add-slugify', 1, {
    type: 'tool_call',
    turn: 2,
    id: 't2',
    name: 'bash',
    input: { command: 'node --test' },
    summary: 'node --test',
  }),
  agent('add-slugify', 1, {
    type: 'tool_result',
    turn: 2,
    id: 't2',
    name: 'bash',
    ok: false,
    display: 'exit 1: 1 failing test',
    durationMs: 900,
  }),
  // 12: mid-attempt
  agent('add-slugify', 1, {
    type: 'attempt_end',
    reason: 'end_turn',
    summary: 'Added the option.',
    turns: 2,
    usage,
    cost: 0.01,
  }),
  { type: 'step', specId: 'add-slugify', attempt: 1, step: 'validate' },
  // 14: validation failed
  {
    type: 'validation',
    specId: 'add-slugify',
    attempt: 1,
    passed: false,
    checks: [
      {
        name: 'run: node --test',
        passed: false,
        summary: '5 passed, 1 failed',
        exitCode: 1,
        failedTests: ['slugify keeps dashes'],
        durationMs: 800,
      },
      { name: 'file_contains: src/slug.js', passed: true, summary: 'found', durationMs: 1 },
    ],
  },
  {
    type: 'attempt_end',
    specId: 'add-slugify',
    attempt: 1,
    outcome: 'failed',
    feedback: 'run: node --test failed: slugify keeps dashes',
  },
  {
    type: 'totals',
    totals: { usage, cost: 0.01, iterations: 1, commits: 0, elapsedMs: 16_000 },
    limits: RUN_START.limits,
  },
  {
    type: 'attempt_start',
    specId: 'add-slugify',
    title: 'Add a slugify option',
    iteration: 2,
    attempt: 2,
    maxAttempts: 3,
  },
  agent('add-slugify', 2, { type: 'text', turn: 1, text: 'Fixed the dash handling.' }),
  {
    type: 'validation',
    specId: 'add-slugify',
    attempt: 2,
    passed: true,
    checks: [{ name: 'run: node --test', passed: true, summary: '6 passed', durationMs: 700 }],
  },
  { type: 'step', specId: 'add-slugify', attempt: 2, step: 'commit' },
  {
    type: 'attempt_end',
    specId: 'add-slugify',
    attempt: 2,
    outcome: 'passed',
    commit: 'c0ffee1234567',
  },
  { type: 'spec_status', specId: 'add-slugify', status: 'done' },
  { type: 'warning', message: 'spec validate-input: no checks besides the project tests' },
  {
    type: 'spec_status',
    specId: 'validate-input',
    status: 'blocked',
    reason: 'depends on a failed spec',
  },
  {
    type: 'totals',
    totals: {
      usage: { ...usage, input: 2400 },
      cost: 0.02,
      iterations: 2,
      commits: 1,
      elapsedMs: 25_000,
    },
    limits: RUN_START.limits,
  },
  {
    type: 'run_end',
    status: 'failed',
    reason: '1 spec done, 1 blocked',
    exitCode: 1,
    branch: `mmm/${RUN_ID}`,
    specs: [
      { ...SPECS[0]!, status: 'done', criteriaDone: 3 },
      { ...SPECS[1]!, status: 'blocked' },
    ],
    totals: {
      usage: { ...usage, input: 2400 },
      cost: 0.02,
      iterations: 2,
      commits: 1,
      elapsedMs: 26_000,
    },
    next: [`git log --oneline main..mmm/${RUN_ID}`, `git merge mmm/${RUN_ID}`],
  },
];

export const MID_ATTEMPT = 12;
export const VALIDATION_FAILED = 14;

export function scenario(): RunEvent[] {
  return BODIES.map((b, i) => ev(i, b));
}

/** A RunHandle over a fixed list of events, recording stop calls. */
export function listHandle(events: RunEvent[]): RunHandle & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    events: (async function* () {
      for (const e of events) yield e;
    })(),
    requestStop: () => calls.push('requestStop'),
    abort: () => calls.push('abort'),
  };
}

/** A RunHandle fed by hand: push events, then end. */
export function manualHandle(): RunHandle & {
  calls: string[];
  push(e: RunEvent): void;
  end(): void;
} {
  const calls: string[] = [];
  const queue: RunEvent[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  return {
    calls,
    push(e) {
      queue.push(e);
      wake?.();
    },
    end() {
      done = true;
      wake?.();
    },
    events: (async function* () {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    })(),
    requestStop: () => calls.push('requestStop'),
    abort: () => calls.push('abort'),
  };
}
