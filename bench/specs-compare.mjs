// Interleaved before/after: `mmm specs validate --strict` on the bench's 1,000 specs,
// a baseline build (argument: its dist/cli/bin.js) vs this tree's dist/, CPU (user+sys) and
// wall, median of RUNS (default 9) alternating runs. Run after `npm run build`.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
const benchText = readFileSync(new URL('./specs.bench.mjs', import.meta.url), 'utf8');
const fnText = benchText.slice(
  benchText.indexOf('const PRIORITIES'),
  benchText.indexOf('function median'),
);
const specText = new Function(`${fnText}; return specText;`)();
const root = mkdtempSync(join(tmpdir(), 'sl-cmp-'));
mkdirSync(join(root, 'specs'));
for (let i = 0; i < 1000; i++) {
  const n = String(i + 1).padStart(4, '0');
  writeFileSync(join(root, 'specs', `${n}-spec-${n}.md`), specText(i));
}
const HOOK =
  'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nMMM_CPU_MS="+(u.user+u.system)/1000+"\\n")})';
const baseline = process.argv[2];
if (!baseline) throw new Error('usage: node bench/specs-compare.mjs <baseline dist/cli/bin.js>');
const bins = {
  before: baseline,
  after: fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url)),
};
const res = { before: [], after: [] };
const RUNS = Number(process.env.RUNS ?? 9);
for (let r = 0; r < RUNS; r++) {
  for (const k of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    const t = performance.now();
    const p = spawnSync(
      process.execPath,
      ['--import', HOOK, bins[k], 'specs', 'validate', '--strict'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    const wall = performance.now() - t;
    if (p.status !== 0) throw new Error(`${k}: ${p.stderr}`);
    res[k].push({ wall, cpu: Number(/MMM_CPU_MS=([\d.]+)/.exec(p.stderr)[1]) });
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const out = {};
for (const k of ['before', 'after'])
  out[k] = { wall: med(res[k].map((x) => x.wall)), cpu: med(res[k].map((x) => x.cpu)) };
console.log(
  JSON.stringify(
    {
      runs: RUNS,
      loadavg: loadavg(),
      ...out,
      cpuRatio: out.after.cpu / out.before.cpu,
      wallRatio: out.after.wall / out.before.wall,
    },
    null,
    1,
  ),
);
