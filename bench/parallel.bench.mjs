// `mmm improve --parallel N` (issue 11): 4 independent specs against a fake Messages
// server that answers every request after BENCH_DELAY_MS (default 1000 ms). Each spec takes
// two requests (turn 1 creates one file, turn 2 ends the attempt), the project's test
// command is a cheap `node check.js`. Wall time of the whole `mmm improve --json`, spawned
// from here, at `--parallel 1` and `--parallel 4`, in interleaved rounds (BENCH_RUNS,
// default 3), medians and the ratio p4/p1 (target ≤ 0.35×, a ≥ 0.7·N speed-up). Both runs
// must end with the same commits (tree of the run branch, subjects in order): a FAIL line
// and exit 1 otherwise. Where the time of a run goes is read from its JSON events.
// The fake server is tests/support/fake-anthropic.ts, loaded through tsx.
// `node bench/parallel.bench.mjs --once N` runs one round at --parallel N and prints one
// line (for an external A/B timer). Needs `npm run build`.
import { register } from 'tsx/esm/api';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

register();
const { startFakeAnthropic } = await import('../tests/support/fake-anthropic.ts');

const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
const DELAY = Number(process.env.BENCH_DELAY_MS ?? 1000);
const SPECS = ['alpha', 'beta', 'gamma', 'delta'];
const WIDTH = SPECS.length;
const TARGET = 0.35;

const CONFIG = `[commands]
test = "node check.js"
lint = ""
typecheck = ""
build = ""
format = ""

[validate]
run = ["test"]
timeout = 60
`;
const CHECK_JS = `const fs = require('node:fs');
const bad = fs.readdirSync('.').filter((f) => f.endsWith('.txt') && fs.readFileSync(f, 'utf8').includes('bug'));
console.log(bad.length ? 'not ok - ' + bad.join(', ') : 'all ok');
process.exit(bad.length ? 1 : 0);
`;

function specFile(id) {
  return [
    '---',
    `id: ${id}`,
    `title: Write ${id}`,
    'status: ready',
    'priority: medium',
    'checks:',
    `  - file_exists: ${id}.txt`,
    '---',
    `# Write ${id}`,
    '',
    '## Objective',
    '',
    `Create ${id}.txt.`,
    '',
    '## Acceptance Criteria',
    '',
    `- [ ] ${id}.txt exists`,
    '',
  ].join('\n');
}

const root = realpathSync(mkdtempSync(join(tmpdir(), 'mmm-bench-parallel-')));

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function makeRepo(name) {
  const dir = join(root, name);
  const tree = { '.mmm/config.toml': CONFIG, 'check.js': CHECK_JS, 'README.md': '# bench\n' };
  SPECS.forEach((id, i) => (tree[`specs/0${i + 1}-${id}.md`] = specFile(id)));
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init');
  return dir;
}

/** The model: per task, turn 1 creates `<task>.txt`, turn 2 ends the attempt. */
function model(request) {
  const system = request.body.system;
  const text = typeof system === 'string' ? system : (system ?? []).map((b) => b.text).join('\n');
  const task = /<task id="([^"]*)"/.exec(text)?.[1] ?? '';
  const turn = Math.ceil(request.body.messages.length / 2);
  const usage = { input_tokens: 1000, output_tokens: 100 };
  if (SPECS.includes(task) && turn === 1) {
    return {
      delayMs: DELAY,
      usage,
      content: [
        { type: 'text', text: `I will create ${task}.txt.` },
        {
          type: 'tool_use',
          name: 'str_replace_based_edit_tool',
          input: { command: 'create', path: `${task}.txt`, file_text: `${task}\n` },
        },
      ],
    };
  }
  return { delayMs: DELAY, usage, content: [{ type: 'text', text: `Done with ${task}.` }] };
}

