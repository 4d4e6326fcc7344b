// Tool overhead: a trivial command through the bash tool (policy check, env, state
// replay, output capture) against spawning `bash -c true` directly, and an editor
// `view` of a small file. Prints a markdown section. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { createTools, runTool } = await import('../dist/core/tools/index.js');
const { defaultConfig } = await import('../dist/core/config/schema.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const root = mkdtempSync(join(tmpdir(), 'mmm-bench-tools-'));
writeFileSync(
  join(root, 'small.ts'),
  Array.from({ length: 50 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n',
);
const set = createTools({ root, protectedPaths: ['.mmm'], config: defaultConfig().tools });

function spawnBash(cmd) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', cmd], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', resolve);
  });
}

async function measure(fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p90 = times[Math.floor(times.length * 0.9)];
  return { median, p90 };
}

const tool = (name, input) => async () => {
  const out = await runTool(set.tools, name, input, set.context);
  if (out.isError) throw new Error(`${name} failed: ${out.content}`);
};

const rows = [
  ['`bash -c true` spawned directly', await measure(() => spawnBash('true'))],
  ['bash tool: `true`', await measure(tool('bash', { command: 'true' }))],
  ['bash tool: `echo hi`', await measure(tool('bash', { command: 'echo hi' }))],
  [
    'editor: `view` of a 50-line file',
    await measure(tool('str_replace_based_edit_tool', { command: 'view', path: 'small.ts' })),
  ],
];
await set.dispose();
rmSync(root, { recursive: true, force: true });

const base = rows[0][1].median;
console.log(`## Tool overhead (bench/tools.bench.mjs)\n`);
console.log(`${ROUNDS} rounds each after 5 warm-up runs; times in ms.\n`);
console.log('| operation | median | p90 | vs direct spawn |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, { median, p90 }] of rows) {
  console.log(
    `| ${name} | ${median.toFixed(2)} | ${p90.toFixed(2)} | ${(median / base).toFixed(2)}× |`,
  );
}
const overhead = rows[1][1].median - base;
console.log(
  `\nbash tool overhead over a direct spawn: ${overhead.toFixed(2)} ms per command (median).\n`,
);
