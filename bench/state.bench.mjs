// Checkpoint write time vs. iterations already recorded (must stay flat), and resume
// (load) time of a run with 1,000 iterations (target < 300 ms). Imports the built code:
// run `npm run build` first (npm run bench does).
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const stateModule = fileURLToPath(new URL('../dist/core/run/store/state.js', import.meta.url));
const { saveState, loadState, resetStateCache } = await import(stateModule);

const SIZES = [10, 100, 1000];
const CHECKPOINTS = 40;

function iteration(i) {
  return {
    index: i,
    specId: `spec-${i % 20}`,
    attempt: (i % 3) + 1,
    startedAt: new Date(Date.UTC(2026, 10, 22, 1, 0, i)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 10, 22, 1, 1, i)).toISOString(),
    outcome: i % 3 === 2 ? 'passed' : 'failed',
    usage: { input: 40_000 + i, output: 3_000, cacheWrite: 5_000, cacheRead: 120_000 },
    cost: 0.12,
    validation: [
      {
        name: 'test',
        passed: false,
        summary: '41 passed, 2 failed',
        exitCode: 1,
        failedTests: ['adds', 'subtracts'],
        output: 'FAIL '.repeat(400),
        durationMs: 9_000,
      },
      { name: 'lint', passed: true, summary: 'ok', exitCode: 0, output: '', durationMs: 2_000 },
      { name: 'typecheck', passed: true, summary: 'ok', exitCode: 0, durationMs: 4_000 },
    ],
    checkpoint: 'c'.repeat(40),
    commit: i % 3 === 2 ? 'd'.repeat(40) : undefined,
    patch: i % 3 === 2 ? undefined : `.mmm/runs/x/attempts/spec-${i % 20}-${(i % 3) + 1}.patch`,
    feedback: `The test check failed: adds expected 3, got 4.\n${'context '.repeat(150)}`,
    summary: 'Changed the adder to handle negative numbers and updated the tests.',
    fingerprint: `fp-${i % 11}`,
  };
}

function state(n) {
  const specs = {};
  for (let s = 0; s < 20; s++)
    specs[`spec-${s}`] = {
      title: `Spec ${s}`,
      file: `specs/spec-${s}.md`,
      status: 'pending',
      attempts: 0,
    };
  return {
    version: 1,
    runId: '20261122-010000-beef',
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    status: 'running',
    repoRoot: '/repo',
    worktree: '/repo/.mmm/worktrees/20261122-010000-beef',
    branch: 'mmm/20261122-010000-beef',
    baseBranch: 'main',
    baseCommit: 'a'.repeat(40),
    inPlace: false,
    workflow: 'specs',
    config: { model: 'claude-sonnet-5-5', max_iterations: 2000, max_attempts: 3 },
    specOrder: Object.keys(specs),
    specs,
    iterations: Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(iteration(i)))),
    totals: {
      usage: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
      cost: 0,
      iterations: n,
      commits: 0,
      elapsedMs: 0,
    },
    current: null,
    limits: { maxIterations: 2000 },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (x) => `${x.toFixed(2)} ms`;
const dirBytes = (dir) => readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);

/** The naive alternative: the whole state as one JSON file, replaced atomically. */
async function naiveSave(path, s) {
  const tmp = `${path}.tmp`;
  const h = await open(tmp, 'w');
  await h.writeFile(JSON.stringify(s));
  await h.sync();
  await h.close();
  await rename(tmp, path);
  const d = await open(join(path, '..'), 'r');
  await d.sync();
  await d.close();
}

