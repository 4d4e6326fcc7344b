// `mmm --version` and `mmm --help` against bare `node -e 0`, measured in the same run.
// Targets (issue 2): --version ≤ 1.3×, --help ≤ 1.5× of node start-up.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const cases = [
  ['node -e 0', ['-e', '0']],
  ['mmm --version', [bin, '--version']],
  ['mmm --help', [bin, '--help']],
];
// Interleaved rounds, so machine noise falls on every case alike; 3 warm-up rounds.
const samples = Object.fromEntries(cases.map(([name]) => [name, []]));
for (let round = 0; round < RUNS + 3; round++) {
  for (const [name, args] of cases) {
    const ms = once(args);
    if (round >= 3) samples[name].push(ms);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = Object.fromEntries(cases.map(([name]) => [name, median(samples[name])]));
const base = medians['node -e 0'];

console.log('## CLI start-up (`node bench/run.mjs cli`)\n');
console.log(`median of ${RUNS} interleaved rounds, after 3 warm-up rounds\n`);
console.log('| command | median ms | ratio to node -e 0 | target |');
console.log('|---|---|---|---|');
const targets = { 'node -e 0': '', 'mmm --version': '≤ 1.3×', 'mmm --help': '≤ 1.5×' };
for (const [name] of cases) {
  const ms = medians[name];
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)}× | ${targets[name]} |`);
}
console.log('');