/** One whole `mmm improve --json --parallel <width>` in a fresh repository. */
async function round(width, name) {
  const dir = makeRepo(name);
  const fake = await startFakeAnthropic({ script: model });
  const home = join(root, `${name}-home`);
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(ANTHROPIC_|MMM_)/.test(k)),
    ),
    NO_COLOR: '1',
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'bench',
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@b',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@b',
  };
  const t0 = performance.now();
  const spawnedAt = Date.now();
  // Not spawnSync: the fake server answers from this process's event loop.
  const { code, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'improve', '--json', '--parallel', String(width)], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const wallMs = performance.now() - t0;
  const requests = fake.messageRequests().length;
  await fake.close();
  if (code !== 0) throw new Error(`mmm improve --parallel ${width} exited ${code}:\n${stderr}`);
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const end = events.find((e) => e.type === 'run_end');
  const branch = end.branch;
  const result = {
    width,
    wallMs,
    requests,
    spawnedAt,
    events,
    tree: git(dir, 'rev-parse', `${branch}^{tree}`),
    subjects: git(dir, 'log', '--reverse', '--format=%s', `main..${branch}`).split('\n'),
  };
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (process.argv[2] === '--once') {
  const r = await round(Number(process.argv[3] ?? 1), 'once');
  rmSync(root, { recursive: true, force: true });
  if (process.argv[4])
    writeFileSync(process.argv[4], r.events.map((e) => JSON.stringify(e)).join('\n'));
  console.log(`--parallel ${r.width}: ${s(r.wallMs)}, ${r.requests} requests, tree ${r.tree}`);
  process.exit(0);
}

// Interleaved rounds: p1, p4, p1, p4, …
const runs = { 1: [], [WIDTH]: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const width of [1, WIDTH]) runs[width].push(await round(width, `p${width}-${i}`));
}
rmSync(root, { recursive: true, force: true });

// Same commits in every run.
const reference = runs[1][0];
const mismatch = [...runs[1], ...runs[WIDTH]].find(
  (r) => r.tree !== reference.tree || r.subjects.join('\n') !== reference.subjects.join('\n'),
);

/**
 * Where a run's time goes, from its JSON events: the critical path in segments (ms), and
 * per spec the work each lane (or the serial loop) did, summed over the specs.
 */
function breakdown(r) {
  const ev = r.events;
  const at = (e) => (e ? Date.parse(e.t) - r.spawnedAt : NaN);
  const first = (pred) => ev.find(pred);
  const last = (pred) => ev.findLast(pred);
  const lane = (phase, id) =>
    first((e) => e.type === 'lane' && e.phase === phase && (id === undefined || e.specId === id));
  const steps = (kind) =>
    ev.filter((e) => e.type === 'step_end' && e.kind === kind).map((e) => e.durationMs);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const runStart = at(first((e) => e.type === 'run_start'));
  const firstAttempt = at(first((e) => e.type === 'attempt_start'));
  const lastAttempt = at(last((e) => e.type === 'attempt_end' && e.outcome));
  const lastMerged = at(last((e) => e.type === 'lane' && e.phase === 'closed'));
  const runEnd = at(last((e) => e.type === 'run_end'));
  const merged = !Number.isNaN(lastMerged);
  // The session clock starts after the run worktree exists: its elapsed time at run_start.
  const setup = first((e) => e.type === 'totals').totals.elapsedMs;
  const merges = SPECS.map((id) => at(lane('merged', id)) - at(lane('merging', id)));
  const closes = SPECS.map((id) => at(lane('closed', id)) - at(lane('merged', id)));
  const baseline = first((e) => e.type === 'baseline')?.durationMs ?? NaN;
  const agent = steps('agent');
  const opened = ev.filter((e) => e.type === 'lane' && e.phase === 'opened').map(at);
  const opens = opened.map((t, i) => t - (i ? opened[i - 1] : runStart));
  return {
    path: [
      ['process start, config, specs, run worktree', runStart - setup],
      ['run identity and baseline validation (→ run_start)', setup],
      ['lanes opened (run_start → first attempt_start)', firstAttempt - runStart],
      ['attempts (first attempt_start → last attempt_end)', lastAttempt - firstAttempt],
      [
        'merge queue after the last attempt (→ last lane closed)',
        merged ? lastMerged - lastAttempt : 0,
      ],
      ['to run_end', runEnd - (merged ? lastMerged : lastAttempt)],
      ['process exit after run_end', r.wallMs - runEnd],
    ],
    work: [
      ['baseline validation (once)', baseline],
      ['lane open (worktree, branch, pin, checkpoint)', sum(opens)],
      ['agent step (2 requests)', sum(agent), sum(agent) - 2 * DELAY * agent.length],
      ['validate step in the lane', sum(steps('validate'))],
      ['commit step in the lane', sum(steps('commit'))],
      ['merge onto the run branch + validation there', merged ? sum(merges) : 0],
      ['lane close (merged → closed)', merged ? sum(closes) : 0],
    ],
  };
}