const root = mkdtempSync(join(tmpdir(), 'mmm-bench-state-'));
const rows = [];
try {
  for (const n of SIZES) {
    const dir = join(root, `n${n}`);
    const path = join(dir, 'state.json');
    const s = state(n);
    await saveState(path, s); // the run so far
    const steps = ['agent', 'validate', 'commit'];
    const times = [];
    const before = dirBytes(dir);
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < CHECKPOINTS; k++) {
      // A typical checkpoint: the current step moves on, the current iteration's usage grows.
      s.current = { specId: 'spec-1', attempt: 1, step: steps[k % 3], checkpoint: 'c'.repeat(40) };
      const last = s.iterations[s.iterations.length - 1];
      last.usage = { ...last.usage, output: last.usage.output + 10 };
      s.updatedAt = new Date().toISOString();
      const t0 = performance.now();
      await saveState(path, s);
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    const bytesPerCheckpoint = (dirBytes(dir) - before) / CHECKPOINTS + statSync(path).size;
    const naivePath = join(dir, 'naive.json');
    const naive = [];
    for (let k = 0; k < 10; k++) {
      const t0 = performance.now();
      await naiveSave(naivePath, s);
      naive.push(performance.now() - t0);
    }
    rows.push({
      n,
      median: median(times),
      p95: p95(times),
      cpu: (cpu.user + cpu.system) / 1000 / CHECKPOINTS,
      bytes: bytesPerCheckpoint,
      naive: median(naive),
      naiveBytes: statSync(naivePath).size,
    });
  }

  // Resume: load a 1,000-iteration run, in this process and in a fresh one.
  const path = join(root, 'n1000', 'state.json');
  const loads = [];
  for (let k = 0; k < 10; k++) {
    resetStateCache();
    const t0 = performance.now();
    const loaded = await loadState(path);
    loads.push(performance.now() - t0);
    if (loaded.iterations.length !== 1000) throw new Error('bad load');
  }
  const coldImport = [];
  const coldLoad = [];
  for (let k = 0; k < 5; k++) {
    const script = `const t0 = performance.now(); const m = await import(${JSON.stringify(stateModule)}); const t1 = performance.now(); const s = await m.loadState(${JSON.stringify(path)}); await m.saveState(${JSON.stringify(path)}, s); process.stdout.write(JSON.stringify([t1 - t0, performance.now() - t1]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const [imp, load] = JSON.parse(r.stdout);
    coldImport.push(imp);
    coldLoad.push(load);
  }
  const logBytes = readdirSync(join(root, 'n1000'))
    .filter((f) => f.startsWith('iterations-'))
    .map((f) => statSync(join(root, 'n1000', f)).size)[0];

  const first = rows[0];
  const lastRow = rows[rows.length - 1];
  const ratio = (key) => (lastRow[key] / first[key]).toFixed(2);
  console.log('## Run state: checkpoint and resume (bench/state.bench.mjs)\n');
  console.log(
    `command: \`npm run build && node bench/state.bench.mjs\` · ${CHECKPOINTS} checkpoints per size, each fsyncs the iteration log, state.json and its directory · load average at start ${loadavg()[0].toFixed(1)}\n`,
  );
  console.log(
    '| iterations recorded | checkpoint median (wall) | p95 | CPU / checkpoint | bytes written / checkpoint | naive whole-state JSON: median | naive bytes |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${ms(r.median)} | ${ms(r.p95)} | ${ms(r.cpu)} | ${Math.round(r.bytes).toLocaleString('en')} | ${ms(r.naive)} | ${r.naiveBytes.toLocaleString('en')} |`,
    );
  }
  console.log(
    `\n1,000 vs 10 iterations recorded: wall **${ratio('median')}×**, CPU **${ratio('cpu')}×**, bytes **${ratio('bytes')}×** (flat = 1; naive: wall ${ratio('naive')}×, bytes ${ratio('naiveBytes')}×)`,
  );
  console.log(
    `\nresume of a 1,000-iteration run (iteration log ${(logBytes / 2 ** 20).toFixed(1)} MiB): loadState median **${ms(median(loads))}** in process; in a new process load + first save **${ms(median(coldLoad))}** after importing the state module (zod included) in ${ms(median(coldImport))} (target < 300 ms)`,
  );
  console.log(
    "\nWall times include fsync latency and the machine's load; bytes and CPU per checkpoint are the flatness measures.\n",
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
