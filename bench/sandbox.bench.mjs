// Sandbox overhead: a trivial command (`true`) through the bash tool and through
// runShell (the validation commands' runner), without a sandbox and inside bubblewrap,
// in a real mmm-style worktree; plus the one-off cost of choosing and setting up the
// sandbox. Prints a markdown section. Needs `npm run build` first and a working bwrap.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { createTools, runTool } = await import('../dist/core/tools/index.js');
const { createSandbox } = await import('../dist/core/tools/sandbox.js');
const { chooseSandbox } = await import('../dist/core/tools/sandbox-probe.js');
const { runShell } = await import('../dist/core/validate/exec.js');
const { defaultConfig } = await import('../dist/core/config/schema.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);

let t = performance.now();
const choice = chooseSandbox({ sandbox: 'auto', network: true });
const probeMs = performance.now() - t;
if (choice.mode !== 'bwrap') {
  console.log(`## Sandbox overhead (bench/sandbox.bench.mjs)\n\nskipped: ${choice.warning}\n`);
  process.exit(0);
}

// A repository with a commit and an mmm-style run worktree under .mmm/worktrees.
const main = mkdtempSync(join(tmpdir(), 'mmm-bench-sandbox-'));
const git = (...args) =>
  execFileSync('git', args, {
    cwd: main,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
  });
git('init', '-q', '-b', 'main');
writeFileSync(join(main, 'README.md'), 'bench\n');
git('add', '-A');
git('commit', '-qm', 'init');
const work = join(main, '.mmm', 'worktrees', 'bench');
mkdirSync(join(main, '.mmm', 'worktrees'), { recursive: true });
git('worktree', 'add', '-q', '-b', 'mmm/bench', work);

t = performance.now();
const sandbox = createSandbox({
  bwrap: choice.bwrap,
  workDir: work,
  repoRoot: main,
  network: true,
});
const setupMs = performance.now() - t;

const config = defaultConfig().tools;
const bare = createTools({ root: work, protectedPaths: [], config });
const boxed = createTools({ root: work, protectedPaths: [], config, sandbox });

async function measure(fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p90: times[Math.floor(times.length * 0.9)],
  };
}

const tool = (set) => async () => {
  const out = await runTool(set.tools, 'bash', { command: 'true' }, set.context);
  if (out.isError) throw new Error(`bash failed: ${out.content}`);
};
const shell = (options) => async () => {
  const r = await runShell('true', { cwd: work, timeoutSec: 30, ...options });
  if (r.exitCode !== 0) throw new Error(`runShell failed: ${r.output}`);
};

const rows = [
  ['bash tool `true`, no sandbox', await measure(tool(bare))],
  ['bash tool `true`, bwrap', await measure(tool(boxed))],
  ['runShell `true` (validation), no sandbox', await measure(shell({}))],
  ['runShell `true` (validation), bwrap', await measure(shell({ sandbox }))],
];
await bare.dispose();
await boxed.dispose();
rmSync(main, { recursive: true, force: true });

console.log(`## Sandbox overhead (bench/sandbox.bench.mjs)\n`);
console.log(
  `${ROUNDS} rounds each after 5 warm-up runs, in a git worktree under .mmm/worktrees; times in ms. ` +
    `${choice.bwrap}; writable caches bound: ${sandbox.writableCaches.length}.\n`,
);
console.log('| command | median | p90 |');
console.log('| --- | ---: | ---: |');
for (const [name, { median, p90 }] of rows) {
  console.log(`| ${name} | ${median.toFixed(2)} | ${p90.toFixed(2)} |`);
}
const toolCost = rows[1][1].median - rows[0][1].median;
const shellCost = rows[3][1].median - rows[2][1].median;
console.log(
  `\nsandbox overhead per command (median): bash tool +${toolCost.toFixed(2)} ms, ` +
    `validation command +${shellCost.toFixed(2)} ms. ` +
    `One-off per run: probe ${probeMs.toFixed(1)} ms, setup ${setupMs.toFixed(1)} ms.\n`,
);