const p1 = median(runs[1].map((r) => r.wallMs));
const pN = median(runs[WIDTH].map((r) => r.wallMs));
const ratio = pN / p1;
const modelMs = 2 * SPECS.length * DELAY;
const medianRun = (width) => {
  const m = median(runs[width].map((r) => r.wallMs));
  return runs[width].find((r) => r.wallMs === m);
};

console.log(
  `## mmm improve --parallel — ${SPECS.length} independent specs (\`node bench/run.mjs parallel\`)\n`,
);
console.log(
  `${SPECS.length} independent specs, 2 requests each (create a file, then finish), every request answered after ${DELAY} ms; test command \`node check.js\`; wall time of the whole \`mmm improve --json\` process; ${ROUNDS} interleaved rounds, medians\n`,
);
console.log('| case | wall (median) | min – max | requests | model wait on the critical path |');
console.log('|---|---|---|---|---|');
for (const width of [1, WIDTH]) {
  const xs = runs[width].map((r) => r.wallMs);
  console.log(
    `| \`--parallel ${width}\` | ${s(median(xs))} | ${s(Math.min(...xs))} – ${s(Math.max(...xs))} | ${runs[width][0].requests} | ${s(modelMs / width)} |`,
  );
}
console.log(
  `\np${WIDTH} / p1: **${ratio.toFixed(2)}×** (speed-up ${(1 / ratio).toFixed(2)}×; target ≤ ${TARGET}×, a ≥ ${(0.7 * WIDTH).toFixed(1)}× speed-up): ${ratio <= TARGET ? 'met' : 'not met'}\n`,
);

// The same ratio without what every run does once before its first spec (process start,
// run worktree, baseline): run_start → run_end, medians over the rounds.
const runPart = (r) => {
  const t = (type) => Date.parse(r.events.findLast((e) => e.type === type).t);
  return t('run_end') - t('run_start');
};
const r1 = median(runs[1].map(runPart));
const rN = median(runs[WIDTH].map(runPart));
console.log(
  `run_start → run_end only (without start-up and baseline, the same at any width): p1 ${s(r1)}, p${WIDTH} ${s(rN)}, **${(rN / r1).toFixed(2)}×**\n`,
);

const b1 = breakdown(medianRun(1));
const bN = breakdown(medianRun(WIDTH));
console.log("Critical path of the median runs (ms, from the run's events):\n");
console.log(`| segment | \`--parallel 1\` | \`--parallel ${WIDTH}\` |`);
console.log('|---|---|---|');
b1.path.forEach(([name, v], i) =>
  console.log(`| ${name} | ${Math.round(v)} | ${Math.round(bN.path[i][1])} |`),
);
console.log(
  `| **whole process** | **${Math.round(medianRun(1).wallMs)}** | **${Math.round(medianRun(WIDTH).wallMs)}** |`,
);
console.log(
  `\nWork summed over the ${SPECS.length} specs (ms; in \`--parallel ${WIDTH}\` the lanes' steps overlap, the merges do not):\n`,
);
console.log(`| work | \`--parallel 1\` | \`--parallel ${WIDTH}\` |`);
console.log('|---|---|---|');
b1.work.forEach(([name, v, extra], i) => {
  const [, vN, extraN] = bN.work[i];
  const fmt = (x, e) =>
    `${Math.round(x)}${e === undefined ? '' : ` (${Math.round(e)} beyond the model's ${2 * DELAY} ms × ${SPECS.length})`}`;
  console.log(`| ${name} | ${fmt(v, extra)} | ${fmt(vN, extraN)} |`);
});
console.log(
  `\nsame commits in all ${2 * ROUNDS} runs: ${mismatch ? 'no' : 'yes'} (tree ${reference.tree.slice(0, 12)}; ${reference.subjects.length} commits: ${reference.subjects.join(' · ')})\n`,
);
if (mismatch) {
  console.log(
    `FAIL: --parallel ${mismatch.width} ended with tree ${mismatch.tree} and commits [${mismatch.subjects.join(' | ')}], --parallel 1 with tree ${reference.tree} and [${reference.subjects.join(' | ')}]`,
  );
  process.exit(1);
}
