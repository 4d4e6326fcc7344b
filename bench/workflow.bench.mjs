// The workflow interpreter (issue 10): its overhead per step — a shell step running `true`,
// no model — against spawning `sh -c true` directly, and the resume time of a run whose
// history holds 1,000 steps against the start of a fresh one. Runs the built CLI (`npm run
// build` first) in temporary repositories, sandbox off (its cost is in the sandbox section).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
const CONFIG = `[commands]
test = ""
lint = ""
typecheck = ""
build = ""
format = ""

[tools]
sandbox = "off"
`;

function repo(workflow) {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-wf-bench-'));
  mkdirSync(join(dir, '.mmm', 'workflows'), { recursive: true });
  writeFileSync(join(dir, '.mmm', 'config.toml'), CONFIG);
  writeFileSync(join(dir, '.mmm', 'workflows', 'bench.yml'), workflow);
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=b', '-c', 'user.email=b@b', 'add', '-A');
  git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init');
  return dir;
}

const env = {
  ...process.env,
  ANTHROPIC_API_KEY: 'bench',
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'mmm-wf-bench-home-')),
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};

/** Wall ms of `mmm improve --json …`, and ms from spawn to its first event (run_start). */
function improve(dir, args, expectExit) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'improve', '--json', ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expectExit) {
    throw new Error(`mmm improve ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  }
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const start = Date.parse(events[0].t);
  const end = Date.parse(events.at(-1).t);
  return { wall, events, runMs: end - start };
}

const steps = (n) =>
  Array.from({ length: n }, (_, i) => `  - id: s${i}\n    shell: "true"\n`).join('');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Per step: one item with 10 vs 210 shell steps; the difference over 200 steps.
const few = [];
const many = [];
const spawns = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [n, into] of [
    [10, few],
    [210, many],
  ]) {
    const dir = repo(`name: bench\nsteps:\n${steps(n)}`);
    into.push(improve(dir, ['--workflow', 'bench'], 0).runMs);
    rmSync(dir, { recursive: true, force: true });
  }
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 200; i++) spawnSync('sh', ['-c', 'true']);
  spawns.push(Number(process.hrtime.bigint() - t0) / 1e6 / 200);
}
const perStep = (median(many) - median(few)) / 200;
const spawnMs = median(spawns);

// 2. Resume: 1,001 items of one step; stopped by --max-iterations 1000 after 1,000 steps.
const big = repo(
  `name: bench\nfor_each: [${Array.from({ length: 1001 }, (_, i) => `i${i}`).join(', ')}]\nsteps:\n${steps(1)}`,
);
const first = improve(big, ['--workflow', 'bench', '--max-iterations', '1000'], 3);
const stepEnds = first.events.filter((e) => e.type === 'step_end').length;
const resumes = [];
const fresh = [];
for (let round = 0; round < ROUNDS; round++) {
  // Each resume stops at once on the same limit (exit 3): the cost of loading the run.
  const r = improve(big, ['--resume'], 3);
  resumes.push(r.wall);
  const small = repo(`name: bench\nsteps:\n${steps(1)}`);
  fresh.push(improve(small, ['--workflow', 'bench'], 0).wall);
  rmSync(small, { recursive: true, force: true });
}
rmSync(big, { recursive: true, force: true });

console.log('## Workflow interpreter (`node bench/run.mjs workflow`)\n');
console.log(
  `medians of ${ROUNDS} rounds; shell steps run \`true\`, no model, sandbox off, project commands disabled\n`,
);
console.log('| measure | value |');
console.log('|---|---|');
console.log(
  `| one item, 10 shell steps: run (run_start → run_end) | ${median(few).toFixed(0)} ms |`,
);
console.log(`| one item, 210 shell steps: run | ${median(many).toFixed(0)} ms |`);
console.log(`| per step ((210 − 10) / 200) | ${perStep.toFixed(1)} ms |`);
console.log(`| \`sh -c true\` spawned directly | ${spawnMs.toFixed(1)} ms |`);
console.log(
  `| interpreter overhead per step (per step − spawn) | ${(perStep - spawnMs).toFixed(1)} ms (${(perStep / spawnMs).toFixed(1)}× a bare spawn) |`,
);
console.log(
  `| history of the resumed run | ${stepEnds} steps, ${first.wall.toFixed(0)} ms to run |`,
);
console.log(
  `| \`--resume\` of that run (whole process, stops at the limit) | ${median(resumes).toFixed(0)} ms |`,
);
console.log(
  `| fresh \`mmm improve\` of a one-step workflow (whole process) | ${median(fresh).toFixed(0)} ms |`,
);
console.log(`| resume ÷ fresh start | ${(median(resumes) / median(fresh)).toFixed(2)}× |\n`);
