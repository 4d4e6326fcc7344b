// The baseline's cost as a share of a run: `mmm improve` on the calc sample (node:test,
// `node --test`), one spec done in one attempt by an instant fake model (a local HTTP
// server speaking the Messages SSE protocol), so the run is nothing but mmm's own work:
// setup, the baseline, the attempt's tools, its validation, the commit. Two cases: a green
// baseline (one extra validation) and a red one (one failing legacy test: the test command
// runs once more at baseline, the flaky re-run). Figures come from the run's own events:
// `baseline.durationMs`, the attempt's validation (sum of its checks' durationMs) and
// `run_end.totals.elapsedMs`. Median of BENCH_ROUNDS (default 3) rounds per case.
// Usage: npm run build && node bench/verdict.bench.mjs
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TESTS = Number(process.env.BENCH_TESTS ?? 200);
const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
if (!existsSync(BIN)) {
  console.error(`${BIN} is missing: run npm run build`);
  process.exit(1);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// --- an instant model: turn 1 writes calc.js with mul, turn 2 ends the attempt ---------
const CALC_WITH_MUL = `export const add = (a, b) => a + b;
export const sub = (a, b) => a - b;
export const mul = (a, b) => a * b;
`;
function sse(res, content, stopReason) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (type, data) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: 'msg_bench',
      type: 'message',
      role: 'assistant',
      model: 'claude-bench',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 1000, output_tokens: 1 },
    },
  });
  content.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: `toolu_${index}`, name: block.name, input: {} },
      });
      send('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: stopReason }, usage: { output_tokens: 50 } });
  send('message_stop', {});
  res.end();
}
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { messages } = JSON.parse(body);
    if (messages.length === 1) {
      sse(
        res,
        [
          { type: 'text', text: 'Adding mul.' },
          {
            type: 'tool_use',
            name: 'str_replace_based_edit_tool',
            input: { command: 'create', path: 'calc.js', file_text: CALC_WITH_MUL },
          },
        ],
        'tool_use',
      );
    } else {
      sse(res, [{ type: 'text', text: 'Added mul.' }], 'end_turn');
    }
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

// --- the calc sample, with TESTS passing tests -----------------------------------------
const root = mkdtempSync(join(os.tmpdir(), 'mmm-verdict-bench-'));
function write(dir, tree) {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
function calcRepo(name, red) {
  const dir = join(root, name);
  const cases = Array.from(
    { length: TESTS },
    (_, i) => `test('add ${i}', () => assert.equal(add(${i}, 1), ${i + 1}));`,
  );
  write(dir, {
    'package.json': '{ "name": "calc", "type": "module", "private": true }\n',
    'calc.js': 'export const add = (a, b) => a + b;\nexport const sub = (a, b) => a - b;\n',
    'calc.test.js': `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from './calc.js';\n${cases.join('\n')}\n`,
    ...(red
      ? {
          'legacy.test.js': `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('legacy', () => assert.equal(1, 2));\n`,
        }
      : {}),
    'scripts/check-mul.mjs': `import * as c from '../calc.js';\nprocess.exit(c.mul?.(2, 3) === 6 ? 0 : 1);\n`,
    '.mmm/config.toml':
      '[commands]\ntest = "node --test"\nlint = ""\ntypecheck = ""\nbuild = ""\nformat = ""\n\n[validate]\nrun = ["test"]\ntimeout = 120\n',
    'specs/01-mul.md':
      '---\nid: mul\ntitle: Add multiply\nstatus: ready\nchecks:\n  - run: node scripts/check-mul.mjs\n---\n# Add multiply\n\nAdd `mul` to calc.js.\n',
  });
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'calc');
  return dir;
}

function improve(dir) {
  const env = {
    ...process.env,
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'bench',
    NO_COLOR: '1',
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  for (const k of Object.keys(env)) if (k.startsWith('MMM_')) delete env[k];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'improve', '--json'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`mmm improve exited ${code}: ${err}`));
      const events = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      const baseline = events.find((e) => e.type === 'baseline');
      const validation = events.find((e) => e.type === 'validation');
      const end = events.find((e) => e.type === 'run_end');
      resolve({
        wallMs,
        runMs: end.totals.elapsedMs,
        baselineMs: baseline.durationMs,
        baselineRuns: baseline.preExisting.length ? 2 : 1,
        validationMs: validation.checks.reduce((s, c) => s + c.durationMs, 0),
        testMs: validation.checks.find((c) => c.name === 'test').durationMs,
      });
    });
    child.on('error', reject);
  });
}

const rows = [];
for (const [label, red] of [
  ['green baseline', false],
  ['red baseline (1 failing test: re-run once)', true],
]) {
  const results = [];
  for (let i = 0; i < ROUNDS; i++)
    results.push(await improve(calcRepo(`${red ? 'red' : 'green'}-${i}`, red)));
  const m = (k) => median(results.map((r) => r[k]));
  rows.push({
    label,
    baselineMs: m('baselineMs'),
    testMs: m('testMs'),
    validationMs: m('validationMs'),
    runMs: m('runMs'),
    wallMs: m('wallMs'),
    runs: results[0].baselineRuns,
  });
}
server.close();
rmSync(root, { recursive: true, force: true });

const ms = (x) => `${Math.round(x)} ms`;
const pct = (x) => `${(x * 100).toFixed(0)} %`;
console.log('## Baseline cost (`node bench/run.mjs verdict`)\n');
console.log(
  `calc sample, ${TESTS} node:test tests, \`node --test\`; one spec, one attempt, instant fake model (so the run is only mmm's own work); median of ${ROUNDS} rounds per case\n`,
);
console.log(
  '| case | test runs at baseline | baseline | one test run (attempt) | attempt validation | whole run (elapsed) | baseline share of the run | baseline share with 60 s of model time |',
);
console.log(
  '| ---- | --------------------- | -------- | ---------------------- | ------------------ | ------------------- | ------------------------- | -------------------------------------- |',
);
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.runs} | ${ms(r.baselineMs)} | ${ms(r.testMs)} | ${ms(r.validationMs)} | ${ms(r.runMs)} | ${pct(r.baselineMs / r.runMs)} | ${pct(r.baselineMs / (r.runMs + 60_000))} |`,
  );
}
console.log(
  `\nbaseline / one test run: green ${(rows[0].baselineMs / rows[0].testMs).toFixed(2)}×, red ${(rows[1].baselineMs / rows[1].testMs).toFixed(2)}× (expected ≈ 1× and ≈ 2×: one extra validation, plus one re-run only when something fails)\n`,
);
