// TUI cost under a fast synthetic event stream: redraws per second and CPU time of the
// Ink TUI (into a fake 80×24 TTY) against the plain and JSON renderers (into a pipe-like
// sink), each in its own child process, measured in the same run.
// Usage: node bench/tui.bench.mjs  (needs `npm run build`; BENCH_EVENTS=20000)
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const here = fileURLToPath(import.meta.url);

class Sink extends EventEmitter {
  constructor(tty) {
    super();
    this.isTTY = tty;
    this.columns = 80;
    this.rows = 24;
    this.writes = 0;
    this.frames = 0;
    this.bytes = 0;
    this.inBurst = false;
  }
  write(chunk) {
    const s = String(chunk);
    this.writes++;
    this.bytes += s.length;
    // A redraw may take several writes (erase, <Static> lines, the frame, sync escapes):
    // count the writes of one turn of the event loop as one redraw.
    if (!this.inBurst) {
      this.frames++;
      this.inBurst = true;
      setImmediate(() => (this.inBurst = false));
    }
    return true;
  }
}

class Stdin extends EventEmitter {
  isTTY = false;
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

async function child(mode, pace) {
  const { renderRun } = await import('../dist/ui/render-run.js');
  // Load Ink and React first (as renderRun does: production builds) to report the one-off
  // load cost apart from the rendering cost.
  let load = 0;
  if (mode === 'tui') {
    const c0 = process.cpuUsage();
    process.env.NODE_ENV = 'production';
    await import('../dist/ui/tui/render-tui.js');
    delete process.env.NODE_ENV;
    const c = process.cpuUsage(c0);
    load = (c.user + c.system) / 1000;
  }
  const { syntheticEvents } = await import('../tests/support/synthetic-run.mjs');
  const events = syntheticEvents(EVENTS);
  const stdout = new Sink(mode === 'tui');
  const stderr = new Sink(false);
  // paced: batches of 50 events every 10 ms (5,000 events/s); burst: as fast as possible
  async function* stream() {
    for (let i = 0; i < events.length; i++) {
      if (pace && i % 50 === 0) await new Promise((r) => setTimeout(r, 10));
      yield events[i];
    }
  }
  const handle = { events: stream(), requestStop() {}, abort() {} };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await renderRun(handle, { mode, stdout, stderr, stdin: new Stdin(), signals: false });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    JSON.stringify({
      mode,
      pace,
      load,
      events: events.length,
      wall,
      cpu: (cpu.user + cpu.system) / 1000,
      frames: stdout.frames,
      writes: stdout.writes,
      bytes: stdout.bytes,
    }),
  );
}

function run(mode, pace) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const r = spawnSync(process.execPath, [here, '--child', mode, pace ? 'paced' : 'burst'], {
    encoding: 'utf8',
    env,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4] === 'paced');
} else {
  const rows = [];
  for (const pace of [false, true]) {
    for (const mode of ['plain', 'json', 'tui']) rows.push(run(mode, pace));
  }
  console.log('## TUI rendering cost (`node bench/run.mjs tui`)\n');
  console.log(
    `${EVENTS} synthetic RunEvents (3 specs, 20-turn attempts: text deltas, tool calls, usage, validation, totals); ` +
      'TUI into a fake 80×24 TTY, plain/JSON into a sink; CPU = process.cpuUsage() around renderRun, render only; the one-off load of Ink and React is shown apart.\n',
  );
  console.log(
    '| stream | renderer | wall ms | CPU ms | CPU vs plain | + load Ink/React CPU ms | redraws | redraws/s | bytes out |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const pace of [false, true]) {
    const plain = rows.find((r) => r.mode === 'plain' && r.pace === pace);
    for (const r of rows.filter((x) => x.pace === pace)) {
      const redraws = r.mode === 'tui' ? r.frames : '—';
      const rate = r.mode === 'tui' ? (r.frames / (r.wall / 1000)).toFixed(1) : '—';
      console.log(
        `| ${pace ? 'paced 5k ev/s' : 'burst'} | ${r.mode} | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} | ${(r.cpu / plain.cpu).toFixed(2)}× | ${r.mode === 'tui' ? r.load.toFixed(0) : '—'} | ${redraws} | ${rate} | ${r.bytes} |`,
      );
    }
  }
  console.log(
    '\nTarget: redraws ≤ ~10/s however fast events come (throttled store + Ink maxFps 10).\n',
  );
}
