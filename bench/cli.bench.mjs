// `mmm --version` and `mmm --help` against bare `node -e 0`, measured in the same run.
// Targets (issue 2): --version ≤ 1.3×, --help ≤ 1.5× of node start-up.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function time(args) {
  const samples = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i >= 3) samples.push(ms); // warm-up runs discarded
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// Interleave to spread machine noise evenly.
const cases = [
  ['node -e 0', ['-e', '0']],
  ['mmm --version', [bin, '--version']],
  ['mmm --help', [bin, '--help']],
];
const medians = Object.fromEntries(cases.map(([name, args]) => [name, time(args)]));
const base = medians['node -e 0'];

console.log('## CLI start-up (`node bench/run.mjs cli`)\n');
console.log(`median of ${RUNS} runs each, after 3 warm-ups\n`);
console.log('| command | median ms | ratio to node -e 0 | target |');
console.log('|---|---|---|---|');
const targets = { 'node -e 0': '', 'mmm --version': '≤ 1.3×', 'mmm --help': '≤ 1.5×' };
for (const [name] of cases) {
  const ms = medians[name];
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)}× | ${targets[name]} |`);
}
console.log('');
