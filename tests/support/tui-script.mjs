// Renders a scripted run through the BUILT renderRun, for tests/ui/tmux.test.ts:
//   node tests/support/tui-script.mjs [tui|plain|json]
// It plays the first spec to a commit and the second spec's attempt to mid-run, prints
// nothing else, then waits for the user to stop (q / Ctrl-C → requestStop) and ends the
// run as interrupted (exit 130 in run_end, the script itself exits 0).
import { renderRun } from '../../dist/ui/render-run.js';
import { runEnd, runStart, stamper, turnBodies } from './synthetic-run.mjs';

const mode = process.argv[2] ?? 'tui';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stamp = stamper();

let onStop;
const stopped = new Promise((resolve) => (onStop = resolve));

async function* events() {
  yield stamp(runStart());
  yield stamp({
    type: 'attempt_start',
    specId: 'add-slugify',
    title: 'Add a slugify option to titles',
    iteration: 1,
    attempt: 1,
    maxAttempts: 3,
  });
  for (const b of turnBodies('add-slugify', 1, 1)) {
    yield stamp(b);
    await sleep(10);
  }
  yield stamp({
    type: 'validation',
    specId: 'add-slugify',
    attempt: 1,
    passed: true,
    checks: [{ name: 'test', passed: true, summary: '8 passed', exitCode: 0, durationMs: 650 }],
  });
  yield stamp({
    type: 'attempt_end',
    specId: 'add-slugify',
    attempt: 1,
    outcome: 'passed',
    commit: '5eed1234abcd',
  });
  yield stamp({ type: 'spec_status', specId: 'add-slugify', status: 'done' });
  yield stamp({
    type: 'attempt_start',
    specId: 'validate-input',
    title: 'Reject non-string input with a TypeError',
    iteration: 2,
    attempt: 1,
    maxAttempts: 3,
  });
  for (const b of turnBodies('validate-input', 1, 2)) {
    yield stamp(b);
    await sleep(10);
  }
  yield stamp({
    type: 'agent',
    specId: 'validate-input',
    attempt: 1,
    event: {
      type: 'tool_call',
      turn: 3,
      id: 'long-running',
      name: 'bash',
      input: { command: 'node --test' },
      summary: 'node --test test/validate.test.js',
    },
  });
  await stopped;
  yield stamp({ type: 'attempt_end', specId: 'validate-input', attempt: 1, outcome: 'stopped' });
  yield stamp(runEnd('interrupted', 130, 1, 4200));
}

const handle = {
  events: events(),
  requestStop: () => onStop('stop'),
  abort: () => onStop('abort'),
};

// Waiting for a stop must keep the process alive in every mode (Ink's raw stdin does in the TUI).
const keepAlive = setInterval(() => {}, 1000);
await renderRun(handle, { mode });
clearInterval(keepAlive);
