// TUI cost on a whole run: CPU time of `mmm demo --delay 0` with the terminal UI (in a real
// pseudo-terminal: tmux, or `script` from util-linux) against `--no-tui` into a pipe,
// alternating rounds, measured in the same run. Two figures per run:
//   - mmm: the mmm process alone (process.cpuUsage() at exit, via a tiny --import preload);
//     this is where the TUI's cost lands;
//   - total: mmm plus everything it ran (npm test, git…), from /usr/bin/time when present.
// Usage: npm run build && node bench/demo.bench.mjs   (BENCH_ROUNDS=3)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const has = (cmd, ...args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const PTY = has('tmux', '-V') ? 'tmux' : has('script', '--version') ? 'script' : undefined;

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (s) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s`);

if (!existsSync(BIN)) {
  console.error(`${BIN} is missing: run npm run build`);
  process.exit(1);
}
if (!PTY) {
  console.log('## `mmm demo`: TUI against --no-tui (bench/demo.bench.mjs)\n');
  console.log('SKIPPED: neither tmux nor script (util-linux) is installed; no pseudo-terminal.\n');
  process.exit(0);
}
const root = mkdtempSync(join(os.tmpdir(), 'mmm-demo-bench-'));
const preload = join(root, 'cpu-at-exit.mjs');
writeFileSync(
  preload,
  `import { writeFileSync } from 'node:fs';
