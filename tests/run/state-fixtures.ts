import { emptyUsage } from '../../src/core/llm/usage.js';
import { defaultConfig } from '../../src/core/config/schema.js';
import type { Iteration, RunState } from '../../src/core/run/store/state.js';

/** A realistic run state for tests: `n` iterations with validation output and feedback. */
export function makeState(overrides: Partial<RunState> = {}, n = 0): RunState {
  const runId = overrides.runId ?? '20261122-010000-abcd';
  const state: RunState = {
    version: 1,
    runId,
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    status: 'running',
    repoRoot: '/repo',
    worktree: `/repo/.mmm/worktrees/${runId}`,
    branch: `mmm/${runId}`,
    baseBranch: 'main',
    baseCommit: 'a'.repeat(40),
    inPlace: false,
    workflow: 'specs',
    config: defaultConfig() as unknown as Record<string, unknown>,
    specOrder: ['s1', 's2'],
    specs: {
      s1: {
        title: 'First spec',
        file: 'specs/s1.md',
        status: 'done',
        attempts: 1,
        commit: 'b'.repeat(40),
      },
      s2: { title: 'Second spec', file: 'specs/s2.md', status: 'pending', attempts: 0 },
    },
    iterations: [],
    totals: { usage: emptyUsage(), cost: 0, iterations: 0, commits: 0, elapsedMs: 0 },
    current: null,
    limits: { maxIterations: 10 },
    ...overrides,
  };
  for (let i = 0; i < n; i++) state.iterations.push(makeIteration(i));
  state.totals.iterations = state.iterations.length;
  return state;
}

export function makeIteration(i: number): Iteration {
  return {
    index: i,
    specId: i % 2 ? 's2' : 's1',
    attempt: (i % 3) + 1,
    startedAt: new Date(Date.UTC(2026, 10, 22, 1, 0, i)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 10, 22, 1, 0, i + 1)).toISOString(),
    outcome: i % 3 === 2 ? 'passed' : 'failed',
    usage: { input: 1000 + i, output: 200, cacheWrite: 50, cacheRead: 3000 },
    cost: 0.01,
    validation: [
      {
        name: 'test',
        passed: false,
        summary: '3 passed, 1 failed',
        exitCode: 1,
        failedTests: ['adds'],
        output: 'x'.repeat(1500),
        durationMs: 1200,
      },
      { name: 'lint', passed: true, summary: 'ok', exitCode: 0, durationMs: 300 },
    ],
    checkpoint: 'c'.repeat(40),
    feedback: `test failed: adds expected 3 got 4\n${'y'.repeat(600)}`,
    summary: 'I changed the adder.',
    fingerprint: `fp-${i % 7}`,
  };
}
