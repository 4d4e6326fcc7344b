// Wall time per turn of the two engines on the same scripted attempt (issue 15): TURNS
// turns, each a short text and one shell command (`echo step N`), then a summary. The
// API engine runs mmm's own loop and its bash tool; the claude-code engine runs the real
// `claude` CLI (scripts/install-claude-code.sh) on the same zero-latency fake Messages
// server, answering its Bash tool. Both through createEngine (dist/core/engine), in the
// default configuration (tools.sandbox = "auto": bubblewrap when available). Reported:
// the whole attempt / TURNS, and for claude the start-up (spawn → first request).
// Needs `npm run build`; skips (exit 0, saying why) without the claude binary.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { createEngine } = await import('../dist/core/engine/index.js');
const { configSchema } = await import('../dist/core/config/schema.js');
const { createTools, createSandbox, chooseSandbox } = await import('../dist/core/tools/index.js');

const TURNS = Number(process.env.BENCH_TURNS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLAUDE =
  process.env.MMM_BENCH_CLAUDE ??
  join(
    process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
    'mmm-tests/claude-code-2.1.332/node_modules/.bin/claude',
  );

console.log('## Engines: wall time per turn, API vs Claude Code (`node bench/run.mjs engines`)\n');
if (!existsSync(CLAUDE)) {
  console.log(`skipped: no claude binary at ${CLAUDE} (run scripts/install-claude-code.sh)\n`);
  process.exit(0);
}

function sse(events) {
  return events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('');
}
function reply(turn, toolName, input) {
  const last = turn > TURNS - 1;
  const text = last ? 'Done: every step ran.' : `Step ${turn}: running it.`;
  const blocks = [
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    ],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ];
  if (!last) {
    blocks.push(
      [
        'content_block_start',
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'tool_use', id: `toolu_${turn}`, name: toolName, input: {} },
        },
      ],
      [
        'content_block_delta',
        {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) },
        },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
    );
  }
  return sse([
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: `msg_${turn}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1000, output_tokens: 1 },
        },
      },
    ],
    ...blocks,
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: last ? 'end_turn' : 'tool_use', stop_sequence: null },
        usage: { output_tokens: 30 },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ]);
}

let firstRequestAt = 0;
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (d) => (body += d));
  req.on('end', () => {
    if (!firstRequestAt) firstRequestAt = performance.now();
    const request = JSON.parse(body);
    const turn = request.messages.filter((m) => m.role === 'assistant').length + 1;
    // Claude Code declares `Bash`; mmm declares `bash`: the same command either way.
    const claude = request.tools.some((t) => t.name === 'Bash');
    const command = `echo step ${turn}`;
    const input = claude ? { command, description: command } : { command };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(reply(turn, claude ? 'Bash' : 'bash', input));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

const base = mkdtempSync(join(tmpdir(), 'mmm-bench-engines-'));
const home = join(base, 'home');
mkdirSync(home);
const repo = join(base, 'repo');
mkdirSync(repo);
writeFileSync(join(repo, 'README.md'), '# bench\n');
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
execFileSync(
  'git',
  ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init', '--allow-empty'],
  { cwd: repo },
);
const env = {
  ...process.env,
  HOME: home,
  PATH: `${join(CLAUDE, '..')}:${process.env.PATH}`,
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_API_KEY: 'bench',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};

async function attempt(engineName) {
  const config = configSchema.parse({ engine: engineName, max_turns: TURNS + 5 });
  const runDir = mkdtempSync(join(base, 'run-'));
  const engine = await createEngine({ config, env, runDir, cwd: repo });
  const choice = chooseSandbox(config.tools);
  const sandbox = choice.bwrap
    ? createSandbox({ bwrap: choice.bwrap, workDir: repo, repoRoot: repo, network: true })
    : undefined;
  const tools = createTools({
    root: repo,
    protectedPaths: [],
    config: config.tools,
    ...(sandbox ? { sandbox } : {}),
  });
  const signal = new AbortController().signal;
  firstRequestAt = 0;
  const t0 = performance.now();
  let result;
  for await (const event of engine.run({
    specId: 'bench',
    attempt: 1,
    workDir: repo,
    repoRoot: repo,
    system: 'You are a benchmark.',
    task: 'Run the steps.',
    budget: {},
    tools,
    signal,
    requestSignal: signal,
    stopAfterTool: () => false,
  })) {
    if (event.type === 'attempt_end') result = event;
  }
  const total = performance.now() - t0;
  await tools.dispose();
  if (result?.reason !== 'end_turn' || result.turns !== TURNS) {
    throw new Error(`${engineName}: unexpected end ${JSON.stringify(result)}`);
  }
  return { total, startup: firstRequestAt - t0 };
}

const names = ['api', 'claude-code'];
const samples = { api: [], 'claude-code': [] };
for (let r = 0; r <= ROUNDS; r++) {
  for (const name of names) {
    const s = await attempt(name);
    if (r > 0) samples[name].push(s); // round 0 warms up (page cache of a 400 MB binary)
  }
}
server.close();
rmSync(base, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name) => {
  const total = median(samples[name].map((s) => s.total));
  const startup = median(samples[name].map((s) => s.startup));
  return { total, startup, perTurn: total / TURNS, perTurnAfterStart: (total - startup) / TURNS };
};
const api = row('api');
const cc = row('claude-code');
const sandbox = chooseSandbox({ sandbox: 'auto', network: true }).bwrap ? 'bwrap' : 'none';
console.log(
  `${TURNS} turns per attempt (text + one \`echo\` through the engine's shell tool, then a summary); ` +
    `median of ${ROUNDS} attempts after a warm-up; zero-latency fake server in-process; sandbox: ${sandbox}\n`,
);
console.log(
  '| engine | attempt | start-up (to first request) | ms per turn | ms per turn after start-up |',
);
console.log('|---|---:|---:|---:|---:|');
for (const [name, x] of [
  ['api (mmm loop + bash tool)', api],
  ['claude-code (claude -p 2.1.332)', cc],
]) {
  console.log(
    `| ${name} | ${x.total.toFixed(0)} ms | ${x.startup.toFixed(0)} ms | ${x.perTurn.toFixed(1)} | ${x.perTurnAfterStart.toFixed(1)} |`,
  );
}
console.log(
  `\nclaude-code / api per turn: ${(cc.perTurn / api.perTurn).toFixed(2)}× (after start-up ${(cc.perTurnAfterStart / api.perTurnAfterStart).toFixed(2)}×). ` +
    'Against a real model turn (seconds) both are small.\n',
);
