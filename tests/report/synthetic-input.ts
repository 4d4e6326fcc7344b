import type { Iteration, ReportInput, RunEvent, RunState } from '../../src/core/report/input.js';

/**
 * A run's state and events made up directly (no model, no git): `specs` specs of which
 * every third fails after three attempts and the others pass on their second, each with
 * long check output, five criteria and a commit touching many files. For size tests.
 */
export function syntheticInput(specs: number, options: { events?: boolean } = {}): ReportInput {
  const runId = '20261129-070000-abcd';
  const t0 = Date.parse('2026-11-29T07:00:00Z');
  let clock = t0;
  const at = (ms = 0) => new Date((clock += ms)).toISOString();
  const iterations: Iteration[] = [];
  const events: RunEvent[] = [];
  const stateSpecs: RunState['specs'] = {};
  const commits: ReportInput['commits'] = {};
  const usage = { input: 12_000, output: 2_400, cacheWrite: 3_000, cacheRead: 40_000 };
  const longOutput = Array.from(
    { length: 40 },
    (_, i) => `not ok ${i} - a rather long failing test name number ${i} with details`,
  ).join('\n');
  const ev = (body: object): void => {
    events.push({ t: at(5), runId, ...body } as RunEvent);
  };
  for (let s = 0; s < specs; s++) {
    const id = `spec-${String(s).padStart(3, '0')}-with-a-descriptive-name`;
    const fails = s % 3 === 2;
    const attempts = fails ? 3 : 2;
    for (let a = 1; a <= attempts; a++) {
      const passed = !fails && a === attempts;
      const sha = `${String(s).padStart(4, '0')}${a}`.padEnd(40, 'f');
      const startedAt = at(10);
      ev({
        type: 'attempt_start',
        specId: id,
        title: `Title ${s}`,
        iteration: iterations.length + 1,
        attempt: a,
        maxAttempts: 3,
      });
      ev({
        type: 'agent',
        specId: id,
        attempt: a,
        event: { type: 'request_start', turn: 1, model: 'claude-sonnet-5-5', messages: 1 },
      });
      ev({
        type: 'agent',
        specId: id,
        attempt: a,
        event: { type: 'usage', turn: 1, usage, cost: 0.05, total: usage, totalCost: 0.05 },
      });
      ev({ type: 'step', specId: id, attempt: a, step: 'validate' });
      const checks = [
        {
          name: 'test',
          passed,
          summary: passed ? '40 passed' : '40 failed',
          durationMs: 900,
          ...(passed ? {} : { output: longOutput, failedTests: ['a', 'b'] }),
        },
      ];
      ev({ type: 'validation', specId: id, attempt: a, passed, checks });
      ev({ type: 'attempt_end', specId: id, attempt: a, outcome: passed ? 'passed' : 'failed' });
      iterations.push({
        index: iterations.length,
        specId: id,
        attempt: a,
        startedAt,
        endedAt: at(1000),
        outcome: passed ? 'passed' : 'failed',
        usage,
        cost: 0.05,
        validation: checks,
        checkpoint: 'f'.repeat(40),
        ...(passed
          ? {
              commit: sha,
              criteria: [1, 2, 3, 4, 5].map((n) => ({
                n,
                text: `criterion ${n} of ${id}, described at some length`,
                status: 'verified' as const,
                evidence: [`test "${id} case ${n}" passed`],
              })),
            }
          : { patch: `/repo/.mmm/runs/${runId}/attempts/${id}-${a}.patch`, feedback: longOutput }),
      });
      if (passed) {
        commits[sha] = {
          sha,
          subject: `mmm: Title ${s}`,
          trailers: [
            ['Mmm-Run', runId],
            ['Mmm-Spec', id],
            ['Mmm-Attempt', String(a)],
          ],
          files: Array.from({ length: 20 }, (_, f) => ({
            path: `src/module-${s}/file-${f}.ts`,
            added: f,
            deleted: 1,
          })),
        };
      }
    }
    stateSpecs[id] = {
      title: `Title ${s}`,
      file: `specs/${id}.md`,
      status: fails ? 'failed' : 'done',
      attempts,
      ...(fails
        ? { failure: 'still failing after 3 attempts' }
        : { commit: iterations.at(-1)?.commit }),
    };
  }
  const n = iterations.length;
  const state: RunState = {
    version: 1,
    runId,
    createdAt: new Date(t0).toISOString(),
    updatedAt: at(),
    status: 'failed',
    repoRoot: '/repo',
    worktree: `/repo/.mmm/worktrees/${runId}`,
    branch: `mmm/${runId}`,
    baseBranch: 'main',
    baseCommit: 'e'.repeat(40),
    inPlace: false,
    workflow: 'specs',
    config: { model: 'claude-sonnet-5-5' },
    specOrder: Object.keys(stateSpecs),
    specs: stateSpecs,
    iterations,
    totals: {
      usage: {
        input: usage.input * n,
        output: usage.output * n,
        cacheWrite: usage.cacheWrite * n,
        cacheRead: usage.cacheRead * n,
      },
      cost: 0.05 * n,
      iterations: n,
      commits: Object.keys(commits).length,
      elapsedMs: clock - t0,
    },
    current: null,
    stopReason: 'some specs failed',
    limits: { maxIterations: 500 },
  };
  const patches: Record<string, string> = {};
  for (const it of iterations) if (it.patch) patches[it.patch] = it.patch.replace('/repo/', '');
  return {
    state,
    events: options.events === false ? [] : events,
    commits,
    patches,
    live: false,
    next: [],
    eventsRecorded: options.events !== false,
  };
}
