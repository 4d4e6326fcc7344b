import type { AgentEvent } from '../../src/core/agent/events.js';
import type { RunEvent, RunEventBody, SpecSummary } from '../../src/core/run/events.js';
import { RUN_ID, RUN_START, ev } from './fixtures.js';

/**
 * A synthetic parallel run (`--parallel 2`), as the engine would emit it, one second
 * apart: two lanes at once, a merge queue, a merge, a conflict, the re-attempt in a new
 * lane, its merge, and the lanes closing.
 */
export const A = '02-add-x';
export const B = '03-y';

export const LANE_SPECS: SpecSummary[] = [
  { id: A, title: 'Add the x option', status: 'pending', criteriaDone: 0, criteriaTotal: 2 },
  { id: B, title: 'Make y faster', status: 'pending', criteriaDone: 0, criteriaTotal: 1 },
];

export const branchOf = (spec: string): string => `mmm/${RUN_ID}--${spec}`;
const dirOf = (spec: string): string => `/tmp/repo/.mmm/worktrees/${RUN_ID}/${spec}`;

const agent = (specId: string, attempt: number, event: AgentEvent): RunEventBody => ({
  type: 'agent',
  specId,
  attempt,
  event,
});

const lane = (
  specId: string,
  phase: Extract<RunEventBody, { type: 'lane' }>['phase'],
  more: { commit?: string; reason?: string; queue?: string[] } = {},
): RunEventBody => ({
  type: 'lane',
  specId,
  phase,
  ...(phase === 'opened' ? { branch: branchOf(specId), dir: dirOf(specId) } : {}),
  ...more,
});

const attemptStart = (specId: string, attempt: number, iteration: number): RunEventBody => ({
  type: 'attempt_start',
  specId,
  title: LANE_SPECS.find((s) => s.id === specId)?.title ?? specId,
  iteration,
  attempt,
  maxAttempts: 3,
});

const stepStart = (specId: string, attempt: number, id: string, kind: string): RunEventBody => ({
  type: 'step_start',
  specId,
  attempt,
  id,
  kind,
});

type RunStart = Extract<RunEventBody, { type: 'run_start' }>;
const START = RUN_START as RunStart;

const usage = { input: 1000, output: 200, cacheWrite: 0, cacheRead: 0 };

export const LANE_BODIES: RunEventBody[] = [
  {
    ...START,
    specs: LANE_SPECS,
    parallel: 2,
    steps: [
      { id: 'implement', kind: 'agent' },
      { id: 'check', kind: 'validate' },
      { id: 'commit', kind: 'commit' },
    ],
  },
  lane(A, 'opened'),
  attemptStart(A, 1, 1),
  lane(B, 'opened'),
  attemptStart(B, 1, 2),
  stepStart(A, 1, 'implement', 'agent'),
  agent(A, 1, {
    type: 'tool_call',
    turn: 1,
    id: 'a1',
    name: 'str_replace_based_edit_tool',
    input: { command: 'view', path: 'src/a.ts' },
    summary: 'view src/a.ts',
  }),
  stepStart(B, 1, 'implement', 'agent'),
  agent(B, 1, {
    type: 'tool_call',
    turn: 1,
    id: 'b1',
    name: 'bash',
    input: { command: 'npm test' },
    summary: 'npm test',
  }),
  agent(A, 1, {
    type: 'tool_result',
    turn: 1,
    id: 'a1',
    name: 'str_replace_based_edit_tool',
    ok: true,
    display: '40 lines',
    durationMs: 2,
  }),
  { type: 'warning', specId: B, message: 'spec 03-y has no checks besides the project tests' },
  // 11: both lanes run
  stepStart(A, 1, 'check', 'validate'),
  {
    type: 'validation',
    specId: A,
    attempt: 1,
    passed: true,
    checks: [{ name: 'test', passed: true, summary: '8 passed', durationMs: 300 }],
  },
  { type: 'attempt_end', specId: A, attempt: 1, outcome: 'passed', commit: 'aaaa1111aaaa1111' },
  lane(A, 'queued', { queue: [A] }),
  lane(A, 'merging', { queue: [] }),
  agent(B, 1, {
    type: 'tool_result',
    turn: 1,
    id: 'b1',
    name: 'bash',
    ok: true,
    display: 'exit 0',
    durationMs: 900,
  }),
  { type: 'attempt_end', specId: B, attempt: 1, outcome: 'passed', commit: 'bbbb2222bbbb2222' },
  {
    type: 'totals',
    totals: { usage, cost: 0.02, iterations: 2, commits: 0, elapsedMs: 18_000 },
    limits: START.limits,
  },
  lane(B, 'queued', { queue: [B] }),
  // 20: A merging, B waiting
  lane(A, 'merged', { commit: 'cccc3333cccc3333', queue: [B] }),
  { type: 'spec_status', specId: A, status: 'done' },
  lane(A, 'closed', { queue: [B] }),
  lane(B, 'merging', { queue: [] }),
  lane(B, 'conflict', { reason: 'conflict in src/b.ts', queue: [] }),
  lane(B, 'closed', { queue: [] }),
  lane(B, 'opened'),
  attemptStart(B, 2, 3),
  // 28: B re-attempted in a new lane
  { type: 'attempt_end', specId: B, attempt: 2, outcome: 'passed', commit: 'dddd4444dddd4444' },
  lane(B, 'queued', { queue: [B] }),
  lane(B, 'merging', { queue: [] }),
  lane(B, 'merged', { commit: 'eeee5555eeee5555', queue: [] }),
  { type: 'spec_status', specId: B, status: 'done' },
  lane(B, 'closed', { queue: [] }),
  {
    type: 'run_end',
    status: 'completed',
    reason: 'all specs done',
    exitCode: 0,
    branch: `mmm/${RUN_ID}`,
    specs: LANE_SPECS.map((s) => ({ ...s, status: 'done', criteriaDone: s.criteriaTotal })),
    totals: { usage, cost: 0.03, iterations: 3, commits: 2, elapsedMs: 35_000 },
    next: [`git merge mmm/${RUN_ID}`],
  },
];

/** Moments of the run: the events before them. */
export const BOTH_RUNNING = 11;
export const A_MERGING = 20;
export const B_REATTEMPTED = 28;

export function laneScenario(): RunEvent[] {
  return LANE_BODIES.map((b, i) => ev(i, b));
}