const out = process.env.MMM_BENCH_CPU_OUT;
delete process.env.MMM_BENCH_CPU_OUT;
process.on('exit', () => writeFileSync(out, JSON.stringify(process.cpuUsage())));
`,
);

const baseEnv = { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', HOME: join(root, 'home') };
for (const k of Object.keys(baseEnv)) {
  if (k.startsWith('ANTHROPIC_') || k === 'CI' || k === 'CONTINUOUS_INTEGRATION') delete baseEnv[k];
}
Object.assign(baseEnv, {
  XDG_DATA_HOME: join(root, 'home/data'),
  XDG_CONFIG_HOME: join(root, 'home/config'),
  XDG_STATE_HOME: join(root, 'home/state'),
  XDG_CACHE_HOME: join(root, 'home/cache'),
});
execFileSync('mkdir', ['-p', baseEnv.HOME]);

/** The command line of one measured run, as a shell string. */
function commandLine(name, flags) {
  const timeFile = join(root, `${name}.time`);
  const mmm = [process.execPath, '--import', pathToFileURL(preload).href, BIN, 'demo'];
  const argv = [...mmm, '--dir', join(root, name), '--delay', '0', ...flags].map(q).join(' ');
  return TIME ? `${TIME} -o ${q(timeFile)} -f '%U %S' ${argv}` : argv;
}

function readResult(name, exitCode) {
  const cpu = JSON.parse(readFileSync(join(root, `${name}.cpu`), 'utf8'));
  const self = (cpu.user + cpu.system) / 1e6;
  let total;
  if (TIME) {
    const [u, s] = readFileSync(join(root, `${name}.time`), 'utf8')
      .trim()
      .split('\n')
      .at(-1)
      .split(' ');
    total = Number(u) + Number(s);
  }
  rmSync(join(root, name), { recursive: true, force: true });
  return { self, total, exitCode };
}

/** `--no-tui` with stdout and stderr into pipes that we drain. */
function runPlain(name) {
  return new Promise((resolve, reject) => {
    const env = { ...baseEnv, MMM_BENCH_CPU_OUT: join(root, `${name}.cpu`) };
    const child = spawn('sh', ['-c', commandLine(name, ['--no-tui'])], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve(readResult(name, code)));
  });
}

/** The TUI in a 100×30 pseudo-terminal. */
function runTui(name) {
  const env = { ...baseEnv, MMM_BENCH_CPU_OUT: join(root, `${name}.cpu`), TERM: 'xterm-256color' };
  const codeFile = join(root, `${name}.code`);
  const inner = `${commandLine(name, [])}; echo $? > ${q(codeFile)}`;
  if (PTY === 'tmux') {
    const socket = `mmm-demo-bench-${process.pid}`;
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}=${q(v)}`)
      .join(' ');
    const cmd = `env -i ${vars} sh -c ${q(inner)}; tmux -L ${socket} wait-for -S ${name}`;
    execFileSync('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      '-u',
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      '100',
      '-y',
      '30',
      cmd,
    ]);
    execFileSync('tmux', ['-L', socket, 'wait-for', name]);
    spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } else {
    spawnSync('script', ['-qec', inner, '/dev/null'], {
      env,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  }
  return readResult(name, Number(readFileSync(codeFile, 'utf8').trim()));
}

/** CPU to load the TUI's modules (Ink, React, yoga) in a fresh process, as renderRun does. */
function tuiLoadCpu() {
  const script = `const c0 = process.cpuUsage(); process.env.NODE_ENV = 'production';
await import(${JSON.stringify(pathToFileURL(fileURLToPath(new URL('../dist/ui/tui/render-tui.js', import.meta.url))).href)});
const c = process.cpuUsage(c0); console.log((c.user + c.system) / 1e6);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(r.stdout.trim());
}

const rows = [];
const loads = [];
try {
  for (let i = 1; i <= ROUNDS; i++) {
    // alternate which goes first, so a drifting machine load hits both alike
    const order = i % 2 ? ['tui', 'plain'] : ['plain', 'tui'];
    const row = { round: i };
    for (const mode of order)
      row[mode] = mode === 'tui' ? await runTui(`tui${i}`) : await runPlain(`plain${i}`);
    for (const mode of order) {
      if (row[mode].exitCode !== 0)
        throw new Error(`round ${i}: mmm demo (${mode}) exited ${row[mode].exitCode}`);
    }
    rows.push(row);
    loads.push(tuiLoadCpu());
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const loadAvg = os.loadavg()[0].toFixed(1);
console.log('## `mmm demo`: TUI against --no-tui (bench/demo.bench.mjs)\n');
console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown'} ×${os.cpus().length}, node ${process.version}, load average ${loadAvg} at the end\n`,
);
console.log(
  `command: \`mmm demo --delay 0\` in a ${PTY === 'tmux' ? 'tmux 100×30' : 'script(1)'} pseudo-terminal against \`mmm demo --delay 0 --no-tui\` into a pipe; ${ROUNDS} rounds, alternating; CPU = user + sys\n`,
);
console.log('| round | TUI: mmm | plain: mmm | TUI: total | plain: total |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.round} | ${fmt(r.tui.self)} | ${fmt(r.plain.self)} | ${fmt(r.tui.total)} | ${fmt(r.plain.total)} |`,
  );
}
const med = (mode, key) =>
  TIME || key === 'self' ? median(rows.map((r) => r[mode][key])) : undefined;
const selfRatio = med('tui', 'self') / med('plain', 'self');
console.log(
  `| median | ${fmt(med('tui', 'self'))} | ${fmt(med('plain', 'self'))} | ${fmt(med('tui', 'total'))} | ${fmt(med('plain', 'total'))} |\n`,
);
const verdict = (r) => `**${r.toFixed(2)}×** (target ≤ 1.2×: ${r <= 1.2 ? 'met' : 'NOT met'})`;
const load = median(loads);
console.log(`- TUI / plain, the mmm process alone: ${verdict(selfRatio)}`);
console.log(
  `- of which loading Ink, React and yoga once: ${fmt(load)} (median of ${loads.length} fresh processes); without it **${((med('tui', 'self') - load) / med('plain', 'self')).toFixed(2)}×**`,
);
if (TIME)
  console.log(
    `- TUI / plain, with the tests and git it runs: ${verdict(med('tui', 'total') / med('plain', 'total'))}`,
  );
console.log(
  '\n"mmm" is the CPU of the mmm process itself (where rendering happens, Ink and React loading included); "total" adds its child processes (the sample\'s `npm test` runs, git), identical work in both modes.\n',
);
