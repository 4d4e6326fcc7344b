// Synthetic RunEvent streams for the tmux test script and bench/tui.bench.mjs.
// Plain JS so that plain `node` runs it against the BUILT dist/ (no TypeScript loader).

export const RUN_ID = '20261122-0900-demo';
const T0 = Date.parse('2026-11-22T09:00:00Z');
const usage = { input: 900, output: 240, cacheWrite: 0, cacheRead: 3000 };

export const SPECS = [
  {
    id: 'add-slugify',
    title: 'Add a slugify option to titles',
    status: 'pending',
    criteriaDone: 0,
    criteriaTotal: 3,
  },
  {
    id: 'validate-input',
    title: 'Reject non-string input with a TypeError',
    status: 'pending',
    criteriaDone: 0,
    criteriaTotal: 2,
  },
  {
    id: 'document-api',
    title: 'Document the public API in README',
    status: 'pending',
    criteriaDone: 0,
    criteriaTotal: 2,
  },
];

export const LIMITS = { maxIterations: 10, usd: 2, tokens: 2_000_000, time: 1800 };

/** Stamps bodies with a run id and times; `clock()` gives the time of the next event. */
export function stamper(clock = () => Date.now()) {
  return (body) => ({ t: new Date(clock()).toISOString(), runId: RUN_ID, ...body });
}

export function runStart() {
  return {
    type: 'run_start',
    branch: `mmm/${RUN_ID}`,
    worktree: `/tmp/demo/.mmm/worktrees/${RUN_ID}`,
    baseCommit: '0123456789abcdef',
    model: 'claude-sonnet-4-5',
    workflow: 'specs',
    specs: SPECS,
    limits: LIMITS,
    resumed: false,
  };
}

/** The events of one agent turn: streamed text, the final text, a tool call and its result. */
export function turnBodies(specId, attempt, turn, deltas = 8) {
  const agent = (event) => ({ type: 'agent', specId, attempt, event });
  const words = `Turn ${turn}: reading the code, then editing src/index.js and running the tests again.`;
  const out = [
    agent({ type: 'request_start', turn, model: 'claude-sonnet-4-5', messages: turn * 2 - 1 }),
  ];
  const chunk = Math.ceil(words.length / deltas);
  for (let i = 0; i < words.length; i += chunk) {
    out.push(agent({ type: 'text_delta', turn, text: words.slice(i, i + chunk) }));
  }
  out.push(agent({ type: 'text', turn, text: words }));
  const id = `call-${specId}-${attempt}-${turn}`;
  const bash = turn % 2 === 0;
  out.push(
    agent({
      type: 'tool_call',
      turn,
      id,
      name: bash ? 'bash' : 'str_replace_based_edit_tool',
      input: bash ? { command: 'node --test' } : { command: 'str_replace', path: 'src/index.js' },
      summary: bash ? 'node --test' : 'str_replace src/index.js',
    }),
  );
  out.push(
    agent({
      type: 'tool_result',
      turn,
      id,
      name: bash ? 'bash' : 'str_replace_based_edit_tool',
      ok: true,
      display: bash ? 'exit 0 · 8 passed' : 'replaced 1 occurrence',
      durationMs: bash ? 640 : 2,
    }),
  );
  out.push(agent({ type: 'usage', turn, usage, cost: 0.0061, total: usage, totalCost: 0.0061 }));
  out.push(agent({ type: 'turn_end', turn, stopReason: 'tool_use' }));
  return out;
}

/**
 * About `count` events: attempts of ~`turns` turns each over the three specs, with
 * validation, commits and totals, ending with run_end. Stamped 1 ms apart from T0.
 */
export function syntheticEvents(count, turns = 20) {
  let n = 0;
  const stamp = stamper(() => T0 + n++);
  const events = [stamp(runStart())];
  let iteration = 0;
  let commits = 0;
  let tokens = 0;
  while (events.length < count - 2) {
    const spec = SPECS[iteration % SPECS.length];
    iteration++;
    events.push(
      stamp({
        type: 'attempt_start',
        specId: spec.id,
        title: spec.title,
        iteration,
        attempt: 1,
        maxAttempts: 3,
      }),
    );
    events.push(stamp({ type: 'step', specId: spec.id, attempt: 1, step: 'agent' }));
    for (let turn = 1; turn <= turns; turn++) {
      for (const b of turnBodies(spec.id, 1, turn)) events.push(stamp(b));
      tokens += 4140;
    }
    events.push(stamp({ type: 'step', specId: spec.id, attempt: 1, step: 'validate' }));
    events.push(
      stamp({
        type: 'validation',
        specId: spec.id,
        attempt: 1,
        passed: true,
        checks: [{ name: 'test', passed: true, summary: '8 passed', exitCode: 0, durationMs: 700 }],
      }),
    );
    commits++;
    events.push(
      stamp({
        type: 'attempt_end',
        specId: spec.id,
        attempt: 1,
        outcome: 'passed',
        commit: `c0ffee${iteration}`,
      }),
    );
    events.push(
      stamp({
        type: 'totals',
        totals: {
          usage: { ...usage, input: tokens },
          cost: iteration * 0.12,
          iterations: iteration,
          commits,
          elapsedMs: n,
        },
        limits: LIMITS,
      }),
    );
  }
  events.push(stamp(runEnd('completed', 0, commits, n)));
  return events;
}

export function runEnd(status, exitCode, commits, elapsedMs) {
  return {
    type: 'run_end',
    status,
    reason: status === 'completed' ? 'all specs done' : 'stopped by the user (q)',
    exitCode,
    branch: `mmm/${RUN_ID}`,
    specs: SPECS.map((s, i) => ({
      ...s,
      status: status === 'completed' || i === 0 ? 'done' : 'pending',
      criteriaDone: status === 'completed' || i === 0 ? s.criteriaTotal : 0,
    })),
    totals: { usage, cost: 0.12, iterations: 2, commits, elapsedMs },
    next: status === 'completed' ? [`git merge mmm/${RUN_ID}`] : ['mmm improve --resume'],
  };
}
