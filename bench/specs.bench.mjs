// Parse and validate 1,000 generated specs (target: under 500 ms), two ways:
// through the library (loadSpecs + assertValidSpecs from dist/) and through the built
// binary (`mmm specs validate`), with `mmm --version` as the process start-up baseline.
// Run after `npm run build`: node bench/specs.bench.mjs
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const COUNT = 1000;
const RUNS = 7;
const TARGET_MS = 500;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bin = join(dist, 'cli', 'bin.js');

const PRIORITIES = ['critical', 'high', 'medium', 'low'];

/** A realistic spec: three styles, checks of every kind, dependencies on earlier specs. */
function specText(i) {
  const n = String(i + 1).padStart(4, '0');
  const deps = i === 0 ? [] : [`spec-${String(Math.max(1, i - 1)).padStart(4, '0')}`];
  if (i % 10 === 0 && i > 0) deps.push(`spec-${String(Math.floor(i / 2)).padStart(4, '0')}`);
  const body = [
    `# Spec ${n}: improve module ${i}`,
    '',
    '## Objective',
    '',
    `Make module ${i} handle retries, timeouts and bad input with clear messages.`,
    '',
    '## Requirements',
    '',
    '- Retries use exponential backoff.',
    '- Errors name the file and the line.',
    '',
    '## Acceptance Criteria',
    '',
    `- [x] Module ${i} has unit tests`,
    `- [ ] Module ${i} retries on 429`,
    `- [ ] Module ${i} reports bad input`,
    '',
    '```ts',
    '// - [ ] not a criterion',
    '```',
    '',
    '## Notes',
    '',
    'Generated for the benchmark.',
    '',
  ].join('\n');
  if (i % 3 === 2) {
    // prodigy style: numeric dependencies
    return `---\nnumber: ${i + 1}\ntitle: Spec ${n}\ncategory: feature\npriority: ${PRIORITIES[i % 4]}\nstatus: draft\ndependencies: [${i === 0 ? '' : i}]\n---\n${body}`;
  }
  return [
    '---',
    `id: spec-${n}`,
    `title: "Spec ${n}: improve module ${i}"`,
    'status: ready',
    `priority: ${PRIORITIES[i % 4]}`,
    `depends_on: [${deps.join(', ')}]`,
    'files:',
    `  - "src/module-${i}/**"`,
    'max_attempts: 3',
    'budget: { usd: 2.5, tokens: 500000 }',
    'checks:',
    '  - run: npm test -- module',
    '    timeout: 120',
    `  - file_exists: src/module-${i}/index.ts`,
    '  - file_contains:',
    `      path: src/module-${i}/index.ts`,
    "      pattern: 'export (async )?function retry\\w*'",
    '  - expr: tests.failed == 0 && lint.errors == 0 && checks.all(c, c.ok)',
    '---',
    body,
  ].join('\n');
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRuns(fn, runs = RUNS) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

const root = mkdtempSync(join(tmpdir(), 'mmm-bench-specs-'));
try {
  mkdirSync(join(root, 'specs'));
  for (let i = 0; i < COUNT; i++) {
    // `0007-spec-0007.md`: prodigy-style files (no id:) get `spec-0007` from the name.
    const n = String(i + 1).padStart(4, '0');
    writeFileSync(join(root, 'specs', `${n}-spec-${n}.md`), specText(i));
  }
  const { loadSpecs, assertValidSpecs } = await import(join(dist, 'core/specs/load.js'));
  const { orderSpecs } = await import(join(dist, 'core/specs/graph.js'));

  // Warm-up, and a correctness check: every spec valid, no problem.
  const first = await loadSpecs(root, 'specs');
  if (first.specs.length !== COUNT || first.problems.length !== 0) {
    console.error(first.problems.slice(0, 5));
    throw new Error(
      `expected ${COUNT} valid specs, got ${first.specs.length} and ${first.problems.length} problems`,
    );
  }
  const lib = [];
  for (let r = 0; r < RUNS; r++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const result = await loadSpecs(root, 'specs');
    assertValidSpecs(result, { strict: true });
    orderSpecs(result.specs);
    const used = process.cpuUsage(cpu);
    lib.push({ wall: performance.now() - t, cpu: (used.user + used.system) / 1000 });
  }

  // The child reports its own CPU time (user + system) on exit, read from stderr.
  const CPU_HOOK =
    'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nMMM_CPU_MS="+(u.user+u.system)/1000+"\\n")})';
  const cpuOf = [];
  const run = (args) => {
    const r = spawnSync(process.execPath, ['--import', CPU_HOOK, bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (r.status !== 0) throw new Error(`mmm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const cpu = /MMM_CPU_MS=([\d.]+)/.exec(r.stderr);
    cpuOf.push(cpu ? Number(cpu[1]) : NaN);
    return r.stdout;
  };
  const timeCli = (args) => {
    cpuOf.length = 0;
    const wall = timeRuns(() => run(args));
    return { wall: median(wall), cpu: median(cpuOf) };
  };
  const out = run(['specs', 'validate', '--strict']);
  if (!out.includes(`${COUNT} specs in specs/ valid`)) throw new Error(`unexpected output: ${out}`);
  const startup = timeCli(['--version']);
  const cli = timeCli(['specs', 'validate', '--strict']);

  const libMs = median(lib.map((t) => t.wall));
  const libCpu = median(lib.map((t) => t.cpu));
  const verdict = (ms) => (ms < TARGET_MS ? 'meets' : 'misses');
  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(`## Specs: parse and validate ${COUNT} specs\n`);
  console.log(
    `Generated ${COUNT} spec files (three styles, 4 checks each incl. CEL and regex, dependency chain). Median of ${RUNS} runs. Load average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${os.cpus().length} CPUs (wall times grow with load; CPU time much less).\n`,
  );
  console.log(`| measurement | wall | CPU (user+sys) | target < ${TARGET_MS} ms |`);
  console.log('|---|---:|---:|---|');
  console.log(
    `| library: \`loadSpecs\` + \`assertValidSpecs({strict})\` + \`orderSpecs\` | ${ms(libMs)} | ${ms(libCpu)} | wall ${verdict(libMs)}, CPU ${verdict(libCpu)} |`,
  );
  console.log(
    `| binary: \`mmm specs validate --strict\` | ${ms(cli.wall)} | ${ms(cli.cpu)} | wall ${verdict(cli.wall)}, CPU ${verdict(cli.cpu)} |`,
  );
  console.log(
    `| binary: \`mmm --version\` (start-up baseline) | ${ms(startup.wall)} | ${ms(startup.cpu)} | |`,
  );
  console.log(
    `\nPer spec (library, wall): ${((libMs * 1000) / COUNT).toFixed(0)} µs. \`specs validate\` costs ${(cli.wall / startup.wall).toFixed(1)}x the start-up wall time (${(cli.cpu / startup.cpu).toFixed(1)}x its CPU time).\n`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
