// Benchmark: `mmm analyze` on a generated 20,000-file git repository and on a 10,000-file
// repository with 40,000 commits (issue 14), against `git ls-files | xargs wc -l` (the
// floor: list the files and count their lines) measured in the same run.
// Targets (issues 2, 14): cold ≤ 2× the baseline, warm < 1 s. BENCH_ONLY=files|history.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeHistoryRepo } from './make-history-repo.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'cli', 'bin.js');
const floor = join(here, 'analyze-floor.mjs');
const FILES = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HISTORY_FILES = 10_000;
const HISTORY_COMMITS = 40_000;

function generate(root) {
  const kinds = [
    [
      'ts',
      (i) =>
        `export function f${i}(x: number): number {\n  // TODO: tune\n  return x * ${i};\n}\n`.repeat(
          6,
        ),
    ],
    ['py', (i) => `def f${i}(x):\n    return x * ${i}\n\n`.repeat(8)],
    ['go', (i) => `package p\n\nfunc F${i}(x int) int {\n\treturn x * ${i}\n}\n`.repeat(5)],
    ['md', (i) => `# Note ${i}\n\nSome prose about item ${i}.\n`.repeat(4)],
  ];
  for (let i = 0; i < FILES; i++) {
    const [ext, body] = kinds[i % kinds.length];
    const dir = join(root, `pkg${Math.floor(i / 100)}`, i % 3 === 0 ? 'tests' : 'src');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file${i}.${i % 3 === 0 ? `test.${ext}` : ext}`), body(i));
  }
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      scripts: { test: 'vitest run', lint: 'eslint .' },
      devDependencies: { vitest: '4' },
    }),
  );
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@x',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@x',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'generated');
}

function time(cmd, args, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/**
 * CPU time (user + sys) of a shell command line and its children, from bash's `times`:
 * on a shared, loaded machine wall time mostly measures the queue; CPU time does not.
 */
function cpu(line, cwd) {
  const r = spawnSync('bash', ['-c', `${line} > /dev/null; times`], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${line} failed: ${r.stderr}`);
  const children = r.stdout.trim().split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  return (secs[0] + secs[1]) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (ms) => `${ms.toFixed(0)} ms`;

/** Interleaved rounds: a busy machine slows every command alike, not one of them. */
function measure(title, root, genMs, generator) {
  time('git', ['status', '--porcelain'], root); // warm the index and the page cache
  time(process.execPath, [bin, 'analyze', '--json'], root); // fill .mmm/cache
  const samples = {
    baseline: [],
    nodeStart: [],
    floor: [],
    cold: [],
    warm: [],
    cpuBase: [],
    cpuCold: [],
  };
  const mmm = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} analyze --json --no-cache`;
  for (let i = 0; i < RUNS; i++) {
    samples.baseline.push(time('sh', ['-c', 'git ls-files -z | xargs -0 wc -l > /dev/null'], root));
    samples.nodeStart.push(time(process.execPath, ['-e', '0'], root));
    samples.floor.push(time(process.execPath, [floor], root));
    samples.cold.push(time(process.execPath, [bin, 'analyze', '--json', '--no-cache'], root));
    samples.warm.push(time(process.execPath, [bin, 'analyze', '--json'], root));
    samples.cpuBase.push(cpu('git ls-files -z | xargs -0 wc -l', root));
    samples.cpuCold.push(cpu(mmm, root));
  }
  const cpuBase = median(samples.cpuBase);
  const cpuCold = median(samples.cpuCold);
  const baseline = median(samples.baseline);
  const nodeStart = median(samples.nodeStart);
  const floorMs = median(samples.floor);
  const cold = median(samples.cold);
  const warm = median(samples.warm);
  console.log(`## mmm analyze — ${title}\n`);
  console.log(
    `Generated in ${(genMs / 1000).toFixed(1)} s (${generator}); median of ${RUNS} interleaved rounds, same machine, same run; load average ${loadavg()[0]?.toFixed(1)} at the end.\n`,
  );
  console.log('| command | median | ratio to baseline | target |');
  console.log('|---|---|---|---|');
  console.log(`| \`git ls-files -z \\| xargs -0 wc -l\` (baseline) | ${f(baseline)} | 1.00× | |`);
  console.log(
    `| \`node -e 0\` (Node start-up) | ${f(nodeStart)} | ${(nodeStart / baseline).toFixed(2)}× | |`,
  );
  console.log(
    `| \`node bench/analyze-floor.mjs\` (list, read, count newlines: the floor for Node) | ${f(floorMs)} | ${(floorMs / baseline).toFixed(2)}× | |`,
  );
  console.log(
    `| \`mmm analyze --json --no-cache\` (cold) | ${f(cold)} | ${(cold / baseline).toFixed(2)}× | ≤ 2× ${cold / baseline <= 2 ? '✓' : '✗'} |`,
  );
  console.log(
    `| \`mmm analyze --json\` (warm, cached) | ${f(warm)} | ${(warm / baseline).toFixed(2)}× | < 1 s ${warm < 1000 ? '✓' : '✗'} |`,
  );
  console.log(
    `| CPU (user+sys) of the baseline | ${f(cpuBase)} | 1.00× | |\n| CPU (user+sys) of \`mmm analyze --json --no-cache\` | ${f(cpuCold)} | ${(cpuCold / cpuBase).toFixed(2)}× | |`,
  );
  console.log('');
}

const only = process.env.BENCH_ONLY; // "files" or "history"
if (only !== 'history') {
  const root = mkdtempSync(join(tmpdir(), 'mmm-bench-analyze-'));
  try {
    const t0 = Date.now();
    generate(root);
    measure(
      `${FILES.toLocaleString('en-US')}-file repository`,
      root,
      Date.now() - t0,
      'one commit, bench/analyze.bench.mjs',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
if (only !== 'files') {
  // Issue 14: a large history. `node bench/make-history-repo.mjs <dir> 10000 40000`.
  const root = mkdtempSync(join(tmpdir(), 'mmm-bench-history-'));
  try {
    const t0 = Date.now();
    await makeHistoryRepo(root, HISTORY_FILES, HISTORY_COMMITS);
    measure(
      `${HISTORY_FILES.toLocaleString('en-US')} files, ${HISTORY_COMMITS.toLocaleString('en-US')} commits`,
      root,
      Date.now() - t0,
      `\`node bench/make-history-repo.mjs <dir> ${HISTORY_FILES} ${HISTORY_COMMITS}\`, git fast-import`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
